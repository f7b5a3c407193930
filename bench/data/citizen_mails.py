# ruff: noqa: E501
"""Sixty synthetic citizens' emails to a commune's shared mailbox, each with the service that
should handle it. Written for the benchmark (names, addresses and numbers are invented); the
mix follows what a mairie's accueil receives: civil status and papers, roads and cleanliness,
planning, schools and childcare, bills, social help. Some are long, some curt, some mix two
topics (the expected service is the one that must act first), some carry personal data."""

from __future__ import annotations

SERVICES = (
    "Population et citoyenneté",
    "Voirie et espaces verts",
    "Urbanisme",
    "Enfance et éducation",
    "Finances",
    "Action sociale (CCAS)",
)
POP, VOI, URB, ENF, FIN, SOC = SERVICES

# (expected service, subject, body)
MAILS: list[tuple[str, str, str]] = [
    (
        POP,
        "Acte de naissance",
        "Bonjour,\nJe souhaite recevoir une copie intégrale de mon acte de naissance (né le 12/03/1981 à Démoville) pour un dossier de retraite.\nCordialement,\nMarc Lefèvre",
    ),
    (
        VOI,
        "Lampadaire éteint",
        "Bonjour, le lampadaire au coin de la rue des Tilleuls et de l'avenue Jean-Jaurès ne s'allume plus depuis une semaine. Le soir c'est vraiment noir. Merci de faire le nécessaire.",
    ),
    (
        URB,
        "Abri de jardin",
        "Madame, Monsieur,\nJe voudrais installer un abri de jardin de 12 m² au fond de ma parcelle, 8 impasse des Vignes. Dois-je déposer une déclaration préalable ou un permis de construire ?\nBien à vous,\nSophie Garnier",
    ),
    (
        ENF,
        "Inscription cantine",
        "Bonjour, ma fille Lina entre en CP à l'école Jules-Ferry à la rentrée. Comment l'inscrire à la cantine et au périscolaire du soir ? Merci.",
    ),
    (
        FIN,
        "Facture d'eau incompréhensible",
        "Bonjour,\nJ'ai reçu une facture d'eau de 412 € pour le semestre alors que d'habitude je paie environ 150 €. Je n'ai pas de fuite. Pouvez-vous vérifier le relevé ? Référence client 0045781.\nM. Benali",
    ),
    (
        SOC,
        "Aide pour ma mère",
        "Bonjour, ma mère a 84 ans, vit seule rue du Moulin et ne peut plus faire ses courses. Existe-t-il un portage de repas ou une aide à domicile par la commune ? Je suis un peu perdue. Claire Roux 06 21 43 65 87",
    ),
    (
        POP,
        "Carte d'identité perdue",
        "Bonjour, j'ai perdu ma carte d'identité hier au marché. Comment faire pour en refaire une et faut-il prendre rendez-vous ?",
    ),
    (
        VOI,
        "Nid de poule dangereux",
        "Il y a un énorme nid de poule devant le 27 route de Lyon, deux cyclistes sont déjà tombés. C'est dangereux, merci d'intervenir vite !",
    ),
    (
        URB,
        "Consultation du PLU",
        "Bonjour, je suis en train d'acheter un terrain chemin des Prés (parcelle AB 214). Où puis-je consulter le plan local d'urbanisme pour savoir si c'est constructible ?",
    ),
    (
        ENF,
        "Place en crèche",
        "Bonjour,\nNous attendons un bébé pour mars. Comment faire une demande de place à la crèche municipale et quels sont les délais d'attente ?\nM. et Mme Petit",
    ),
    (
        FIN,
        "Paiement de la cantine en ligne",
        "Bonjour, le site de paiement de la cantine refuse ma carte bancaire depuis trois jours et la date limite est vendredi. Puis-je payer autrement ? Facture n° 2026-11-0832.",
    ),
    (
        SOC,
        "Difficultés pour payer le loyer",
        "Bonjour, je viens de perdre mon emploi et je n'arrive plus à payer mon loyer ni l'électricité. Je ne sais pas à qui m'adresser. Est-ce que le CCAS peut m'aider ? Merci de me rappeler.",
    ),
    (
        POP,
        "Mariage en juin",
        "Bonjour, ma compagne et moi souhaitons nous marier à la mairie de Démoville le samedi 20 juin 2027. Quelles pièces faut-il fournir et combien de temps avant faut-il déposer le dossier ?",
    ),
    (
        VOI,
        "Dépôt sauvage",
        "Bonjour, quelqu'un a déposé des gravats et un vieux canapé au bord du chemin de la Source, près du bois. Pouvez-vous les faire enlever ?",
    ),
    (
        URB,
        "Permis de construire en cours",
        "Madame, Monsieur, j'ai déposé un permis de construire pour une extension de ma maison le 2 octobre (PC 099 123 26 00017). Je n'ai aucune nouvelle. Où en est l'instruction ?",
    ),
    (
        ENF,
        "Menu de la cantine et allergies",
        "Bonjour, mon fils Tom est allergique à l'arachide. Comment mettre en place un PAI pour la cantine de l'école du Centre ? Sophie Marchand",
    ),
    (
        FIN,
        "Taxe de séjour",
        "Bonjour, je loue une chambre d'hôtes depuis cet été. Comment dois-je déclarer et reverser la taxe de séjour à la commune ?",
    ),
    (
        SOC,
        "Colis de Noël des aînés",
        "Bonjour, j'ai 76 ans et je ne suis pas inscrite pour le colis de Noël des aînés. Est-il encore temps ? Je m'appelle Simone Vidal, 4 place de l'Église.",
    ),
    (
        POP,
        "Recensement citoyen",
        "Bonjour, mon fils a eu 16 ans le mois dernier. Il doit faire son recensement : peut-il le faire en ligne ou doit-il venir en mairie ?",
    ),
    (
        VOI,
        "Arbre tombé",
        "Urgent : un gros arbre est tombé sur la chaussée rue des Chênes après la tempête de cette nuit, la route est bloquée et des fils pendent.",
    ),
    (
        URB,
        "Clôture et portail",
        "Bonjour, je veux remplacer ma haie par une clôture de 1,80 m avec un portail, 15 rue Pasteur. Faut-il une autorisation ?",
    ),
    (
        ENF,
        "Accueil de loisirs vacances",
        "Bonjour, quelles sont les dates d'inscription pour le centre de loisirs des vacances de février ? Mes enfants ont 6 et 9 ans.",
    ),
    (
        FIN,
        "Remboursement caution salle",
        "Bonjour, j'ai loué la salle des fêtes le 14 septembre pour un anniversaire et je n'ai toujours pas récupéré ma caution de 300 €. Pouvez-vous me dire quand elle sera remboursée ?",
    ),
    (
        SOC,
        "Logement social",
        "Bonjour, je suis seule avec deux enfants et je cherche un logement social à Démoville. Comment déposer une demande ? Merci, Nadia K.",
    ),
    (
        POP,
        "Inscription sur les listes électorales",
        "Bonjour, je viens d'emménager à Démoville. Comment m'inscrire sur les listes électorales pour voter aux prochaines élections municipales ?",
    ),
    (
        VOI,
        "Trottoir encombré",
        "Bonsoir, depuis les travaux du réseau de gaz, le trottoir de l'avenue de la Gare est encombré de barrières et impraticable avec une poussette. Qui peut faire quelque chose ?",
    ),
    (
        URB,
        "Panneaux solaires",
        "Bonjour, nous voudrions poser 10 panneaux photovoltaïques sur le toit de notre maison. Quelles démarches d'urbanisme faut-il faire ?",
    ),
    (
        ENF,
        "Transport scolaire",
        "Bonjour, le car scolaire qui passe au hameau des Granges est arrivé en retard trois fois cette semaine et les enfants ratent le début des cours. Pouvez-vous voir avec l'école ?",
    ),
    (
        FIN,
        "Titre de paiement",
        "Madame, Monsieur, j'ai reçu un avis des sommes à payer de 85 € pour une redevance d'occupation du domaine public que je ne comprends pas. Je n'ai jamais occupé le domaine public. Pouvez-vous m'expliquer ?",
    ),
    (
        SOC,
        "Téléassistance",
        "Bonjour, mon père de 90 ans est tombé deux fois ce mois-ci. La commune propose-t-elle une téléassistance ou une aide pour l'installer ?",
    ),
    (
        POP,
        "Acte de décès",
        "Bonjour, mon grand-père est décédé à l'hôpital de Démoville le 28 novembre. J'ai besoin de plusieurs copies de l'acte de décès pour la banque et le notaire. Comment les obtenir ?",
    ),
    (
        VOI,
        "Déneigement",
        "Bonjour, la rue du Fort n'a pas été déneigée ce matin et c'est une patinoire, une personne âgée a glissé. Merci de passer la saleuse.",
    ),
    (
        URB,
        "Changement de destination",
        "Bonjour, je souhaite transformer mon garage en pièce à vivre sans modifier la façade. Est-ce une déclaration préalable ?",
    ),
    (
        ENF,
        "Dérogation scolaire",
        "Bonjour, nous habitons le secteur de l'école des Lilas mais je travaille près de l'école du Centre. Est-il possible d'avoir une dérogation pour y inscrire notre fils ?",
    ),
    (
        FIN,
        "Erreur de prélèvement",
        "Bonjour, vous m'avez prélevé deux fois la facture de périscolaire d'octobre (2 × 64,50 €). Merci de me rembourser. IBAN FR76 3000 6000 0112 3456 7890 189.",
    ),
    (
        SOC,
        "Aide alimentaire",
        "Bonjour, nous sommes une famille de cinq et en ce moment nous avons du mal à manger à la fin du mois. Y a-t-il une épicerie solidaire ou une aide d'urgence ?",
    ),
    (
        POP,
        "Passeport urgent",
        "Bonjour, je pars pour un voyage professionnel dans trois semaines et mon passeport est périmé. Y a-t-il des créneaux de rendez-vous rapides ?",
    ),
    (
        VOI,
        "Bruit de la balayeuse",
        "Bonjour, la balayeuse passe à 5 h du matin rue Victor-Hugo, c'est très bruyant. Est-il possible de changer l'horaire ?",
    ),
    (
        URB,
        "Voisin qui construit sans autorisation",
        "Bonjour, mon voisin au 12 allée des Cerisiers construit un bâtiment de deux étages en limite de ma propriété. Je ne vois aucun panneau de permis. Que puis-je faire ?",
    ),
    (
        ENF,
        "Garderie du matin",
        "Bonjour, à quelle heure ouvre la garderie du matin à l'école maternelle et combien cela coûte-t-il ?",
    ),
    (
        FIN,
        "Subvention association",
        "Bonjour, je suis trésorier du club de tennis de Démoville. Quand et comment déposer la demande de subvention municipale pour 2027 ?",
    ),
    (
        SOC,
        "Personne isolée",
        "Bonjour, je m'inquiète pour ma voisine, Mme Dubois, 88 ans, au 3 rue des Écoles : je ne l'ai pas vue depuis plusieurs jours et ses volets restent fermés. Pouvez-vous prévenir quelqu'un ?",
    ),
    (
        POP,
        "Changement de nom d'usage",
        "Bonjour, suite à mon divorce, je souhaite reprendre mon nom de naissance sur mes papiers. Quelle est la démarche en mairie ?",
    ),
    (
        VOI,
        "Espaces verts du lotissement",
        "Bonjour, l'herbe du square du lotissement Les Hauts n'a pas été tondue depuis juin, elle fait plus d'un mètre. Les enfants ne peuvent plus jouer.",
    ),
    (
        URB,
        "Certificat d'urbanisme",
        "Bonjour, notre notaire nous demande un certificat d'urbanisme pour la vente de notre maison, 5 rue des Lavandières. Comment l'obtenir et en combien de temps ?",
    ),
    (
        ENF,
        "Atelier périscolaire annulé",
        "Bonjour, l'atelier théâtre du jeudi soir a été annulé trois fois sans prévenir. Les parents aimeraient savoir s'il va reprendre.",
    ),
    (
        FIN,
        "Tarif de la piscine",
        "Bonjour, je pense que le tarif appliqué à mon abonnement piscine est celui des extérieurs alors que j'habite Démoville. Pouvez-vous corriger ma facture ?",
    ),
    (
        SOC,
        "Aide pour le chauffage",
        "Bonjour, je suis retraité avec une petite pension et ma facture de fioul a doublé. Existe-t-il une aide de la commune pour le chauffage cet hiver ?",
    ),
    (
        POP,
        "Certificat de vie",
        "Bonjour, ma caisse de retraite à l'étranger me demande un certificat de vie signé par la mairie. Pouvez-vous m'indiquer comment l'obtenir ?",
    ),
    (
        VOI,
        "Panneau stop arraché",
        "Bonjour, le panneau stop au croisement de la rue Basse et de la D12 a été arraché, les voitures ne s'arrêtent plus. Il y a un vrai risque d'accident.",
    ),
    (
        URB,
        "Division de terrain",
        "Bonjour, nous voudrions diviser notre terrain de 1 500 m² pour vendre une parcelle à bâtir. Quelle autorisation faut-il demander ?",
    ),
    (
        ENF,
        "Réinscription école",
        "Bonjour, mon fils Hugo Bernard est actuellement en grande section à l'école des Lilas. Faut-il le réinscrire pour le CP ou est-ce automatique ?",
    ),
    (
        FIN,
        "Facture de cantine après départ",
        "Bonjour, nous avons déménagé fin septembre et nous recevons encore une facture de cantine pour octobre. Pouvez-vous l'annuler ?",
    ),
    (
        SOC,
        "Domiciliation",
        "Bonjour, je n'ai plus de domicile fixe depuis deux mois. Puis-je me faire domicilier au CCAS pour recevoir mon courrier et mes droits ?",
    ),
    (
        POP,
        "Livret de famille",
        "Bonjour, nous avons perdu notre livret de famille lors d'un déménagement. Comment en obtenir un duplicata ?",
    ),
    (
        VOI,
        "Poubelles non ramassées",
        "Bonjour, les poubelles jaunes de la rue des Peupliers n'ont pas été ramassées mardi. Qui dois-je contacter ?",
    ),
    (
        URB,
        "Enseigne de commerce",
        "Bonjour, j'ouvre une boulangerie place du Marché et je voudrais poser une enseigne lumineuse. Faut-il une autorisation de la mairie ?",
    ),
    (
        ENF,
        "Conseil municipal des jeunes",
        "Bonjour, ma fille de 11 ans voudrait se présenter au conseil municipal des jeunes. Comment s'inscrire ? Elle est en CM2 à l'école du Centre.",
    ),
    (
        FIN,
        "Délai de paiement",
        "Bonjour, je ne peux pas régler en une fois la facture d'eau de 280 €. Est-il possible d'obtenir un échelonnement en trois fois ?",
    ),
    (
        SOC,
        "Accompagnement dossier APA",
        "Bonjour, pouvez-vous m'aider à remplir le dossier d'allocation personnalisée d'autonomie pour mon mari qui a la maladie d'Alzheimer ? Je ne m'en sors pas seule.",
    ),
]
assert len(MAILS) == 60 and all(m[0] in SERVICES for m in MAILS)
