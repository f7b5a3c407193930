# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out requests for the arrêté (bench_assistants.py --heldout): written before any tuning
on them and never used to tune the prompt or the checks. Some leave `textes` empty, as agents
do: the visas then come from the library (or « Vu [visa à compléter] »)."""

from __future__ import annotations

from typing import Any

ARRETE: list[dict[str, Any]] = [
    {
        "objet": "Réglementation de la circulation et du stationnement pour le carnaval des écoles",
        "textes": "Code général des collectivités territoriales, articles L2213-1 et L2213-2",
        "motifs": "Défilé du carnaval des écoles organisé le samedi 15 mars ; sécurité des enfants et du public.",
        "mesures": "Circulation et stationnement interdits avenue Jean Jaurès et rue de la République le samedi 15 mars de 13 h à 18 h. Déviation par le boulevard Pasteur.",
        "individuel": "non",
    },
    {
        "objet": "Dérogation à l'heure de fermeture d'un débit de boissons",
        "textes": "Code de la santé publique, article L3332-15 ; arrêté préfectoral du 12 janvier 2024 relatif aux horaires d'ouverture des débits de boissons",
        "motifs": "Demande du gérant reçue le 2 mai pour la saison estivale ; aucune plainte de voisinage enregistrée l'an dernier.",
        "mesures": "Fermeture à 2 h autorisée les vendredis et samedis du 1er juin au 31 août. La musique amplifiée cesse à minuit.",
        "individuel": "oui",
        "beneficiaire": "M. Rachid Amrani, gérant du bar Le Balto",
    },
    {
        "objet": "Interdiction de la baignade au plan d'eau de la Noue",
        "textes": "Code général des collectivités territoriales, article L2213-23",
        "motifs": "Les analyses de l'agence régionale de santé du 8 juillet révèlent la présence de cyanobactéries.",
        "mesures": "Baignade et activités nautiques interdites au plan d'eau jusqu'à nouvel ordre. Panneaux d'information posés aux accès.",
        "individuel": "non",
    },
    {
        "objet": "Interdiction d'accès au clocher de l'église Saint-Martin",
        "textes": "",
        "motifs": "Le bureau de contrôle a relevé des fissures sur l'escalier du clocher lors de sa visite du 21 octobre.",
        "mesures": "Accès au clocher interdit au public et aux bénévoles jusqu'à la fin des travaux de confortement.",
        "individuel": "non",
    },
    {
        "objet": "Permission de voirie pour la pose d'un échafaudage",
        "textes": "Code de la voirie routière, article L113-2 ; code général des collectivités territoriales, article L2213-1",
        "motifs": "Réfection de la toiture de l'immeuble du 27 rue Gambetta.",
        "mesures": "Échafaudage autorisé sur le trottoir devant le 27 rue Gambetta du 12 au 30 mai. Un passage piéton protégé de 1,20 m est maintenu. Signalisation lumineuse la nuit à la charge de l'entreprise.",
        "individuel": "oui",
        "beneficiaire": "Entreprise Couverture Lemaire",
    },
    {
        "objet": "Stationnement des camping-cars sur le parking du lac",
        "textes": "Code général des collectivités territoriales, article L2213-2",
        "motifs": "Stationnements prolongés de camping-cars et rejets d'eaux usées constatés sur le parking du lac.",
        "mesures": "Stationnement des camping-cars interdit de 22 h à 7 h sur le parking du lac. Les camping-cars sont dirigés vers l'aire de la route de Vire.",
        "individuel": "non",
    },
    {
        "objet": "Autorisation d'un vide-grenier sur la place de la Mairie",
        "textes": "Code de commerce, article L310-2 ; code général des collectivités territoriales, article L2212-2",
        "motifs": "Vide-grenier annuel organisé par l'association au profit de la coopérative scolaire.",
        "mesures": "Vide-grenier autorisé le dimanche 7 septembre de 6 h à 18 h place de la Mairie, 120 exposants au maximum. Circulation interdite dans le périmètre de la manifestation pendant la même durée.",
        "individuel": "oui",
        "beneficiaire": "Association Les Parents du Bocage, représentée par Mme Anne Lecomte",
    },
    {
        "objet": "Création d'une zone de rencontre au centre-bourg",
        "textes": "Code de la route, articles R110-2 et R411-3",
        "motifs": "Fréquentation piétonne importante rue du Commerce ; trottoirs étroits.",
        "mesures": "Zone de rencontre rue du Commerce et place du Puits à compter du 1er octobre : vitesse limitée à 20 km/h, priorité aux piétons, stationnement uniquement sur les emplacements marqués.",
        "individuel": "non",
    },
    {
        "objet": "Horaires des travaux de bricolage et de jardinage bruyants",
        "textes": "Code de la santé publique, articles R1334-30 à R1334-37",
        "motifs": "Plaintes répétées de riverains pour l'usage de tondeuses et de tronçonneuses tôt le matin et le dimanche.",
        "mesures": "Travaux bruyants autorisés en semaine de 8 h 30 à 12 h et de 14 h 30 à 19 h 30, le samedi de 9 h à 12 h et de 15 h à 19 h, le dimanche et les jours fériés de 10 h à 12 h seulement.",
        "individuel": "non",
    },
    {
        "objet": "Délégation de fonction et de signature à une adjointe",
        "textes": "Code général des collectivités territoriales, article L2122-18",
        "motifs": "Bonne marche de l'administration communale dans le domaine des affaires scolaires.",
        "mesures": "Délégation de fonction et de signature pour les affaires scolaires et la petite enfance à compter du 1er janvier, y compris la signature des inscriptions scolaires et des conventions avec les écoles.",
        "individuel": "oui",
        "beneficiaire": "Mme Sylvie Marchand, deuxième adjointe",
    },
    {
        "objet": "Fermeture de l'aire de jeux du square Pasteur",
        "textes": "",
        "motifs": "Le contrôle de sécurité du 3 avril a jugé le toboggan non conforme (marche cassée, risque de chute).",
        "mesures": "Aire de jeux du square Pasteur fermée au public jusqu'au remplacement du toboggan. Accès condamné par des barrières.",
        "individuel": "non",
    },
    {
        "objet": "Autorisation de tir d'un feu d'artifice",
        "textes": "Décret n° 2010-580 du 31 mai 2010 relatif à l'acquisition, la détention et l'utilisation des artifices de divertissement",
        "motifs": "Feu d'artifice de la fête nationale tiré par un artificier certifié.",
        "mesures": "Tir autorisé le 13 juillet à 23 h depuis le stade municipal. Périmètre de sécurité de 100 mètres interdit au public pendant le tir.",
        "individuel": "oui",
        "beneficiaire": "Comité des fêtes de Démoville, représenté par M. Gilles Perrot",
    },
    {
        "objet": "Restriction des usages de l'eau en période de sécheresse",
        "textes": "Arrêté préfectoral du 18 juillet 2025 plaçant le département en alerte sécheresse ; code général des collectivités territoriales, article L2212-2",
        "motifs": "Baisse du niveau du captage communal.",
        "mesures": "Jusqu'au 30 septembre : arrosage des jardins interdit de 10 h à 20 h, lavage des véhicules interdit hors des stations, remplissage des piscines privées interdit.",
        "individuel": "non",
    },
    {
        "objet": "Autorisation de stationnement d'un camion-pizza",
        "textes": "Code général de la propriété des personnes publiques, article L2122-1",
        "motifs": "Demande reçue le 4 février.",
        "mesures": "Stationnement autorisé sur le parking de la salle des fêtes chaque mardi de 17 h à 22 h pour une durée d'un an. Redevance fixée par la délibération tarifaire en vigueur. Aucun branchement électrique n'est fourni.",
        "individuel": "oui",
        "beneficiaire": "Mme Laetitia Morin, exploitante du camion Pizza Laeti",
    },
    {
        "objet": "Interdiction de circuler sur le chemin de la Prairie",
        "textes": "",
        "motifs": "Crue de la rivière ; le chemin de la Prairie est submergé sur 200 mètres.",
        "mesures": "Circulation interdite à tous les véhicules et aux piétons sur le chemin de la Prairie jusqu'à la décrue. Barrières posées aux deux extrémités.",
        "individuel": "non",
    },
    {
        "objet": "Tenue des chiens en laisse dans les lieux publics",
        "textes": "Code rural et de la pêche maritime, article L211-22 ; code général des collectivités territoriales, article L2212-2",
        "motifs": "Deux morsures signalées en mars et déjections nombreuses dans le parc municipal.",
        "mesures": "Les chiens sont tenus en laisse dans le parc municipal, aux abords des écoles et sur le marché. Ils sont interdits sur les aires de jeux.",
        "individuel": "non",
    },
    {
        "objet": "Attribution d'un numéro de voirie",
        "textes": "Code général des collectivités territoriales, article L2213-28",
        "motifs": "Construction d'une maison neuve sur la parcelle cadastrée AB 214.",
        "mesures": "Le numéro 17 bis rue des Vergers est attribué à la parcelle cadastrée AB 214. La plaque est fournie par la commune et posée par le propriétaire.",
        "individuel": "oui",
        "beneficiaire": "M. et Mme Kervella",
    },
    {
        "objet": "Stationnement d'un camion de déménagement rue Saint-Jean",
        "textes": "",
        "motifs": "Déménagement au 4 rue Saint-Jean, rue trop étroite pour laisser passer les véhicules à côté du camion.",
        "mesures": "Camion autorisé à stationner devant le 4 rue Saint-Jean le 28 juin de 8 h à 18 h. Circulation interrompue par intermittence ; déviation par la rue du Marché.",
        "individuel": "oui",
        "beneficiaire": "Déménagements Lucas",
    },
    {
        "objet": "Vente de muguet sur la voie publique le 1er mai",
        "textes": "Code général des collectivités territoriales, articles L2212-1 et L2212-2",
        "motifs": "Vente par des particuliers tolérée par l'usage ; encombrement des trottoirs et concurrence devant les fleuristes les années précédentes.",
        "mesures": "Vente de muguet par des particuliers autorisée le 1er mai seulement, à plus de 50 mètres des fleuristes, sans table ni tréteaux.",
        "individuel": "non",
    },
    {
        "objet": "Interdiction des pétards la nuit du Nouvel An",
        "textes": "Code général des collectivités territoriales, article L2212-2",
        "motifs": "Blessures et dégradations lors des précédents réveillons.",
        "mesures": "Utilisation de pétards et d'artifices de divertissement interdite sur la voie publique du 31 décembre à 18 h au 1er janvier à 8 h.",
        "individuel": "non",
    },
]
