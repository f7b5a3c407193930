# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out texts for the correction (bench_assistants.py --heldout): written before any tuning
on them and never used to tune the prompt or the checks; none comes from
bench/data/correction-fr.jsonl. Varied forms: an internal e-mail, a notice, a letter, a note
with a list, a one-liner, a deliberation excerpt, an SMS-like message, errors of agreement,
conjugation, homophones and accents. `_unchanged`: the text has no error (any change is
flagged)."""

from __future__ import annotations

from typing import Any

CORRECTION: list[dict[str, Any]] = [
    {
        "texte": "Bonjour à tous,\n\nJe vous rappel que la réunion de service initialement prévu jeudi est avancé à mercredi 14 h, en salle du conseil. Merci de m'envoyer vos point à aborder avant demain midi.\n\nBonne journée,\nNadia"
    },
    {
        "texte": "Les habitants sont informés que la collecte des ordures ménagère du lundi de Pentecôte est maintenu. Les bacs devront être sortis la veille au soir."
    },
    {
        "texte": "Monsieur,\n\nNous accusons réception de votre demande de raccordement au réseau d'assainissement. Celle-ci a été transmise au service compétent, qui prendra contact avec vous pour fixer un rendez-vous.\n\nNous vous prions d'agréer, Monsieur, nos salutations distinguées.",
        "_unchanged": True,
    },
    {
        "texte": "Objet : matériel pour la fête de l'école\n\n- 20 table et 80 chaise a livrer vendredi avant 10 h\n- la sono doit être tester la veille\n- prévoir des barrière devant l'entrée\n\nLes services technique se chargeront du montage."
    },
    {"texte": "Ont été élu à l'unanimité les membres suivant de la commission d'appel d'offre."},
    {
        "texte": "Madame,\n\nEn réponse a votre courrier du 2 février, j'ai l'honneur de vous faire savoir que votre fils pourra être accueillis à l'accueil de loisir à partir du 1er mars. Ces inscriptions devront être confirmé sur le portail famille.\n\nJe vous prie de croire, Madame, à l'assurance de mes sentiments distingués."
    },
    {
        "texte": "Salut Thomas, tu peut passer récupéré les clés de la salle polyvalente ce soir ? Le gardien à déjà fermer à 17 h. Merci d'avance"
    },
    {
        "texte": "Le conseil municipal, après en avoir délibérer, décide d'attribuer une subvention exceptionnel de 800 euros a l'association des parents d'élèves, et autorise le maire a signer tout les documents s'y rapportant."
    },
    {
        "texte": "AVIS : en raison des travaux, l'accueil de la mairie sera transféré dans les locaux de la médiathèque du 3 au 14 novembre. Les horaires restes inchangés."
    },
    {
        "texte": "Note à l'attention des agents d'entretien\n\nSuite au contrôle de l'inspection, les produits d'entretien doivent être rangés dans l'armoire fermé à clé. Aucun produit ne doit resté dans les sanitaire ou les classes. Les fiches de sécurité sont disponible au bureau du responsable."
    },
    {"texte": "La piscine municipale sera fermée pour vidange du 2 au 8 septembre inclus."},
    {
        "texte": "Madame la Directrice,\n\nJe me permet de vous solliciter concernant les horaires du transport scolaire. Plusieurs parents m'ont signalés que le car arrive après le début des cours. Pourriez-vous me dire si vous avez constaté se problème ?\n\nCordialement,\nL'adjointe aux affaires scolaires"
    },
    {
        "texte": "Les inscriptions pour le repas des aînés sont ouverte jusqu'au 30 novembre. Les personnes de plus de 70 ans qui n'aurait pas reçu d'invitation peuvent se faire connaitre a l'accueil."
    },
    {
        "texte": "Compte tenu des intempéries, le marché de plein air est annulé ce samedi. Nous vous remercions de votre compréhension.",
        "_unchanged": True,
    },
    {
        "texte": "Bonjour,\n\nCi-joint les devis que vous m'aviez demandé pour la réfection de la toiture du préau. L'entreprise la moins chère propose une intervention durant les vacance de la Toussaint. Je reste a votre disposition pour en discuter.\n\nBien a vous"
    },
    {
        "texte": "Rappel : les demandes de carte d'identité ce font uniquement sur rendez-vous. Les usagers sans rendez-vous ne pourront pas être reçu."
    },
    {
        "texte": "Les élus ont visités le chantier de la nouvelle cantine vendredi dernier. Les travaux avance conformément au planning et la livraison est toujours prévu pour la rentrée."
    },
    {
        "texte": "Madame, Monsieur,\n\nVous trouverez ci-joint l'arrêté autorisant l'occupation du domaine publique pour votre déménagement. Il devra être affiché sur le véhicule de façon visible. Le stationnement des autre véhicules sera interdit sur l'emplacement réservé.\n\nCordialement."
    },
    {
        "texte": "Quelque soit la météo, la cérémonie du 11 novembre aura lieu devant le monument au morts à 11 h."
    },
    {
        "texte": "Merci a tous les bénévoles qui ont participés à l'opération nettoyons la nature. Grâce a vous, plus de 300 kilos de déchets ont été ramassé le long de la rivière !"
    },
]
