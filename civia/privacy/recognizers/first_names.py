"""Common first names given in France (all generations and the main communities), used to
spot a person named by first name alone ("votre fils Lucas", "Karim : ..."), which spaCy
often misses. Words that are also common places or nouns (France, Florence, Rose...) are
left out on purpose."""

from __future__ import annotations

_NAMES = """
Adam Adèle Adrien Agathe Agnès Aïcha Aïda Alain Albert Alexandre Alexandra Alexis Alice Alicia
Aline Alix Amandine Amaury Ambre Amélie Aminata Amine Amira Anaïs Ana Anna Andrée André Ange
Angèle Angélique Anne Annie Anouk Antoine Antonin Apolline Ariane Arlette Armand Arnaud Arthur
Assia Astrid Aude Audrey Augustin Aurélie Aurélien Awa Axel Aya Aymeric Baptiste Barbara
Bastien Béatrice Benjamin Benoît Bérénice Bernadette Bernard Bertrand Blanche Bilal Boris
Brigitte Bruno Camille Capucine Carla Carole Caroline Catherine Cécile Céline Chantal Charles
Charlotte Chloé Christelle Christian Christiane Christine Christophe Claude Claudine Clémence
Clément Cloé Colette Coralie Corentin Cyril Cyrille Damien Daniel Danielle Danièle David
Delphine Denis Denise Didier Dominique Dylan Édith Édouard Éléonore Éliane Élisa Élisabeth
Élise Élodie Éloïse Elsa Émile Émilie Emma Emmanuel Emmanuelle Enzo Éric Erwan Estelle Ethan
Étienne Eugénie Éva Evelyne Fabien Fabienne Fabrice Fanny Farid Fatima Fatou Fatoumata Félix
Fernand Fernande Flavie Florian Florent Francis Franck François Françoise Frédéric Frédérique
Gabriel Gabrielle Gaël Gaëlle Gaëtan Gérald Gérard Germaine Ghislaine Gilbert Gilles Ginette
Gisèle Grégoire Grégory Guillaume Guy Gwenaël Gwendoline Hafid Hamza Hassan Hélène Henri
Henriette Hervé Hugo Hugues Ibrahim Ibrahima Inès Irène Isabelle Jacqueline Jacques Jade
Jean Jeanne Jean-Baptiste Jean-Claude Jean-François Jean-Luc Jean-Marc Jean-Marie Jean-Michel
Jean-Paul Jean-Pierre Jérémy Jérôme Joëlle Johanna Jonathan Joseph Joséphine Josette Josiane
Juliette Julie Julien Jules Justine Karima Karim Kevin Khadija Laëtitia Laura Laure Laurence
Laurent Léa Léna Léo Léon Léonie Liam Lila Lina Lilou Linda Line Lionel Loïc Louis Louise
Luc Lucas Lucie Lucien Lucienne Ludovic Lydie Madeleine Maël Maëlys Maëva Malik Mamadou Manon
Manuel Marc Marcel Marcelle Margaux Margot Marguerite Maria Mariam Marie Marie-Claude
Marie-Christine Marie-France Marie-Thérèse Marine Marion Martine Mathéo Mathias Mathieu
Mathilde Matthieu Maurice Maxence Maxime Mehdi Mélanie Mélissa Michel Micheline Michèle Mickaël
Mireille Mohamed Mohammed Monique Morgane Moussa Myriam Nadia Nadine Nathalie Nathan Nicolas
Nicole Noah Noé Noémie Nora Olivier Océane Odette Odile Omar Ophélie Oscar Oumar Pascal
Pascale Patrice Patricia Patrick Paul Paule Paulette Pauline Perrine Philippe Pierre
Pierre-Yves Quentin Rachid Rachel Raphaël Raymond Raymonde Régine Régis Rémi Rémy Renée René
Richard Robert Roger Roland Romain Romane Rosa Rosalie Sabine Sabrina Sacha Salomé Samia
Samir Samira Samuel Sandra Sandrine Sarah Sébastien Serge Simone Simon Sofiane Solène Sophie
Stéphane Stéphanie Suzanne Sylvain Sylvie Tatiana Théo Théophile Thérèse Thibault Thierry
Thomas Timéo Tom Tristan Valentin Valérie Vanessa Véronique Victor Victoria Vincent Virginie
Viviane Xavier Yann Yannick Yasmina Yasmine Yassine Yves Yvette Yvonne Youssef Zoé Zohra
Abdel Abdelkader Ahmed Ali Amel Anissa Ayoub Bakary Binta Djamel Fatma Hakim Idriss Ilyes
Issa Jamila Kadiatou Kamel Leïla Malika Mariama Meriem Mustapha Nabil Naïma Nassim Rayan
Saïd Salima Samy Souad Yacine Yanis Zakaria João Manuela Paulo Fernanda Antonio Carlos
Rosário Catarina Francisco Giovanni Giuseppe Marco Elena Ioana Mihai Andrei Agnieszka
Piotr Anh Linh Minh Thi Duc Huong Ngoc Wei Ming Erwann Goulven Tanguy Soizic Nolwenn Maïwenn
Killian Kylian Loane Lou Nina Noa Rose-Marie Anne-Marie Anne-Sophie Marie-Laure
Marie-Hélène Marie-Paule Jean-Louis Jean-Jacques Jean-Yves Paul-Henri
Georges Edmond Gustave Alphonse Ernest Honoré Aristide Hector Anatole Eugène Gaston Raoul
Marcelin Léonce Ferdinand Jean-Michel Anne-Laure Marie-José Kévin Cédric Jennifer Mickael
Jordan Anthony Steven Loïc Gwendal Nadège Huguette Josiane Régine Zahra
"""

FIRST_NAMES: frozenset[str] = frozenset(_NAMES.split())
FIRST_NAMES_LOWER: frozenset[str] = frozenset(n.lower() for n in FIRST_NAMES)
# Lower-case first names that are also common words ("une pierre", "bleu marine", "le
# manuel", "elle se marie"): a person only when spaCy reads them as proper nouns.
_AMBIGUOUS = """pierre rose marine blanche ange jade ambre capucine olivier marguerite manuel romain
    clément angélique maxime line lou duc thi anh minh wei ming paule aude marc jean guy
    victoria ana anna axel noa lila léo sacha rosa salomé christian constant désiré aimé
    prosper modeste juste honoré océane grégoire"""
AMBIGUOUS_LOWER: frozenset[str] = frozenset(_AMBIGUOUS.split())
