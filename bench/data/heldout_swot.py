# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out subjects for the SWOT (bench_assistants.py --heldout): written before any tuning on
them and never used to tune the prompt or the checks. Varied subjects (services, equipment,
organisation, digital, environment, economy), contexts from one line to a paragraph with
figures, bullet lists, a consultation's results."""

from __future__ import annotations

from typing import Any

SWOT: list[dict[str, Any]] = [
    {
        "sujet": "Reprise en régie de la restauration scolaire",
        "contexte": "Délégation de service public arrivant à échéance en août 2026. 520 repas par jour dans quatre écoles. Cuisine centrale communale de 1998, à mettre aux normes (estimation 300 000 euros). Le délégataire actuel facture 4,60 euros le repas. Les parents réclament plus de produits locaux. Il faudrait recruter un chef de cuisine et cinq agents.",
    },
    {
        "sujet": "Extinction de l'éclairage public la nuit",
        "contexte": "Commune de 4 500 habitants, 900 points lumineux, 60 % encore en lampes à sodium.",
    },
    {
        "sujet": "Création d'une police municipale",
        "contexte": "- Pas de police municipale aujourd'hui, gendarmerie à 12 km\n- Hausse des incivilités signalées (stationnement, dépôts sauvages, bruit)\n- Coût estimé : 2 agents, un véhicule, équipements, environ 130 000 euros par an\n- Une commune voisine propose une police pluricommunale",
    },
    {
        "sujet": "Dématérialisation des autorisations d'urbanisme",
        "contexte": "Obligation de recevoir les demandes en ligne. 180 dossiers par an. Une partie des habitants âgés n'utilise pas internet. Le logiciel de l'intercommunalité propose un guichet numérique inclus dans l'abonnement.",
    },
    {
        "sujet": "Vente du presbytère communal",
        "contexte": "Bâtiment de 1850, 220 m², inoccupé depuis 2018, toiture en mauvais état. Estimation des domaines : 280 000 euros. Une association culturelle souhaiterait l'occuper, un promoteur propose d'y faire quatre logements. Attachement des habitants au bâtiment.",
    },
    {
        "sujet": "Semaine de la mobilité en septembre",
        "contexte": "Première édition. Budget 5 000 euros. Idées : journée sans voiture en centre-ville, atelier de réparation de vélos, essais de vélos électriques.",
    },
    {
        "sujet": "Ouverture d'une crèche municipale de 30 places",
        "contexte": "Liste d'attente de 54 familles. La CAF finance une partie de l'investissement et du fonctionnement. Coût de construction estimé à 1,6 million d'euros. Difficultés nationales de recrutement d'auxiliaires de puériculture. Terrain disponible à côté de l'école maternelle.",
    },
    {
        "sujet": "Adhésion à un groupement de commandes pour l'énergie",
        "contexte": "Proposé par le syndicat départemental d'énergie. Contrats actuels se terminant en décembre. Prix du marché très variables.",
    },
    {
        "sujet": "Transformation de l'ancienne caserne des pompiers en maison des associations",
        "contexte": "Les pompiers ont rejoint le nouveau centre de secours intercommunal. Le bâtiment de 600 m² comprend un grand garage et des bureaux à l'étage sans ascenseur. 70 associations sur la commune, dont une vingtaine sans local. Travaux estimés entre 500 000 et 700 000 euros. Le quartier manque de places de stationnement.",
    },
    {
        "sujet": "Mise en place d'une tarification sociale de l'eau",
        "contexte": "Régie municipale de l'eau, 3 200 abonnés. Prix actuel : 4,20 euros le mètre cube. Environ 9 % des foyers consacrent plus de 3 % de leurs revenus à l'eau. La loi permet une tarification progressive ou une aide au paiement.",
    },
    {
        "sujet": "Marché de producteurs le vendredi soir",
        "contexte": "Demande d'un collectif d'agriculteurs. Place de la Halle libre le vendredi. Un marché hebdomadaire existe déjà le mercredi matin.",
    },
    {
        "sujet": "Remplacement du logiciel de gestion financière",
        "contexte": "Logiciel actuel en fin de support en 2026. Trois éditeurs consultés. Migration des données sur dix exercices. Service finances de trois agents, dont un en congé long. Formation nécessaire. Passage simultané au nouveau référentiel comptable M57.",
    },
    {
        "sujet": "Fermeture d'une classe à l'école du hameau",
        "contexte": "Annonce de l'inspection académique pour la rentrée : l'école passerait de 3 à 2 classes (47 élèves). Les parents se mobilisent. Le regroupement avec l'école du bourg, à 6 km, est évoqué. Les locaux libérés pourraient accueillir la bibliothèque.",
    },
    {
        "sujet": "Programme d'animation pour les seniors",
        "contexte": "Résultats de l'enquête auprès des plus de 65 ans (312 réponses) :\n- 41 % se disent isolés\n- activités souhaitées : marche, ateliers numériques, sorties culturelles\n- principal frein : le transport\nLe club des aînés vieillit et perd des adhérents.",
    },
    {
        "sujet": "Installation d'une aire d'accueil pour camping-cars",
        "contexte": "Commune touristique en bord de lac. Stationnements sauvages de camping-cars l'été. Terrain communal de 2 000 m² près du port. Borne de services coûtant 25 000 euros. Les commerçants sont favorables, les riverains inquiets.",
    },
    {
        "sujet": "Télétravail des agents de la mairie",
        "contexte": "Demande des agents administratifs depuis la crise sanitaire. 35 agents dont 20 sur des postes compatibles. Ordinateurs portables à acheter. Accueil du public à maintenir.",
    },
    {
        "sujet": "Rachat d'un commerce vacant en centre-bourg",
        "contexte": "Dernière boulangerie fermée depuis six mois, propriétaire prêt à vendre les murs 150 000 euros. La commune pourrait louer le local à un artisan. Un programme national de revitalisation des petites villes finance des études et une partie des acquisitions.",
    },
    {
        "sujet": "Passage en zone 30 de toute l'agglomération",
        "contexte": "Plusieurs accidents impliquant des piétons en trois ans. Routes départementales traversant le bourg. Contrôles de vitesse rares. Signalisation à renouveler.",
    },
    {
        "sujet": "Création d'un espace France Services itinérant",
        "contexte": "Communauté de communes de 14 communes rurales. Un bus aménagé coûterait 250 000 euros, financé en partie par l'État. Deux conseillers à recruter. Couverture mobile inégale selon les villages.",
    },
    {
        "sujet": "Gestion différenciée des espaces verts",
        "contexte": "Zéro pesticide depuis 2017. Équipe espaces verts de six agents, un départ à la retraite non remplacé. Plaintes de quelques habitants sur les herbes hautes dans le cimetière. Projet de prairies fleuries dans les parcs.",
    },
]
