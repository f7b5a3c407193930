# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out messages for the réseaux sociaux (bench_assistants.py --heldout): written before any
tuning on them and never used to tune the prompt or the checks. Varied messages: an alert, a
recruitment, an event with a programme, a closure, a consultation, a thank-you, a practical
reminder, one line or a paragraph, with and without a link, every choice of networks."""

from __future__ import annotations

from typing import Any

RESEAUX_SOCIAUX: list[dict[str, Any]] = [
    {
        "message": "Le repair café revient le premier samedi de chaque mois à la salle du Parc, de 9 h 30 à 12 h 30. Des bénévoles vous aident gratuitement à réparer petit électroménager, vêtements, vélos et jouets. Venez avec votre objet en panne !",
        "reseaux": "Facebook, X, LinkedIn, Instagram",
        "lien": "https://www.demoville.fr/repair-cafe",
    },
    {
        "message": "Vigilance rouge canicule demain. La salle climatisée de la médiathèque est ouverte à tous de 10 h à 18 h. Appelez le 01 23 45 67 00 si vous êtes isolé ou si un proche a besoin d'aide.",
        "reseaux": "X",
    },
    {
        "message": "La commune recrute un ou une responsable du service des espaces verts (catégorie B, temps complet). Management d'une équipe de 6 agents, gestion différenciée, zéro pesticide. Candidatures avant le 10 octobre.",
        "reseaux": "LinkedIn",
        "lien": "https://www.demoville.fr/recrutement",
    },
    {
        "message": "Merci aux 85 bénévoles qui ont nettoyé les berges de la rivière dimanche : 1,2 tonne de déchets ramassés !",
        "reseaux": "Instagram",
    },
    {
        "message": "Donnez votre avis sur le futur aménagement du parc des Tilleuls : questionnaire en ligne ouvert jusqu'au 30 avril, et atelier de concertation sur place le samedi 12 avril à 10 h.",
        "reseaux": "Facebook",
        "lien": "https://participer.demoville.fr/parc",
    },
    {
        "message": "Fermeture exceptionnelle de la mairie vendredi après-midi.",
        "reseaux": "Facebook, X, LinkedIn, Instagram",
    },
    {
        "message": "Salon du livre jeunesse samedi et dimanche à la salle des fêtes : rencontres avec 12 auteurs et illustrateurs, lectures contées pour les tout-petits à 10 h 30, atelier bande dessinée à 15 h, entrée libre.",
        "reseaux": "Instagram",
        "lien": "https://www.demoville.fr/salon-livre",
    },
    {
        "message": "Rappel : depuis le 1er janvier, les biodéchets se trient. Des bioseaux et des composteurs sont distribués gratuitement aux services techniques le mercredi de 14 h à 17 h.",
        "reseaux": "Facebook",
    },
    {
        "message": "Démoville lauréate de l'appel à projets régional pour la rénovation énergétique de ses écoles : 380 000 euros de subvention pour isoler l'école des Tilleuls et l'école Curie.",
        "reseaux": "LinkedIn",
    },
    {
        "message": "Pont de la rue du Moulin fermé à la circulation du 3 au 7 mars pour inspection. Déviation par la route de Vire. Les piétons peuvent passer.",
        "reseaux": "X",
        "lien": "https://www.demoville.fr/travaux",
    },
    {
        "message": "Le conseil municipal se réunit jeudi à 19 h en mairie. Au programme : budget primitif, tarifs de la cantine, convention avec le club de football. Séance publique, retransmise en direct.",
        "reseaux": "Facebook, X, LinkedIn, Instagram",
        "lien": "https://www.demoville.fr/conseil-municipal",
    },
    {
        "message": "Opération tranquillité vacances : signalez votre absence à la police municipale avant de partir et des patrouilles passeront devant votre domicile. Formulaire disponible en mairie et en ligne.",
        "reseaux": "Facebook",
        "lien": "https://www.demoville.fr/tranquillite-vacances",
    },
    {
        "message": "Retour en images sur le carnaval des écoles : merci aux enfants, aux enseignants et aux parents pour ces superbes costumes !",
        "reseaux": "Instagram",
    },
    {
        "message": "Coupure d'électricité programmée par le gestionnaire du réseau mardi de 13 h à 16 h dans le quartier Nord.",
        "reseaux": "X",
    },
    {
        "message": "Le centre communal d'action sociale organise un atelier gratuit « Bien utiliser son smartphone » pour les plus de 60 ans, 4 séances le jeudi matin à partir du 6 novembre. 10 places, inscription au CCAS.",
        "reseaux": "Facebook, X, LinkedIn, Instagram",
    },
    {
        "message": "La commune signe une convention avec l'université pour accueillir chaque année deux apprentis en urbanisme et en communication.",
        "reseaux": "LinkedIn",
        "lien": "https://www.demoville.fr/actualites",
    },
    {
        "message": "Nouveaux horaires de la déchèterie à partir du 1er novembre : du mardi au samedi de 9 h à 12 h et de 13 h 30 à 17 h. Fermée le dimanche et le lundi.",
        "reseaux": "Facebook",
    },
    {
        "message": "Course des familles dimanche 18 mai : 2 km pour les enfants, 5 km en famille, départ 10 h du stade. Inscription gratuite sur place, un fruit offert à chaque participant.",
        "reseaux": "Instagram",
    },
    {
        "message": "Alerte arnaque : de faux agents se présentent au domicile de personnes âgées en se disant envoyés par la mairie pour contrôler les compteurs. La mairie ne fait aucun démarchage à domicile. En cas de doute, ne laissez entrer personne et appelez le 17.",
        "reseaux": "Facebook, X, LinkedIn, Instagram",
    },
    {
        "message": "Inscriptions ouvertes pour le séjour ski des 11-15 ans pendant les vacances d'hiver.",
        "reseaux": "X",
        "lien": "https://famille.demoville.fr/sejours",
    },
]
