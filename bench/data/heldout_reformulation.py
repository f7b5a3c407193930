# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out texts for the reformulation (bench_assistants.py --heldout): written before any
tuning on them and never used to tune the prompt or the checks. Varied sources: a service
report with figures, a prefectoral-style notice, a deliberation, an internal memo with a list,
a technical note, an e-mail, short and long texts; every register and length is asked."""

from __future__ import annotations

from typing import Any

REFORMULATION: list[dict[str, Any]] = [
    {
        "texte": "Le service des sports fait état d'une fréquentation du gymnase municipal en hausse de 25 % depuis l'ouverture du créneau du samedi après-midi, soit 140 usagers supplémentaires par mois. Les associations demandent l'ouverture d'un second créneau le dimanche matin. Cette ouverture nécessiterait la présence d'un gardien, pour un coût de 7 200 euros par an, ou la remise de clés à un responsable associatif formé, sans coût supplémentaire mais avec un risque en matière de sécurité.",
        "registre": "note au président",
        "longueur": "plus court",
    },
    {
        "texte": "Il est rappelé aux propriétaires de chiens que la divagation des animaux est interdite sur l'ensemble du territoire communal et que les déjections canines doivent être ramassées par leurs maîtres sur la voie publique, dans les parcs et jardins et aux abords des écoles. Des distributeurs de sacs sont à leur disposition. Tout manquement est passible d'une contravention de 68 euros.",
        "registre": "courrier usager FALC",
        "longueur": "équivalente",
    },
    {
        "texte": "Le diagnostic du patrimoine arboré réalisé en septembre porte sur 430 arbres d'alignement. 37 présentent un risque de chute et doivent être abattus d'ici au printemps, 120 nécessitent une taille sanitaire. Le coût total est estimé à 68 000 euros. Le bureau d'études recommande de replanter deux arbres pour un arbre abattu, en privilégiant des essences résistantes à la sécheresse.",
        "registre": "synthèse pour les élus",
        "longueur": "équivalente",
    },
    {
        "texte": "Conformément aux dispositions du règlement intérieur, les demandes de congés annuels pour la période estivale doivent être déposées auprès du responsable hiérarchique au plus tard le 31 mars. En cas de demandes concurrentes, la priorité sera accordée aux agents ayant des enfants scolarisés, puis selon l'ancienneté dans le service.",
        "registre": "courrier usager FALC",
        "longueur": "plus court",
    },
    {
        "texte": "Les élus ont demandé un point sur la vidéoprotection. Huit caméras sont en service. Trois dégradations ont été élucidées grâce aux images en 2024.",
        "registre": "synthèse pour les élus",
        "longueur": "plus développée",
    },
    {
        "texte": "Bonjour, pour info, le prestataire de la cantine nous informe qu'à partir de janvier il ne pourra plus livrer l'école des Tilleuls avant 11 h 30 à cause d'une réorganisation de ses tournées. Le premier service commence à 11 h 45, ce qui laisse très peu de temps pour le réchauffage. Les agents proposent soit de décaler le premier service à 12 h, soit de passer en liaison froide avec un four supplémentaire (environ 3 500 euros). Il faudrait une décision avant les vacances.",
        "registre": "note au président",
        "longueur": "équivalente",
    },
    {
        "texte": "Vu la délibération du conseil communautaire du 14 mars instituant la redevance incitative, les usagers du service public de collecte des déchets sont informés que la facturation comprendra désormais une part fixe, correspondant à l'abonnement au service, et une part variable, calculée en fonction du nombre de levées du bac d'ordures ménagères résiduelles constatées par le système d'identification électronique.",
        "registre": "courrier usager FALC",
        "longueur": "plus développée",
    },
    {
        "texte": "Points de vigilance relevés lors de la visite de sécurité de l'école maternelle :\n- deux extincteurs à remplacer ;\n- issue de secours de la salle de motricité encombrée ;\n- exercice d'évacuation non réalisé depuis la rentrée ;\n- registre de sécurité incomplet.\nLa commission a émis un avis favorable sous réserve de lever ces points avant le 15 décembre.",
        "registre": "note au président",
        "longueur": "plus court",
    },
    {
        "texte": "Le recensement de la population aura lieu du 15 janvier au 14 février. Un agent recenseur, muni d'une carte officielle, passera à votre domicile. Vous pourrez répondre par internet avec les codes qu'il vous remettra, ou sur papier. Vos réponses sont confidentielles.",
        "registre": "courrier usager FALC",
        "longueur": "équivalente",
    },
    {
        "texte": "La commune a reçu 47 candidatures pour les 12 parcelles du jardin partagé. La commission propose un tirage au sort public, avec une priorité pour les habitants des logements collectifs sans extérieur. Une liste d'attente serait établie pour les autres candidats.",
        "registre": "synthèse pour les élus",
        "longueur": "plus court",
    },
    {
        "texte": "L'audit énergétique de la mairie, bâtiment de 1962 chauffé au fioul, fait apparaître une consommation de 285 kWh par mètre carré et par an, soit une étiquette E. Trois scénarios sont proposés. Le premier, limité au remplacement de la chaudière par une pompe à chaleur, coûterait 95 000 euros et réduirait la consommation de 35 %. Le deuxième ajoute l'isolation des combles et le remplacement des menuiseries, pour 240 000 euros et un gain de 55 %. Le troisième, une rénovation globale incluant l'isolation par l'extérieur, atteindrait 60 % d'économie pour 410 000 euros, mais permettrait d'obtenir les aides les plus élevées, jusqu'à 50 % du montant. Le décret tertiaire impose une réduction de 40 % d'ici 2030.",
        "registre": "note au président",
        "longueur": "plus court",
    },
    {
        "texte": "Votre dossier de demande de logement social a bien été enregistré. Il doit être renouvelé chaque année à la date anniversaire du dépôt, faute de quoi il sera radié.",
        "registre": "courrier usager FALC",
        "longueur": "plus développée",
    },
    {
        "texte": "Lors de la réunion du 5 octobre, les commerçants du centre-bourg ont exprimé leur inquiétude face à la baisse de fréquentation depuis l'ouverture de la zone commerciale voisine. Ils demandent la gratuité du stationnement le samedi, une animation mensuelle et une meilleure signalétique. L'union commerciale est prête à cofinancer les animations à hauteur de 30 %.",
        "registre": "synthèse pour les élus",
        "longueur": "équivalente",
    },
    {
        "texte": "Il apparaît nécessaire de procéder à la révision des tarifs de location des salles municipales, inchangés depuis 2019, afin de tenir compte de l'augmentation des charges de fonctionnement, notamment de chauffage et de nettoyage, sans pour autant pénaliser le tissu associatif local, qui bénéficie à ce jour de la gratuité.",
        "registre": "synthèse pour les élus",
        "longueur": "plus court",
    },
    {
        "texte": "Suite aux fortes pluies, le ruisseau du Moulin a débordé dans la nuit. Quatre maisons de la rue Basse ont été inondées. Les pompiers sont intervenus. Aucun blessé.",
        "registre": "note au président",
        "longueur": "plus développée",
    },
    {
        "texte": "En application de l'article 4 du règlement du service d'eau potable, le compteur est placé sous la garde de l'abonné, qui est tenu de le protéger contre le gel et les chocs. Les frais de remplacement d'un compteur détérioré par défaut de protection sont à la charge de l'abonné.",
        "registre": "courrier usager FALC",
        "longueur": "équivalente",
    },
    {
        "texte": "Le bilan du premier budget participatif est positif : 214 projets déposés, 3 100 votants, soit 18 % des habitants de plus de 11 ans. Neuf projets lauréats pour 150 000 euros, dont une aire de fitness, des bancs le long du canal et une boîte à livres par quartier. Six sont réalisés, trois ont pris du retard à cause des délais de livraison. Les habitants ont regretté le manque d'information sur l'avancement.",
        "registre": "synthèse pour les élus",
        "longueur": "équivalente",
    },
    {
        "texte": "Madame, Monsieur, nous vous informons que votre demande de dérogation scolaire pour l'inscription de votre enfant dans une école située hors de votre secteur a fait l'objet d'un examen attentif par la commission. Celle-ci, considérant les effectifs de l'école demandée, qui ont atteint la capacité maximale d'accueil, n'a pas été en mesure d'y donner une suite favorable. Votre enfant restera donc inscrit dans l'école de votre secteur.",
        "registre": "courrier usager FALC",
        "longueur": "plus court",
    },
    {
        "texte": "Le poste d'agent d'accueil de l'agence postale communale est vacant depuis le départ en mutation de sa titulaire. L'agence est fermée deux matinées par semaine. La Poste verse une indemnité mensuelle de 1 150 euros qui pourrait être réduite si les horaires d'ouverture ne sont pas respectés.",
        "registre": "note au président",
        "longueur": "équivalente",
    },
    {
        "texte": "Projet de fusion des deux écoles élémentaires : 176 élèves au total, locaux de l'école Pasteur suffisants après travaux, économie de fonctionnement estimée à 40 000 euros par an, opposition d'une partie des parents de l'école Curie attachés à une école de proximité.",
        "registre": "synthèse pour les élus",
        "longueur": "plus développée",
    },
]
