# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out source texts for the FAQ (bench_assistants.py --heldout): written before any tuning
on them and never used to tune the prompt or the checks. Varied forms: numbered articles of a
règlement, a deliberation, a web page, bullet lists, a Markdown table, a notice."""

from __future__ import annotations

from typing import Any

FAQ: list[dict[str, Any]] = [
    {
        "sujet": "Portail famille",
        "texte": "Article 1 – Le portail famille permet d'inscrire les enfants à la restauration scolaire, à l'accueil périscolaire et au centre de loisirs.\nArticle 2 – Le compte est créé par le service Enfance après le dépôt du dossier unique d'inscription.\nArticle 3 – Les réservations sont possibles jusqu'au jeudi minuit pour la semaine suivante.\nArticle 4 – Les factures sont disponibles sur le portail le 5 de chaque mois et se règlent en ligne par carte bancaire ou par prélèvement.\nArticle 5 – Les familles sans accès à internet peuvent effectuer leurs démarches à l'accueil de la mairie.",
    },
    {
        "sujet": "Transport scolaire",
        "texte": "Le transport scolaire vers le collège Jean Monnet est organisé par la région. L'inscription se fait en ligne avant le 15 juillet ; après cette date, une majoration de 15 euros est appliquée. L'abonnement annuel coûte 90 euros par enfant, gratuit à partir du troisième enfant. La carte de transport est envoyée au domicile fin août. En cas de perte, un duplicata est délivré pour 10 euros.",
    },
    {
        "sujet": "Attestation d'accueil",
        "texte": "Une personne étrangère qui vient en France pour une visite privée de moins de trois mois doit présenter une attestation d'accueil signée par son hébergeant. L'hébergeant en fait la demande en mairie, en personne, avec sa pièce d'identité, un justificatif de domicile, un justificatif de ressources et un timbre fiscal de 30 euros. Le maire peut refuser de valider l'attestation si le logement ne permet pas d'accueillir le visiteur dans des conditions normales.",
    },
    {
        "sujet": "Prêt de matériel aux associations",
        "texte": "La commune prête gratuitement aux associations de Démoville des tables, des chaises, des barnums et une sonorisation. La demande se fait par formulaire au moins un mois avant la manifestation. Le matériel est retiré et rapporté aux services techniques par l'association, le vendredi de 14 h à 16 h et le lundi de 8 h à 10 h. Le matériel endommagé est facturé au prix de remplacement. Les particuliers ne peuvent pas emprunter de matériel.",
    },
    {
        "sujet": "Collecte des déchets verts",
        "texte": "- Collecte des déchets verts en porte-à-porte un lundi sur deux, d'avril à novembre.\n- Inscription obligatoire auprès de la mairie ; 20 euros par an et par foyer.\n- Les déchets verts sont présentés en fagots liés de moins de 1,50 m ou dans des sacs biodégradables, 5 sacs au maximum.\n- Les souches et les troncs ne sont pas collectés : les apporter en déchèterie.",
    },
    {
        "sujet": "Pacte civil de solidarité (PACS)",
        "texte": "Depuis le 1er novembre 2017, l'enregistrement des PACS se fait en mairie. Les partenaires prennent rendez-vous auprès du service état civil de la commune de leur résidence commune. Ils fournissent la convention de PACS, la déclaration conjointe, une pièce d'identité et un acte de naissance de moins de trois mois pour chacun. L'enregistrement est gratuit. La modification ou la dissolution du PACS se fait auprès de la même mairie.",
    },
    {
        "sujet": "Entretien des haies en bordure de voie",
        "texte": "Les propriétaires riverains doivent tailler leurs haies et leurs arbres de façon qu'ils ne dépassent pas sur la voie publique. La taille est interdite du 15 mars au 31 juillet pour protéger la nidification des oiseaux, sauf danger. Après une mise en demeure restée sans effet pendant quinze jours, la commune peut faire réaliser les travaux d'office aux frais du propriétaire.",
    },
    {
        "sujet": "Aide aux vacances des enfants",
        "texte": "Délibération du conseil d'administration du CCAS du 3 février. Le CCAS attribue une aide de 150 euros par enfant pour un séjour de vacances d'au moins cinq jours, aux familles dont le quotient familial est inférieur à 700 euros. La demande est déposée au CCAS au plus tard un mois avant le départ, avec la facture du séjour et l'attestation de quotient familial. L'aide est versée directement à l'organisateur du séjour.",
    },
    {
        "sujet": "Tarifs de l'accueil périscolaire",
        "texte": "Tarifs applicables à la rentrée de septembre :\n\n| Quotient familial | Matin | Soir |\n|---|---|---|\n| moins de 600 euros | 0,80 euro | 1,20 euro |\n| de 600 à 1 000 euros | 1,40 euro | 2,10 euros |\n| plus de 1 000 euros | 2,00 euros | 3,00 euros |\n\nL'accueil du matin ouvre à 7 h 30, celui du soir ferme à 18 h 30. Tout retard après 18 h 30 entraîne une pénalité de 5 euros.",
    },
    {
        "sujet": "Frelons asiatiques",
        "texte": "Les habitants qui découvrent un nid de frelons asiatiques le signalent à la mairie avec une photo et l'adresse du nid. La commune prend en charge la moitié du coût de la destruction, dans la limite de 80 euros, si elle est réalisée par une entreprise agréée de la liste tenue en mairie. Il ne faut jamais tenter de détruire un nid soi-même. Les nids de frelons européens et de guêpes ne sont pas pris en charge.",
    },
    {
        "sujet": "Jardins familiaux",
        "texte": "Règlement des jardins familiaux du Clos Fleuri.\nArticle 1 – Les 24 parcelles de 100 m² sont attribuées aux habitants de Démoville ne disposant pas d'un jardin.\nArticle 2 – La cotisation annuelle est de 40 euros, eau comprise.\nArticle 3 – Les produits phytosanitaires de synthèse sont interdits.\nArticle 4 – Une parcelle non entretenue pendant trois mois peut être reprise après un avertissement écrit.\nArticle 5 – Les demandes sont inscrites sur une liste d'attente tenue par le service Espaces verts.",
    },
    {
        "sujet": "Parrainage civil",
        "texte": "Le parrainage civil, aussi appelé baptême républicain, est célébré en mairie par le maire ou un adjoint. Il n'a pas de valeur juridique mais engage moralement le parrain et la marraine. Les parents font la demande au moins un mois à l'avance, avec le livret de famille et la pièce d'identité du parrain et de la marraine. La cérémonie a lieu le samedi matin. Un certificat de parrainage est remis aux familles.",
    },
    {
        "sujet": "Location de vélos à assistance électrique",
        "texte": "La commune loue 15 vélos à assistance électrique aux habitants de plus de 16 ans pour une durée d'un mois, renouvelable une fois. Le loyer est de 30 euros par mois ; un dépôt de garantie de 300 euros est demandé par chèque. Le vélo est remis avec un casque, un antivol et un chargeur à l'accueil des services techniques. Un justificatif de domicile et une attestation d'assurance responsabilité civile sont demandés.",
    },
    {
        "sujet": "Séances du conseil municipal",
        "texte": "Le conseil municipal se réunit au moins une fois par trimestre, dans la salle du conseil de la mairie. Les séances sont publiques : chacun peut y assister sans inscription, mais le public ne peut pas prendre la parole. L'ordre du jour est affiché en mairie et publié sur le site internet trois jours francs avant la séance. Les délibérations sont publiées sur le site internet dans la semaine qui suit. Le procès-verbal est consultable en mairie.",
    },
    {
        "sujet": "Portage de livres à domicile",
        "texte": "La médiathèque propose un portage de livres, de CD et de livres lus à domicile pour les personnes qui ne peuvent pas se déplacer (âge, maladie, handicap). Le service est gratuit. Un bibliothécaire passe une fois par mois, le jeudi, avec une sélection choisie par téléphone. L'inscription se fait par téléphone au 02 33 00 11 22 ou par un proche à l'accueil de la médiathèque.",
    },
    {
        "sujet": "France Services",
        "texte": "L'espace France Services de Démoville, 2 place de la Mairie, aide les habitants dans leurs démarches auprès de la CAF, de l'Assurance maladie, des impôts, de France Travail, de la retraite et de l'ANTS. Il est ouvert le lundi, le mercredi et le vendredi de 9 h à 12 h 30 et de 13 h 30 à 17 h, et le samedi de 9 h à 12 h. L'accompagnement est gratuit, avec ou sans rendez-vous. Un ordinateur et une imprimante sont en accès libre.",
    },
    {
        "sujet": "Objets trouvés",
        "texte": "Les objets trouvés sur la voie publique sont déposés à l'accueil de la mairie, qui les conserve un an et un jour. Pour récupérer un objet, il faut le décrire précisément et présenter une pièce d'identité. Les papiers d'identité trouvés sont transmis à la préfecture ou au consulat. Les clés et les téléphones sont conservés trois mois. Passé le délai, les objets non réclamés peuvent être remis à la personne qui les a trouvés.",
    },
    {
        "sujet": "Déneigement",
        "texte": "En cas de neige ou de verglas, les services techniques traitent d'abord les axes principaux, les abords des écoles, de la maison de santé et des arrêts de bus, puis les rues secondaires. Les impasses et les voies privées ne sont pas déneigées. Les habitants doivent dégager le trottoir devant leur logement et jeter du sable ou du sel en cas de verglas. Des bacs à sel sont à disposition aux carrefours signalés par un panneau jaune.",
    },
    {
        "sujet": "Demande de logement social",
        "texte": "La demande de logement social se fait en ligne sur le site national ou au guichet du CCAS, avec un formulaire unique (Cerfa n° 14069), une pièce d'identité et l'avis d'imposition. Un numéro unique d'enregistrement est remis sous un mois. La demande doit être renouvelée chaque année à la date anniversaire, sinon elle est supprimée. Les logements sont attribués par la commission d'attribution du bailleur ; la commune y siège mais ne décide pas seule.",
    },
    {
        "sujet": "Repas des aînés",
        "texte": "Le repas annuel des aînés est offert par la commune aux habitants de 70 ans et plus, et à leur conjoint. Il a lieu le premier dimanche de février à la salle des fêtes, à partir de 12 h. L'inscription se fait en mairie avant le 10 janvier. Les personnes qui ne peuvent pas venir reçoivent un colis gourmand distribué à domicile par les élus. Un transport en minibus est proposé sur demande.",
    },
]
