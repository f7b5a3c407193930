# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out requests for the courrier (bench_assistants.py --heldout): written after the dev
inputs, never used to tune the prompt or the checks. `_appel` is the salutation a secretary
expects (any of the set)."""

from __future__ import annotations

from typing import Any

COURRIER: list[dict[str, Any]] = [
    {
        "destinataire": "Mme Jeanne Martin, Café du Centre, 1 place de l'Église",
        "objet": "Autorisation de terrasse",
        "faits": "Terrasse de 18 m² accordée devant le café du 1er avril au 31 octobre. Redevance d'occupation : 270 euros pour la saison. Le passage des piétons doit rester libre.",
        "ton": "cordial",
        "_appel": {"Madame,"},
    },
    {
        "destinataire": "M. Antoine Lefèvre, 14 rue des Peupliers",
        "objet": "Signalement d'un lampadaire hors service",
        "faits": "Signalement reçu le 9 novembre. Le lampadaire devant le 14 rue des Peupliers sera réparé par le service voirie la semaine du 17 novembre.",
        "ton": "cordial",
        "_appel": {"Monsieur,"},
    },
    {
        "destinataire": "Madame Inès Benhamou",
        "objet": "Demande de pièces pour un acte de naissance",
        "faits": "Demande de copie intégrale d'acte de naissance reçue. Il manque la copie d'une pièce d'identité du demandeur. L'acte sera envoyé dès réception de la pièce.",
        "ton": "formel",
        "_appel": {"Madame,"},
    },
    {
        "destinataire": "Monsieur et Madame Garnier, 3 allée des Chênes",
        "objet": "Accusé de réception d'une déclaration préalable",
        "faits": "Déclaration préalable pour une clôture reçue le 2 octobre, enregistrée sous le numéro DP 099 001 25 00042. Délai d'instruction : un mois.",
        "ton": "formel",
        "_appel": {"Madame, Monsieur,"},
    },
    {
        "destinataire": "Comité des fêtes de Démoville",
        "objet": "Refus de prêt de barrières",
        "faits": "Les 40 barrières de la commune sont déjà réservées pour le marché de Noël le même week-end. Le comité peut s'adresser à la communauté de communes.",
        "ton": "cordial",
        "_appel": {"Madame, Monsieur,"},
    },
    {
        "destinataire": "Monsieur le Préfet de la Manche",
        "objet": "Transmission du plan communal de sauvegarde",
        "faits": "Le plan communal de sauvegarde a été mis à jour et approuvé par arrêté du maire le 5 septembre. Il est joint au présent courrier.",
        "ton": "formel",
        "public": "administration",
        "_appel": {"Monsieur le Préfet,", "Monsieur,"},
    },
    {
        "destinataire": "Madame la Conseillère départementale",
        "objet": "Invitation à l'inauguration de la médiathèque",
        "faits": "Inauguration de la médiathèque le samedi 14 mars à 11 h. Le Département a financé 30 % des travaux. Un discours est prévu.",
        "ton": "cordial",
        "public": "élu",
        "_appel": {"Madame la Conseillère,", "Madame,"},
    },
    {
        "destinataire": "M. Julien Morel",
        "objet": "Avertissement pour stationnement gênant",
        "faits": "Un véhicule immatriculé à votre nom stationne sur le trottoir de la rue Pasteur depuis le 3 février. Il doit être déplacé sous 48 heures. À défaut, une mise en fourrière sera demandée.",
        "ton": "ferme",
        "_appel": {"Monsieur,"},
    },
    {
        "destinataire": "Madame Rose Delmas, 22 route de Caen",
        "objet": "Attribution d'un composteur",
        "faits": "Un composteur de 400 litres vous est attribué gratuitement. Retrait aux services techniques le mercredi de 9 h à 12 h, sur présentation de ce courrier.",
        "ton": "cordial",
        "_appel": {"Madame,"},
    },
    {
        "destinataire": "Transports Normandie Express",
        "objet": "Demande de devis pour une sortie scolaire",
        "faits": "Sortie des classes de CM1 et CM2 au Mont-Saint-Michel le 12 juin. 52 élèves et 6 accompagnateurs. Départ à 8 h de l'école, retour à 18 h. Devis attendu avant le 15 avril.",
        "ton": "formel",
        "_appel": {"Madame, Monsieur,"},
    },
    {
        "destinataire": "Monsieur Kevin Duval",
        "objet": "Réponse défavorable à une demande de logement",
        "faits": "La demande de logement communal a été examinée par la commission du 7 mai. Aucun logement de type T3 n'est disponible. La demande reste inscrite pour un an.",
        "ton": "formel",
        "_appel": {"Monsieur,"},
    },
    {
        "destinataire": "Madame Samia Ouali",
        "objet": "Inscription à l'école maternelle",
        "faits": "Inscription de l'enfant enregistrée en petite section pour la rentrée de septembre à l'école des Tilleuls. Réunion d'accueil des parents le 28 août à 18 h.",
        "ton": "cordial",
        "_appel": {"Madame,"},
    },
    {
        "destinataire": "Syndicat mixte des eaux du Bocage",
        "objet": "Coupure d'eau non annoncée",
        "faits": "Une coupure d'eau a eu lieu le 21 janvier de 8 h à 16 h dans le quartier des Rosiers sans information préalable des habitants. La commune demande d'être prévenue au moins 48 heures avant toute intervention programmée.",
        "ton": "ferme",
        "public": "administration",
        "_appel": {"Madame, Monsieur,"},
    },
    {
        "destinataire": "Monsieur Bernard Hamon, président de l'association Les Randonneurs",
        "objet": "Convention d'utilisation d'un local",
        "faits": "Le local situé 6 rue du Moulin est mis à disposition le jeudi soir. La convention est à signer en mairie. L'association doit fournir une attestation d'assurance.",
        "ton": "cordial",
        "_appel": {"Monsieur,"},
    },
    {
        "destinataire": "Madame Odile Lemoine",
        "objet": "Concession au cimetière",
        "faits": "La concession n° 214 arrive à échéance le 30 juin. Elle peut être renouvelée pour 15 ou 30 ans. Tarifs : 150 euros pour 15 ans, 280 euros pour 30 ans.",
        "ton": "formel",
        "_appel": {"Madame,"},
    },
    {
        "destinataire": "M. Loïc Tanguy, gérant de la boulangerie Tanguy",
        "objet": "Travaux de voirie devant le commerce",
        "faits": "Réfection de la chaussée rue Principale du 3 au 14 mars. L'accès piéton au commerce sera maintenu. Les livraisons devront se faire avant 8 h.",
        "ton": "cordial",
        "_appel": {"Monsieur,"},
    },
    {
        "destinataire": "Madame Hélène Caron",
        "objet": "Réponse à une réclamation sur le ramassage des déchets",
        "faits": "Le bac jaune n'a pas été collecté le 6 novembre à cause d'un véhicule en panne. La collecte a été rattrapée le 8 novembre. Le prestataire a été rappelé à ses obligations.",
        "ton": "cordial",
        "_appel": {"Madame,"},
    },
    {
        "destinataire": "Monsieur le Directeur de l'agence Pôle Habitat",
        "objet": "Logement insalubre signalé",
        "faits": "Un locataire du 9 résidence des Lilas signale de l'humidité et des moisissures dans son logement. La commune demande une visite du bailleur sous quinze jours et un compte rendu.",
        "ton": "ferme",
        "public": "administration",
        "_appel": {"Monsieur le Directeur,", "Monsieur,"},
    },
    {
        "destinataire": "Mme Claire Dubreuil",
        "objet": "Accord pour une occupation temporaire du domaine public",
        "faits": "Autorisation de poser une benne de 10 m³ devant le 12 rue des Forges du 20 au 24 mai. La benne doit être signalée la nuit.",
        "ton": "formel",
        "_appel": {"Madame,"},
    },
    {
        "destinataire": "Entreprise Paysages de l'Ouest",
        "objet": "Lettre de notification d'un marché",
        "faits": "Le marché d'entretien des espaces verts vous est attribué pour un montant de 38 400 euros HT par an. Durée : un an renouvelable deux fois. Démarrage des prestations le 1er mars.",
        "ton": "formel",
        "_appel": {"Madame, Monsieur,"},
    },
]
