# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out mails for the réponse à un usager (bench_assistants.py --heldout): written before
any tuning on them and never used to tune the prompt or the checks. `_human`: does the mail need
a human answer (True: a complaint, an appeal, a request that commits the collectivité, a delicate
personal situation; False: a plain request for information; absent: debatable, not checked)."""

from __future__ import annotations

from typing import Any

REPONSE_USAGER: list[dict[str, Any]] = [
    {
        "courriel": "Bonjour, la mairie est-elle ouverte le samedi matin pendant l'été ? Je travaille en semaine. Merci, Julie Moreau",
        "elements": "Du 14 juillet au 15 août : mairie ouverte du lundi au vendredi de 9 h à 12 h, fermée l'après-midi et le samedi.",
        "_human": False,
    },
    {
        "courriel": "Bonjour, je dois refaire mon passeport, je pars au Canada dans trois semaines. Comment faire pour avoir un rendez-vous rapidement ? Cordialement, Thomas Girard",
        "elements": "Rendez-vous en ligne sur le site de la commune ; premier créneau dans cinq semaines. En cas d'urgence justifiée (billet d'avion, raison médicale), demande de rendez-vous prioritaire à l'accueil avec le justificatif.",
        "_human": False,
    },
    {
        "courriel": "Madame, Monsieur, ma facture d'eau du second semestre s'élève à 612 euros alors que je paie d'habitude 150 euros. Je vis seule et je n'ai pas de fuite. Je refuse de payer cette somme tant que le compteur n'a pas été vérifié. Mme Duhamel",
        "_human": True,
    },
    {
        "courriel": "Bonjour, les feuilles du chêne de mon voisin bouchent ma gouttière tous les automnes. Est-ce que la mairie peut faire quelque chose ?",
    },
    {
        "courriel": "Bonjour, je viens de perdre mon emploi et je n'arrive plus à payer la cantine de mes deux enfants depuis deux mois. J'ai honte de vous écrire mais je ne veux pas qu'ils soient privés de repas. Que puis-je faire ? Karima",
        "_human": True,
    },
    {
        "courriel": "Bonjour, combien coûte une concession au cimetière pour 30 ans, et peut-on la réserver à l'avance ? Merci. Jean-Pierre Lemoine",
        "elements": "Concession de 30 ans : 400 euros. Pas de réservation à l'avance : la concession est accordée au moment du décès, sauf pour les habitants de plus de 75 ans.",
        "_human": False,
    },
    {
        "courriel": "Bonjour, est-ce que la mairie fait des photocopies pour les particuliers ? J'ai une dizaine de pages à copier pour un dossier de retraite.",
        "_human": False,
    },
    {
        "courriel": "Madame le Maire, je tiens à signaler le comportement de l'agent d'accueil qui m'a parlé sur un ton méprisant ce matin vers 10 h, devant d'autres personnes, parce que mon dossier était incomplet. Je demande des excuses. M. Bertrand Faure",
        "_human": True,
    },
    {
        "courriel": "Bonjour, où peut-on récupérer des sacs jaunes pour le tri ? Je n'en ai plus.",
        "elements": "Sacs jaunes distribués à l'accueil de la mairie sur présentation d'un justificatif de domicile, deux rouleaux par foyer et par an.",
        "_human": False,
    },
    {
        "courriel": "bjr je voulai savoir si on peu mettre mon fils au centre aéré pendant les vacance de février il a 5 ans merci",
        "elements": "Accueil de loisirs ouvert pendant les vacances de février pour les 3-11 ans, inscription sur le portail famille jusqu'au 31 janvier.",
        "_human": False,
    },
    {
        "courriel": "Madame, Monsieur, le 12 janvier je suis tombée sur le trottoir défoncé devant le 8 rue de la Poste et je me suis cassé le poignet. Je vous joins le certificat médical. Je demande à la commune de prendre en charge mes frais et le préjudice subi. Mme Colette Renard",
        "_human": True,
    },
    {
        "courriel": "Bonjour, notre association de théâtre amateur compte désormais 45 adhérents. Nous souhaiterions que la subvention municipale passe de 800 à 1 500 euros pour financer des décors. À qui adresser la demande ? Le président, Marc Olivier",
        "_human": True,
    },
    {
        "courriel": "Bonjour, quand a lieu le prochain conseil municipal et peut-on y assister ?",
        "elements": "Prochain conseil municipal le jeudi 25 septembre à 20 h, salle du conseil ; séance publique.",
        "_human": False,
    },
    {
        "courriel": "Madame, Monsieur, la commission a refusé une place en crèche à notre fille alors que nous travaillons tous les deux à temps plein et que nous habitons la commune depuis dix ans. Nous contestons cette décision et demandons un réexamen de notre dossier. M. et Mme Dumont",
        "_human": True,
    },
    {
        "courriel": "Bonjour, a-t-on le droit de brûler les feuilles mortes dans son jardin ? Merci de votre réponse.",
        "elements": "Brûlage des déchets verts interdit toute l'année (règlement sanitaire départemental). Dépôt gratuit en déchèterie.",
        "_human": False,
    },
    {
        "courriel": "Bonjour, nous venons d'emménager au 5 rue des Vergers. Comment s'inscrire sur les listes électorales ? Et quels sont les jours de ramassage des poubelles dans notre rue ? Merci d'avance, Claire et Nicolas Perret",
        "elements": "Inscription sur les listes électorales en ligne sur service-public.fr ou en mairie, avec une pièce d'identité et un justificatif de domicile de moins de trois mois.",
        "_human": False,
    },
    {
        "courriel": "Bonjour, je suis partie de chez moi hier soir avec mes deux enfants parce que mon conjoint est violent. Nous sommes chez une amie mais nous ne pouvons pas rester. Est-ce que la mairie peut nous aider à trouver un logement ? Je vous écris d'un téléphone qui n'est pas le mien.",
        "_human": True,
    },
    {
        "courriel": "Bonjour, je dois faire légaliser ma signature pour un document destiné à l'étranger. Est-ce possible à la mairie ?",
        "elements": "Légalisation de signature en mairie, sur place, avec une pièce d'identité ; le document est signé devant l'agent.",
        "_human": False,
    },
    {
        "courriel": "Cela fait trois week-ends de suite que les fêtes à la salle polyvalente durent jusqu'à 4 h du matin avec la musique à fond. J'ai appelé la police municipale, personne n'est venu. Si rien ne change, j'écrirai au journal. Un riverain excédé, 14 rue du Stade",
        "_human": True,
    },
    {
        "courriel": "Bonjour, j'ai changé de banque. Comment modifier le RIB pour le prélèvement de la cantine ? Bonne journée, Sandrine Caron",
        "elements": "Modifier le RIB sur le portail famille, rubrique « Mon compte », avant le 20 du mois pour le prélèvement suivant.",
        "_human": False,
    },
]
