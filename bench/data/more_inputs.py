# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""More varied inputs for bench_assistants.py, so that every built-in runs on 20 (the first
inputs are in bench_assistants.INPUTS). Keys starting with "_" are expectations for the checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent


def _letters() -> list[dict[str, Any]]:
    cases = [
        (
            "Madame Sophie Bernard, 2 allée des Roses",
            "Renouvellement de la carte de stationnement résident",
            "Carte expirée le 30 avril. Joindre un justificatif de domicile de moins de trois mois et la carte grise. Tarif annuel : 25 euros.",
            "cordial",
        ),
        (
            "Monsieur Paul Girard",
            "Refus d'occupation du domaine public",
            "Demande de terrasse de 20 m² place du Marché. Le passage piéton doit rester libre sur 1,40 m. Une terrasse de 12 m² pourrait être autorisée.",
            "formel",
        ),
        (
            "Club de football de Démoville",
            "Mise à disposition du stade",
            "Stade disponible les samedis de 14 h à 18 h de septembre à juin. Convention à signer avant le 1er septembre.",
            "cordial",
        ),
        (
            "Madame Aline Roux",
            "Dépôt sauvage devant votre propriété",
            "Des encombrants sont déposés depuis dix jours devant le 5 rue Neuve. Ils doivent être retirés sous 7 jours. À défaut, l'enlèvement sera facturé.",
            "ferme",
        ),
        (
            "Monsieur le Président du SIVOM",
            "Participation aux frais de transport scolaire",
            "La commune confirme sa participation de 12 000 euros pour l'année scolaire. Le titre de recette est attendu en janvier.",
            "formel",
        ),
        (
            "Madame Lucie Fontaine",
            "Inscription au registre canicule",
            "Inscription enregistrée le 2 juin. Un agent du CCAS appellera en cas d'alerte canicule.",
            "cordial",
        ),
        (
            "Entreprise Élec Services",
            "Réception des travaux d'éclairage public",
            "Réception prononcée le 15 mars avec deux réserves : deux candélabres à remplacer rue Basse. Levée des réserves attendue sous un mois.",
            "formel",
        ),
        (
            "Monsieur Marc Dubois",
            "Demande de raccordement au réseau d'assainissement",
            "Le raccordement est obligatoire dans les deux ans suivant la mise en service du réseau, le 1er juillet dernier. Devis du service des eaux joint.",
            "formel",
        ),
        (
            "Madame Yasmine Haddad",
            "Place en accueil de loisirs",
            "Deux places libérées pour les mercredis. Confirmer l'inscription avant vendredi à l'accueil de la mairie.",
            "cordial",
        ),
        (
            "Monsieur Thierry Lambert",
            "Arbre menaçant de tomber sur la voie publique",
            "Le chêne de votre terrain penche sur la route départementale. Un élagage est nécessaire sous 15 jours pour la sécurité des usagers.",
            "ferme",
        ),
        (
            "Association Solidarité Démoville",
            "Prêt de la salle des fêtes",
            "Salle prêtée gratuitement le 12 octobre pour la collecte alimentaire. Remise des clés la veille à 17 h.",
            "cordial",
        ),
        (
            "Madame Nicole Perrin",
            "Réclamation sur la facture d'eau",
            "Consommation de 180 m³ relevée contre 60 m³ habituellement. Une fuite après compteur est possible. Un agent vérifiera le compteur le 4 mai.",
            "formel",
        ),
        (
            "Monsieur Hugo Martin",
            "Candidature au poste d'agent d'accueil",
            "Candidature reçue. Le jury se réunira le 20 septembre. Les candidats retenus seront convoqués à un entretien.",
            "formel",
        ),
    ]
    return [{"destinataire": d, "objet": o, "faits": f, "ton": t} for d, o, f, t in cases]


def _replies() -> list[dict[str, Any]]:
    cases = [
        ("Bonjour, quels sont les horaires de la déchèterie le dimanche ? Merci.", "", False),
        (
            "Je conteste formellement l'amende de stationnement reçue hier, j'étais garé sur une place autorisée. Je demande son annulation.",
            "",
            True,
        ),
        (
            "Bonjour, peut-on réserver la salle polyvalente pour un anniversaire le 14 septembre ?",
            "Salle louée 150 euros le week-end aux habitants, réservation à l'accueil.",
            False,
        ),
        (
            "Mon mari est décédé la semaine dernière, je ne sais pas quelles démarches faire à la mairie. Pouvez-vous m'aider ?",
            "",
            True,
        ),
        (
            "Bonjour, où trouver le formulaire pour une demande de carte d'identité ?",
            "Prise de rendez-vous en ligne sur le site de la commune.",
            False,
        ),
        (
            "Le chantier en face de chez moi fait un bruit infernal dès 6 h du matin. C'est légal ?",
            "Arrêté municipal : chantiers autorisés de 7 h à 20 h en semaine.",
            False,
        ),
        ("Je souhaite faire un recours contre le refus de mon permis de construire.", "", True),
        (
            "Bonjour, la piscine municipale est-elle ouverte pendant les vacances de Noël ?",
            "",
            False,
        ),
        ("Mon voisin menace de me frapper, la police municipale peut-elle intervenir ?", "", True),
        (
            "Bonjour, comment inscrire mon enfant à l'école maternelle pour la rentrée ?",
            "Inscription en mairie avec livret de famille, justificatif de domicile et carnet de vaccinations.",
            False,
        ),
        (
            "Pourquoi ma demande de logement social n'avance pas depuis deux ans ? Je vis à cinq dans un deux-pièces.",
            "",
            True,
        ),
        ("Bonjour, le marché du jeudi est-il maintenu le jour de l'Ascension ?", "", False),
        (
            "Je voudrais savoir si la commune propose des composteurs gratuits.",
            "Composteurs distribués gratuitement sur inscription, deux distributions par an.",
            False,
        ),
    ]
    return [{"courriel": c, "elements": e, "_human": h} for c, e, h in cases]


def _replies_second() -> list[dict[str, Any]]:
    """A second dev batch (inputs 21-32), written on 7 December 2026 before they were run and
    before any word of `replies/human.yaml` changed for them: delicate situations the first
    batch lacks, beside routine questions. (Its author knew that one held-out email tells of a
    lost job: no email here does.)"""
    cases = [
        ("Bonjour, à quelle heure ouvre la médiathèque le samedi ?", "", False),
        (
            "Mon fils de 9 ans a un cancer, il est hospitalisé à Rennes pour plusieurs mois. Qui "
            "peut m'aider pour la garde de sa petite sœur le mercredi ?",
            "",
            True,
        ),
        (
            "Bonjour, je voudrais savoir si le marché de Noël aura lieu place de l'Église cette année.",
            "Marché de Noël les 13 et 14 décembre, place de l'Église.",
            False,
        ),
        (
            "Un camion de la commune a reculé dans ma clôture hier matin et l'a arrachée. Qui va "
            "payer la réparation ?",
            "",
            True,
        ),
        (
            "Depuis des mois mon voisin m'insulte et crie sous mes fenêtres la nuit, j'ai peur de "
            "sortir de chez moi. Je ne sais plus quoi faire.",
            "",
            True,
        ),
        (
            "Bonjour, comment obtenir un composteur ? Merci d'avance.",
            "Composteurs gratuits sur inscription à l'accueil de la mairie.",
            False,
        ),
        (
            "Nous sommes hébergés chez des amis depuis notre séparation et nous devrons partir à "
            "la fin du mois, avec trois enfants. Avez-vous un logement d'urgence ?",
            "",
            True,
        ),
        (
            "Je n'ai plus de quoi payer l'électricité et on m'annonce une coupure la semaine "
            "prochaine. Est-ce que le CCAS peut faire quelque chose ?",
            "",
            True,
        ),
        (
            "Bonjour, le ramassage des encombrants passe-t-il dans mon quartier ce mois-ci ?",
            "Collecte des encombrants sur rendez-vous, le premier mardi du mois.",
            False,
        ),
        (
            "Ma fille en situation de handicap a été refusée à la cantine parce qu'il n'y aurait "
            "pas assez de personnel. Je trouve cela discriminatoire.",
            "",
            True,
        ),
        (
            "Bonjour, puis-je déposer mon dossier de mariage par courriel ou faut-il venir ?",
            "Dossier de mariage déposé en mairie, sur rendez-vous, par les deux futurs époux.",
            False,
        ),
        (
            "Je suis tombé sur le trottoir défoncé rue Gambetta, je me suis cassé le poignet. Je "
            "veux que la mairie prenne en charge mes frais.",
            "",
            True,
        ),
    ]
    return [{"courriel": c, "elements": e, "_human": h} for c, e, h in cases]


def _replies_third() -> list[dict[str, Any]]:
    """A third dev batch (inputs 33-52), written on 8 December 2026 at 00:30 UTC before they
    were run and before any rule changed for them: the first two are answered right, so they no
    longer show where the human flag fails. Harder both ways: plain questions written in anger or
    haste, and requests that engage the collectivité written calmly (a waiver, an exemption, a
    contested fine, a terrace on the pavement, a grant)."""
    cases = [
        ("URGENT !!! Les horaires de la piscine pendant les vacances svp, on part demain matin.", "Piscine ouverte tous les jours de 10 h à 19 h pendant les vacances scolaires.", False),
        ("Je ne trouve nulle part les horaires de la déchetterie, c'est pénible ! Pouvez-vous me les donner ?", "Déchetterie ouverte du mardi au samedi, 9 h-12 h et 14 h-18 h.", False),
        ("Bonjour, quelles pièces faut-il pour inscrire mon enfant à la cantine ?", "Dossier d'inscription, justificatif de domicile, attestation de quotient familial.", False),
        ("Merci à vos services techniques qui ont réparé le lampadaire de notre rue en deux jours !", "", False),
        ("Est-il possible de louer la salle des fêtes un dimanche pour un anniversaire ? Quel est le tarif ?", "Salle des fêtes : 250 euros le week-end pour les habitants, réservation à l'accueil.", False),
        ("Bonjour, où puis-je faire légaliser ma signature ?", "Légalisation de signature à l'accueil de la mairie, avec une pièce d'identité.", False),
        ("Ma mère voudrait s'inscrire au repas des aînés de janvier, comment faire ?", "Inscription au repas des aînés à l'accueil avant le 15 décembre.", False),
        ("Le lien du formulaire de demande d'acte de naissance sur votre site ne marche pas, quelle est la bonne adresse ?", "", False),
        ("Le conciliateur de justice tient-il encore des permanences en mairie ?", "Permanence du conciliateur de justice le premier jeudi du mois, sur rendez-vous.", False),
        ("Bonjour, quand a lieu le prochain conseil municipal, et peut-on y assister ?", "Conseil municipal le 16 décembre à 19 h, séance publique.", False),
        ("Bonjour, je sollicite une dérogation pour que ma fille soit scolarisée à l'école du quartier voisin, plus proche de mon travail.", "", True),
        ("Madame le Maire, je vous demande une remise gracieuse de la facture de cantine de mars : mes enfants étaient malades tout le mois.", "", True),
        ("Je souhaite contester l'amende de stationnement reçue le 3 mai, mon disque était bien visible derrière le pare-brise.", "", True),
        ("Le chien des voisins divague dans la rue et a mordu le mien hier. Que comptez-vous faire ?", "", True),
        ("Ma mère de 92 ans vit seule, elle est tombée deux fois cette semaine et refuse de quitter sa maison. Que peut faire la mairie ?", "", True),
        ("Nous demandons l'autorisation d'installer une terrasse devant notre café, sur le trottoir, du 1er avril au 30 septembre.", "", True),
        ("Bonjour, je travaille aux espaces verts de la commune et je voudrais parler à quelqu'un de mes conditions de travail, ça ne va plus du tout.", "", True),
        ("La haie de la commune déborde sur mon terrain et ses branches ont abîmé ma toiture : je vous demande de rembourser la réparation.", "", True),
        ("Mon permis de construire a été refusé. Je demande un rendez-vous avec l'adjoint à l'urbanisme pour en discuter.", "", True),
        ("Bonjour, notre club de football demande à la commune une aide pour acheter des maillots pour le tournoi de juin.", "", True),
    ]
    return [{"courriel": c, "elements": e, "_human": h} for c, e, h in cases]


def _arretes() -> list[dict[str, Any]]:
    cases = [
        (
            "Interdiction de stationner place du Marché le jeudi matin",
            "Code général des collectivités territoriales, articles L2212-2 et L2213-2",
            "Tenue du marché hebdomadaire",
            "Stationnement interdit le jeudi de 5 h à 14 h place du Marché",
            "non",
            "",
        ),
        (
            "Autorisation d'occupation du domaine public pour une terrasse",
            "Code général de la propriété des personnes publiques, article L2122-1",
            "Demande du café Le Central",
            "Terrasse de 12 m² autorisée devant le 3 place de l'Église du 1er avril au 30 septembre",
            "oui",
            "SARL Le Central",
        ),
        (
            "Réglementation de la vitesse rue des Écoles",
            "Code de la route, article R413-1 ; CGCT, article L2213-1",
            "Sécurité des élèves aux abords de l'école",
            "Vitesse limitée à 30 km/h rue des Écoles",
            "non",
            "",
        ),
        (
            "Fermeture temporaire du parc des Tilleuls",
            "CGCT, article L2212-2",
            "Alerte météo vents violents",
            "Parc fermé au public du 12 au 13 février",
            "non",
            "",
        ),
        (
            "Permission de voirie pour une benne",
            "CGCT, article L2213-6",
            "Travaux de rénovation d'une maison",
            "Benne autorisée devant le 8 rue Haute du 3 au 7 mars",
            "oui",
            "Monsieur Alain Faure",
        ),
        (
            "Interdiction de la consommation d'alcool sur la voie publique",
            "CGCT, article L2212-2",
            "Troubles à l'ordre public signalés près de la gare",
            "Consommation d'alcool interdite rue de la Gare de 20 h à 6 h jusqu'au 31 août",
            "non",
            "",
        ),
        (
            "Déviation pour la course cycliste",
            "Code de la route, article R411-8",
            "Passage de la course cycliste départementale",
            "Circulation interdite route de Villiers le 18 mai de 13 h à 17 h ; déviation par la RD 12",
            "non",
            "",
        ),
        (
            "Autorisation de débit de boissons temporaire",
            "Code de la santé publique, article L3334-2",
            "Fête annuelle de l'association des parents d'élèves",
            "Buvette autorisée le 22 juin de 10 h à 23 h cour de l'école",
            "oui",
            "Association des parents d'élèves",
        ),
        (
            "Mise en sécurité d'un immeuble menaçant ruine",
            "Code de la construction et de l'habitation, article L511-1",
            "Fissures importantes constatées sur la façade",
            "Accès interdit au 14 rue du Four ; pose de barrières",
            "oui",
            "SCI Les Halles",
        ),
        (
            "Réglementation des feux de jardin",
            "Règlement sanitaire départemental, article 84",
            "Plaintes de riverains pour fumées",
            "Brûlage des déchets verts interdit toute l'année",
            "non",
            "",
        ),
        (
            "Stationnement réservé aux personnes handicapées",
            "Code de la route, article R417-11",
            "Création d'une place devant la pharmacie",
            "Une place réservée créée devant le 2 avenue de la République",
            "non",
            "",
        ),
        (
            "Horaires d'ouverture du cimetière",
            "CGCT, article L2213-8",
            "Changement d'heure",
            "Cimetière ouvert de 8 h à 19 h du 1er avril au 30 septembre et de 8 h à 17 h le reste de l'année",
            "non",
            "",
        ),
        (
            "Autorisation de tournage",
            "CGCT, article L2213-1",
            "Tournage d'un court métrage",
            "Tournage autorisé rue du Château le 5 octobre de 7 h à 19 h, stationnement neutralisé",
            "oui",
            "Société Films du Nord",
        ),
        (
            "Interdiction temporaire de circulation des poids lourds",
            "Code de la route, article R411-8",
            "Travaux sur le pont de la Rivière",
            "Véhicules de plus de 3,5 tonnes interdits sur le pont du 1er au 30 juin",
            "non",
            "",
        ),
    ]
    keys = ("objet", "textes", "motifs", "mesures", "individuel", "beneficiaire")
    return [dict(zip(keys, c, strict=True)) for c in cases]


def _minutes() -> list[dict[str, Any]]:
    cases = [
        (
            "Réunion du service enfance",
            "Présents : Mme Duval, M. Simon. Bilan des inscriptions : 210 enfants. Décision : ouvrir une classe de plus au centre de loisirs. Action : Mme Duval recrute deux animateurs avant le 15 août.",
        ),
        (
            "Comité des fêtes",
            "Présents : M. Blanc, Mme Noël, M. Robert. Fête du 14 juillet : feu d'artifice maintenu. Budget 8 000 euros. M. Robert contacte l'artificier. Question : qui gère la buvette ?",
        ),
        (
            "Commission travaux",
            "Présents : M. Petit (adjoint), Mme Laurent (DST). Toiture de l'église : devis de 45 000 euros. Décision reportée au conseil de septembre. Mme Laurent demande deux autres devis.",
        ),
        (
            "Point hebdomadaire accueil",
            "Présents : Karima, Julien, Sandrine. Beaucoup d'appels sur les cartes d'identité. Julien met à jour la page du site. Sandrine prépare une affiche. Prochain point mardi.",
        ),
        (
            "Réunion publique quartier Nord",
            "Présents : le maire, 40 habitants. Demandes : ralentisseurs rue du Stade, éclairage du chemin piéton. Le maire s'engage à étudier les ralentisseurs. Réponse aux habitants avant fin mars.",
        ),
        (
            "Conseil d'école",
            "Présents : Mme Garnier (directrice), M. Caron (mairie), parents élus. Effectifs stables. Demande de rideaux occultants. M. Caron transmet au service technique. Sortie de fin d'année validée.",
        ),
        (
            "Réunion sécurité marché de Noël",
            "Présents : police municipale, pompiers, M. Henry. Plan de circulation validé. Barrières anti-véhicules à installer avant le 1er décembre par le service technique.",
        ),
        (
            "Comité de pilotage numérique",
            "Présents : DGS, DSI, trois référents. Déploiement de l'assistant IA dans deux services pilotes. Formation des agents en janvier. Le DSI prépare le planning. Point d'étape à J+30.",
        ),
        (
            "Commission d'attribution des logements",
            "Présents : Mme Michel, M. Lefèvre, bailleur. Trois logements disponibles. Deux attributions décidées, un dossier incomplet. Mme Michel relance la famille concernée.",
        ),
        (
            "Réunion budget",
            "Présents : maire, adjoint aux finances, DGS. Hausse de l'énergie de 18 %. Décision : pas de hausse des taux d'imposition. Le DGS prépare trois scénarios d'économies pour le 10 février.",
        ),
        (
            "Réunion associations sportives",
            "Présents : cinq présidents de clubs, Mme Arnaud. Planning des gymnases pour la saison. Conflit le mardi soir entre basket et judo. Mme Arnaud propose une alternance.",
        ),
        (
            "Point chantier médiathèque",
            "Présents : architecte, M. Faure, entreprise Bâtir. Retard de trois semaines sur le gros œuvre. L'entreprise remet un planning révisé vendredi. Ouverture toujours prévue en juin.",
        ),
        (
            "Réunion CCAS",
            "Présents : Mme Rolland, deux bénévoles. Colis de Noël pour 85 aînés. Distribution le 18 décembre. Les bénévoles préparent la liste des visites à domicile.",
        ),
        (
            "Commission environnement",
            "Présents : M. Gauthier, Mme Chevalier. Plantation de 50 arbres en novembre. Choix des essences locales. M. Gauthier commande les arbres. Question ouverte : arrosage l'été.",
        ),
    ]
    return [{"titre": t, "notes": n} for t, n in cases]


def _translations() -> list[dict[str, Any]]:
    cases = [
        (
            "# Waste collection\n\nBins are collected every Tuesday morning. Please put them out the evening before.",
            "anglais",
        ),
        (
            "The library will be closed on Monday 5 May for staff training. Online services remain available.",
            "anglais",
        ),
        (
            "## Parking\n\n| Zone | Price |\n|---|---|\n| Centre | 2 euros per hour |\n| Station | Free |",
            "anglais",
        ),
        (
            "Dear residents, the swimming pool reopens on 1 June after renovation works. Opening hours: 9 am to 7 pm.",
            "anglais",
        ),
        (
            "Applications for the summer camp must be submitted before 15 April. Places are limited to 40 children.",
            "anglais",
        ),
        (
            "Die Gemeinde lädt alle Bürger zur Bürgerversammlung am 12. März um 19 Uhr im Rathaus ein.",
            "allemand",
        ),
        (
            "El ayuntamiento informa que el mercado semanal se traslada a la plaza Mayor durante las obras.",
            "espagnol",
        ),
        ("Il municipio sarà chiuso il 2 giugno per la Festa della Repubblica.", "italien"),
        ("# Emergency numbers\n\n- Fire brigade: 18\n- Ambulance: 15\n- Police: 17", "anglais"),
        (
            "Our twin town of Ashford will send a delegation of 20 people in July. Host families are needed.",
            "anglais",
        ),
        (
            "Road works on High Street will last three weeks. A diversion will be signposted via Mill Lane.",
            "anglais",
        ),
        (
            "Please note that payments by cheque are no longer accepted at the town hall from 1 January.",
            "anglais",
        ),
        (
            "Die Bibliothek bietet jeden Mittwoch eine Vorlesestunde für Kinder ab 4 Jahren an.",
            "allemand",
        ),
        (
            "We are pleased to announce the opening of a new cycle path between the station and the school.",
            "anglais",
        ),
    ]
    return [{"texte": t, "langue": lang} for t, lang in cases]


def _translations_second() -> list[dict[str, Any]]:
    """A second dev batch (inputs 21-28), written on 7 December 2026 before they were run: times
    of day on the 12-hour clock as English writes them (« 3pm », « 7.30 p.m. », « noon », a
    range whose first time has no « pm »), which only 2 of the first 20 inputs held."""
    texts = [
        "The farmers' market takes place every Saturday from 8am to 1pm on the church square.",
        "Council meeting: Thursday 12 March at 6.30 p.m. in the town hall. The public may attend.",
        "The recycling centre is open from 10 AM to 6 PM, closed on Sundays and bank holidays.",
        "Children's workshop at the library, Wednesday between 2 and 4 pm. Free, booking required.",
        "Road closure on Rue Pasteur from 9:00 p.m. to 5:00 a.m. on the night of 3 to 4 June.",
        "The sports hall is open Monday to Friday 5-10pm and Saturday 9am-noon.",
        "Free bus shuttle to the fireworks: departures every 20 minutes from 7:45pm, last return "
        "at 12.30am.",
        "Blood donation drive in the community hall on 14 May, 3.30pm to 7.30pm. Please eat "
        "before donating.",
    ]
    return [{"texte": t, "langue": "anglais"} for t in texts]


def _reformulations() -> list[dict[str, Any]]:
    texts = [
        "Suite à votre demande en date du 12 courant, nous avons le regret de vous informer que celle-ci ne pourra recevoir une suite favorable en raison de l'absence de pièces justificatives.",
        "Le conseil municipal, après en avoir délibéré, approuve la convention de partenariat avec la communauté de communes relative à la mutualisation du service d'instruction des autorisations d'urbanisme.",
        "Il est porté à la connaissance des usagers que l'accès aux locaux administratifs est subordonné à la présentation préalable d'un titre d'identité en cours de validité.",
        "La hausse des coûts de l'énergie (+18 %) et des denrées (+9 %) conduit à un déficit prévisionnel de 42 000 euros pour la restauration scolaire, qu'il convient de résorber.",
        "Les travaux de réhabilitation du groupe scolaire, estimés à 1,2 million d'euros, pourraient bénéficier d'une subvention de 40 % au titre de la DETR sous réserve du dépôt du dossier avant le 31 janvier.",
        "Nous vous informons que le montant de votre participation aux frais de garderie est calculé en fonction de votre quotient familial, lequel doit être actualisé chaque année.",
        "Le dispositif de vidéoprotection comprendra douze caméras ; sa mise en œuvre est conditionnée à l'autorisation préfectorale et à l'avis de la commission départementale.",
    ]
    registers = ["note au président", "courrier usager FALC", "synthèse pour les élus"]
    lengths = ["plus court", "équivalente", "plus développée"]
    out = []
    for i in range(14):
        out.append({"texte": texts[i % len(texts)], "registre": registers[i % 3],
                    "longueur": lengths[(i // 3) % 3]})  # fmt: skip
    return out


def _reformulations_second() -> list[dict[str, Any]]:
    """A second dev batch (inputs 21-28), written on 7 December 2026 before they were run and
    before the prompt changed for them: the « plus développée » length, the one the first 20
    inputs flagged most (3 of 3 runs), with 3 inputs only."""
    cases = [
        (
            "Fermeture de la piscine du 2 au 15 septembre pour vidange annuelle. Réouverture le "
            "16 septembre aux horaires habituels.",
            "courrier usager FALC",
        ),
        (
            "Le CCAS propose une aide au chauffage de 150 euros aux foyers non imposables. Dossier "
            "à déposer avant le 30 novembre avec le dernier avis d'imposition.",
            "courrier usager FALC",
        ),
        (
            "Devis de réfection de la toiture de l'église : 86 000 euros HT. Subvention DRAC "
            "possible à 30 %. Décision à prendre avant le conseil du 14 mars.",
            "note au président",
        ),
        (
            "Le PLU révisé classe 12 hectares en zone à urbaniser. L'enquête publique a reçu 48 "
            "observations, dont 31 défavorables. Le commissaire enquêteur rend un avis favorable "
            "avec deux réserves.",
            "synthèse pour les élus",
        ),
        (
            "Recrutement d'un agent de police municipale : poste vacant depuis juin, deux "
            "candidatures reçues, coût annuel chargé 42 000 euros.",
            "note au président",
        ),
        (
            "Le marché de Noël aura lieu place de la Mairie les 13 et 14 décembre. Les exposants "
            "doivent s'inscrire en mairie avant le 1er décembre. L'emplacement coûte 20 euros.",
            "courrier usager FALC",
        ),
        (
            "La fréquentation de la médiathèque a baissé de 12 % en 2025. Les prêts numériques "
            "ont augmenté de 35 %. Proposition : ouvrir le samedi après-midi à partir de janvier.",
            "synthèse pour les élus",
        ),
        (
            "Les demandes de cartes d'identité se font uniquement sur rendez-vous, pris en ligne "
            "ou par téléphone. Délai actuel : 6 semaines. Pensez à la pré-demande en ligne.",
            "note au président",
        ),
    ]
    return [{"texte": t, "registre": r, "longueur": "plus développée"} for t, r in cases]


def _corrections() -> list[dict[str, Any]]:
    """Sentences of the correction set (with their deliberate errors), a second source."""
    lines = (_HERE / "correction-fr.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    return [{"texte": e["text"]} for e in entries[6:20]]


def _swots() -> list[dict[str, Any]]:
    cases = [
        (
            "Ouverture d'une épicerie solidaire",
            "Commune de 6 000 habitants, 12 % de la population sous le seuil de pauvreté, local vacant en centre-bourg.",
        ),
        (
            "Passage à l'éclairage public LED",
            "1 200 points lumineux, facture d'électricité de 180 000 euros par an, subventions du syndicat d'énergie possibles.",
        ),
        (
            "Création d'un conseil municipal des jeunes",
            "Deux collèges sur la commune, peu de participation des jeunes aux réunions publiques.",
        ),
        (
            "Mutualisation de la police municipale avec la commune voisine",
            "Deux agents par commune, horaires de nuit non couverts, convention intercommunale à rédiger.",
        ),
        (
            "Mise en place d'un budget participatif",
            "Enveloppe envisagée de 50 000 euros, plateforme en ligne à choisir, population vieillissante.",
        ),
        (
            "Réouverture de la piscine municipale",
            "Bassin fermé depuis 2 ans, travaux estimés à 2 millions d'euros, clubs de natation demandeurs.",
        ),
        (
            "Navette gratuite vers la gare",
            "Gare à 4 km du centre, 300 actifs prennent le train chaque jour, parking de la gare saturé.",
        ),
        (
            "Végétalisation des cours d'école",
            "Trois écoles, fortes chaleurs en juin, parents favorables, agence de l'eau finance 50 %.",
        ),
        (
            "Numérisation des archives d'état civil",
            "Registres depuis 1850, demandes de généalogistes fréquentes, un agent à mi-temps aux archives.",
        ),
        (
            "Création d'une maison de santé",
            "Deux médecins partent à la retraite dans trois ans, terrain communal disponible, ARS consultée.",
        ),
        (
            "Installation de panneaux solaires sur les bâtiments communaux",
            "Toitures de l'école et du gymnase exposées plein sud, budget d'investissement limité.",
        ),
        (
            "Ouverture de la médiathèque le dimanche",
            "Fréquentation en baisse en semaine, équipe de quatre agents, demande des familles.",
        ),
        (
            "Création d'un jardin partagé",
            "Friche de 2 000 m² près des logements sociaux, association de quartier motivée.",
        ),
        (
            "Passage aux repas 100 % bio à la cantine",
            "400 repas par jour, coût matière de 2,10 euros, producteurs locaux à 20 km.",
        ),
    ]
    return [{"sujet": s, "contexte": c} for s, c in cases]


def _slides() -> list[dict[str, Any]]:
    cases = [
        (
            "Bilan de la saison culturelle",
            "Spectacles : 18. Spectateurs : 4 200. Nouveautés : festival jeune public. Projets : résidence d'artistes.",
            "3",
        ),
        (
            "Plan vélo communal",
            "Constat : peu de pistes. Objectifs : 12 km d'ici 2028. Financement : région et État. Calendrier en trois phases.",
            "4",
        ),
        (
            "Réorganisation de l'accueil",
            "Guichet unique. Horaires élargis le samedi. Formation des agents. Indicateurs de satisfaction.",
            "3",
        ),
        (
            "Budget primitif de la commune",
            "Fonctionnement : 8 M€. Investissement : 3 M€. Priorités : écoles, voirie, énergie. Pas de hausse d'impôts.",
            "5",
        ),
        (
            "Projet de maison de santé",
            "Besoin : départ de deux médecins. Site : terrain communal. Partenaires : ARS, professionnels. Coût estimé.",
            "4",
        ),
        (
            "Sécurité routière aux abords des écoles",
            "Accidents évités de justesse. Zones 30. Ralentisseurs. Sensibilisation des parents.",
            "3",
        ),
        (
            "Présentation du conseil municipal des jeunes",
            "Rôle. Élection dans les collèges. Projets possibles. Calendrier.",
            "4",
        ),
        (
            "Bilan énergétique des bâtiments",
            "Consommation par bâtiment. Bâtiments les plus énergivores. Travaux prioritaires. Économies attendues.",
            "4",
        ),
        (
            "Accueil des nouveaux habitants",
            "Présentation de la commune. Services. Associations. Contacts utiles.",
            "4",
        ),
        (
            "Démarche zéro déchet",
            "Chiffres de la collecte. Compostage. Recycleries. Actions dans les écoles.",
            "3",
        ),
        ("Rentrée scolaire", "Effectifs. Travaux réalisés cet été. Cantine. Périscolaire.", "4"),
        (
            "Projet de jumelage",
            "Ville partenaire. Échanges scolaires. Comité de jumelage. Premières rencontres.",
            "3",
        ),
        (
            "Plan communal de sauvegarde",
            "Risques identifiés : inondation, tempête. Organisation de crise. Alerte de la population. Exercices.",
            "5",
        ),
        (
            "Déploiement de l'assistant IA",
            "Cas d'usage retenus. Services pilotes. Formation. Règles d'usage et charte.",
            "4",
        ),
    ]
    return [{"titre": t, "contenu": c, "nombre": n} for t, c, n in cases]


def _faqs() -> list[dict[str, Any]]:
    cases = [
        (
            "Déchèterie",
            "La déchèterie est ouverte du mardi au samedi de 9 h à 12 h et de 14 h à 18 h. L'accès est gratuit pour les habitants sur présentation d'un badge. Les pneus et l'amiante ne sont pas acceptés.",
        ),
        (
            "Cartes d'identité",
            "Les demandes de carte d'identité se font sur rendez-vous. Il faut une photo de moins de six mois, un justificatif de domicile et la pré-demande en ligne. Le délai est d'environ trois semaines.",
        ),
        (
            "Salle des fêtes",
            "La salle des fêtes accueille 150 personnes. Elle est louée 300 euros le week-end aux habitants et 600 euros aux extérieurs. Une caution de 500 euros est demandée.",
        ),
        (
            "Centre de loisirs",
            "Le centre de loisirs accueille les enfants de 3 à 11 ans le mercredi et pendant les vacances, de 7 h 30 à 18 h 30. L'inscription se fait sur le portail famille au plus tard le jeudi précédent.",
        ),
        (
            "Stationnement",
            "Le stationnement est payant en centre-ville du lundi au samedi de 9 h à 18 h. La première demi-heure est gratuite. Les résidents peuvent obtenir une carte à 25 euros par an.",
        ),
        (
            "Bibliothèque",
            "L'inscription à la bibliothèque est gratuite pour les moins de 18 ans et coûte 10 euros par an pour les adultes. On peut emprunter 6 livres pour trois semaines.",
        ),
        (
            "Encombrants",
            "La collecte des encombrants a lieu le premier lundi de chaque mois sur inscription auprès de la mairie au plus tard le jeudi précédent. Trois objets au maximum par foyer.",
        ),
        (
            "Recensement citoyen",
            "Tout jeune Français doit se faire recenser à la mairie dans les trois mois qui suivent son 16e anniversaire, avec sa carte d'identité et le livret de famille. Une attestation lui est remise.",
        ),
        (
            "Cimetière",
            "Les concessions sont accordées pour 15, 30 ou 50 ans. Une concession de 30 ans coûte 400 euros. Le cimetière est ouvert de 8 h à 18 h.",
        ),
        (
            "Marché hebdomadaire",
            "Le marché se tient le samedi matin place de l'Église de 8 h à 13 h. Les commerçants non sédentaires s'inscrivent auprès du placier. Le droit de place est de 1,50 euro par mètre.",
        ),
        (
            "Piscine municipale",
            "La piscine est ouverte de juin à septembre. L'entrée coûte 3 euros pour les adultes et 1,50 euro pour les enfants. Le bonnet de bain est obligatoire.",
        ),
        (
            "Inscriptions scolaires",
            "L'inscription à l'école se fait d'abord en mairie avec le livret de famille et un justificatif de domicile, puis auprès du directeur de l'école avec le certificat délivré par la mairie.",
        ),
        (
            "Aide au permis de conduire",
            "La commune finance 400 euros du permis des jeunes de 18 à 25 ans en échange de 35 heures de bénévolat dans une association locale. Le dossier est à retirer au CCAS.",
        ),
        (
            "Composteurs",
            "Des composteurs de 400 litres sont distribués gratuitement aux habitants deux fois par an, en avril et en octobre, sur inscription. Une formation de 30 minutes est proposée.",
        ),
    ]
    return [{"sujet": s, "texte": t} for s, t in cases]


def _posts() -> list[dict[str, Any]]:
    cases = [
        ("La mairie sera fermée le lundi de Pâques.", "X", ""),
        ("Collecte de sang à la salle des fêtes le 14 mars de 15 h à 19 h.", "Facebook", ""),
        (
            "Recrutement d'animateurs pour l'été : envoyez vos candidatures avant le 30 avril.",
            "LinkedIn",
            "https://www.demoville.fr/emplois",
        ),
        ("Nouvelle aire de jeux inaugurée au parc des Tilleuls samedi à 11 h.", "Instagram", ""),
        (
            "Coupure d'eau rue des Lilas mardi de 8 h à 12 h pour travaux.",
            "Facebook, X, LinkedIn, Instagram",
            "",
        ),
        (
            "Le forum des associations aura lieu le 7 septembre au gymnase.",
            "Facebook",
            "https://www.demoville.fr/forum",
        ),
        ("Alerte vigilance orange orages : évitez les déplacements cet après-midi.", "X", ""),
        ("Les inscriptions au conseil municipal des jeunes sont ouvertes.", "Instagram", ""),
        ("Réunion publique sur le projet de médiathèque jeudi à 19 h en mairie.", "Facebook", ""),
        ("La commune obtient le label Villes et villages fleuris, deuxième fleur.", "LinkedIn", ""),
        (
            "Opération nettoyage de printemps samedi matin : rendez-vous place de la Mairie.",
            "Facebook, X, LinkedIn, Instagram",
            "",
        ),
        ("Distribution gratuite de composteurs le 12 avril aux services techniques.", "X", ""),
        (
            "Le cinéma de plein air revient en août avec trois séances gratuites.",
            "Instagram",
            "https://www.demoville.fr/cinema",
        ),
        ("Enquête publique sur le plan local d'urbanisme jusqu'au 15 juin.", "Facebook", ""),
    ]
    return [{"message": m, "reseaux": r, "lien": lien} for m, r, lien in cases]


def _triage() -> list[dict[str, Any]]:
    cases = [
        (
            "Le feu tricolore du carrefour de la Poste ne fonctionne plus depuis ce matin.",
            {"Voirie"},
            {"haute"},
        ),
        (
            "Je voudrais réserver une place à la crèche pour septembre.",
            {"Enfance"},
            {"basse", "normale"},
        ),
        (
            "Quel est le délai pour obtenir un passeport en ce moment ?",
            {"Population"},
            {"basse", "normale"},
        ),
        (
            "Mon voisin construit un mur de 3 mètres sans autorisation, je crois.",
            {"Urbanisme"},
            {"normale"},
        ),
        (
            "Je n'arrive pas à payer la cantine en ligne, le site affiche une erreur.",
            {"Finances", "Enfance"},
            {"normale"},
        ),
        (
            "Un nid de poule énorme rue Haute a déjà crevé deux pneus.",
            {"Voirie"},
            {"normale", "haute"},
        ),
        (
            "Je souhaite déclarer la naissance de ma fille née avant-hier.",
            {"Population"},
            {"normale", "haute"},
        ),
        (
            "Des enfants se sont blessés sur le toboggan cassé de l'école maternelle.",
            {"Enfance", "Voirie"},
            {"haute"},
        ),
        (
            "Pouvez-vous m'envoyer le plan local d'urbanisme de ma parcelle ?",
            {"Urbanisme"},
            {"basse", "normale"},
        ),
        (
            "J'ai reçu deux fois la même facture de périscolaire.",
            {"Finances", "Enfance"},
            {"basse", "normale"},
        ),
        (
            "Une canalisation a cédé, la cave de l'école est inondée ce matin.",
            {"Voirie", "Enfance"},
            {"haute"},
        ),
        (
            "Je voudrais un certificat de résidence pour ma banque.",
            {"Population"},
            {"basse", "normale"},
        ),
    ]
    return [{"demande": d, "_service": s, "_urgence": u} for d, s, u in cases]


def _triage_second() -> list[dict[str, Any]]:
    """A second dev batch (inputs 21-40), written on 7 December 2026 before they were run and
    before any rule or example changed for them: the first 20 were all routed right by rules
    written from them, so they no longer measure anything. Citizens' phrasing (no capital,
    typos, several sentences); `set()` when none of the bench's five services is in charge."""
    cases = [
        (
            "bonjour, depuis les travaux de la fibre le trottoir devant le 12 rue des Lilas est "
            "plein de trous et ma mère en fauteuil ne peut plus passer",
            {"Voirie"},
            {"normale", "haute"},
        ),
        (
            "Nous voudrions faire une reconnaissance anticipée avant la naissance de notre bébé, "
            "faut-il prendre rendez-vous ?",
            {"Population"},
            {"basse", "normale"},
        ),
        (
            "Nous venons d'emménager et notre fils entre au CP en septembre : de quelle école "
            "dépend notre rue ?",
            {"Enfance"},
            {"basse", "normale"},
        ),
        (
            "J'ai été prélevé deux fois pour la location de la salle des fêtes du mois dernier.",
            {"Finances"},
            {"basse", "normale"},
        ),
        (
            "Est-ce que je peux installer un carport en limite de propriété ou faut-il un "
            "dossier ?",
            {"Urbanisme"},
            {"basse", "normale"},
        ),
        (
            "Les conteneurs à verre du parking de la salle des sports débordent depuis dix "
            "jours, ça commence à attirer les rats.",
            {"Voirie"},
            {"normale"},
        ),
        (
            "Ma grand-mère a 87 ans, elle vit seule et ne se fait plus à manger. Existe-t-il un "
            "portage de repas dans la commune ?",
            set(),
            {"normale", "haute"},
        ),
        (
            "La borne à incendie devant l'école fuit, l'eau coule sur la chaussée depuis hier "
            "soir.",
            {"Voirie"},
            {"normale", "haute"},
        ),
        (
            "je n'ai pas recu la facture de l'accueil de loisirs de fevrier, comment je la regle ?",
            {"Finances", "Enfance"},
            {"basse", "normale"},
        ),
        (
            "Quels papiers faut-il pour inscrire ma fille à la halte-garderie deux matinées par "
            "semaine ?",
            {"Enfance"},
            {"basse", "normale"},
        ),
        (
            "Mon permis d'aménager a été refusé. Comment faire un recours gracieux auprès du "
            "maire ?",
            {"Urbanisme"},
            {"normale"},
        ),
        (
            "Notre livret de famille a brûlé dans l'incendie de notre maison, comment en avoir "
            "un nouveau ?",
            {"Population"},
            {"normale"},
        ),
        (
            "Un arbre du square penche au-dessus des jeux d'enfants depuis la tempête d'hier, "
            "on entend craquer.",
            {"Voirie"},
            {"haute"},
        ),
        (
            "Je ne peux pas payer en une fois la facture de cantine du trimestre, est-ce "
            "possible de l'étaler ?",
            {"Finances", "Enfance"},
            {"normale"},
        ),
        (
            "Y a-t-il classe le vendredi du pont du 11 novembre ? L'école ne nous a rien dit.",
            {"Enfance"},
            {"basse", "normale"},
        ),
        (
            "Je veux diviser mon terrain en deux pour vendre une partie, quelles démarches dois-je "
            "faire ?",
            {"Urbanisme"},
            {"basse", "normale"},
        ),
        (
            "Il n'y a plus d'eau chaude dans les douches du gymnase depuis une semaine.",
            {"Voirie"},
            {"normale"},
        ),
        (
            "J'aurai 16 ans le mois prochain mais je suis en internat, puis-je faire mon "
            "recensement en ligne ?",
            {"Population"},
            {"basse", "normale"},
        ),
        (
            "Mon conjoint me frappe, je dois quitter le logement ce soir avec mes deux enfants "
            "et je ne sais pas où aller.",
            set(),
            {"haute"},
        ),
        (
            "Bonjour, le columbarium est plein : où pourrons-nous déposer l'urne de mon père "
            "décédé la semaine dernière ?",
            {"Population"},
            {"normale", "haute"},
        ),
    ]
    return [{"demande": d, "_service": s, "_urgence": u} for d, s, u in cases]


def _triage_third() -> list[dict[str, Any]]:
    """A third dev batch (inputs 41-60), written on 7 December 2026 at 23:20 UTC before they
    were run and before any rule or example changed for them: the first 40 are all routed right
    (0/37), so they no longer show where the routing fails. Written to be harder: the subject
    of one service at a place of another (a leak in a school's canteen), words of no rule
    (« marquage », « chenilles », « changement de destination »), and two services sharing a
    request (a canteen's bill)."""
    cases = [
        (
            "Le marquage du passage piéton devant la boulangerie a complètement disparu, les voitures ne s'arrêtent plus.",
            {"Voirie"},
            {"normale", "haute"},
        ),
        (
            "Ma cousine algérienne vient en vacances chez nous cet été, il me faut une attestation d'accueil.",
            {"Population"},
            {"basse", "normale"},
        ),
        (
            "il y a des chenilles processionnaires dans les pins du parc à côté du bac à sable",
            {"Voirie"},
            {"normale", "haute"},
        ),
        (
            "Nous voulons transformer la grange de la ferme en maison d'habitation, est-ce possible ?",
            {"Urbanisme"},
            {"basse", "normale"},
        ),
        (
            "Mon fils se fait bousculer tous les midis au réfectoire par des CM2, personne ne surveille.",
            {"Enfance"},
            {"normale", "haute"},
        ),
        (
            "Les repas de cantine des jours de grève ont été facturés alors que mon fils n'a pas mangé.",
            {"Finances", "Enfance"},
            {"basse", "normale"},
        ),
        (
            "Bonjour, nous nous marions en juin : quand faut-il déposer le dossier et publier les bans ?",
            {"Population"},
            {"basse", "normale"},
        ),
        (
            "L'impasse des Tilleuls n'a pas été déneigée, personne ne peut sortir sa voiture ce matin.",
            {"Voirie"},
            {"normale", "haute"},
        ),
        (
            "Mon voisin a percé une fenêtre qui donne directement sur mon jardin, a-t-il le droit ?",
            {"Urbanisme"},
            {"basse", "normale"},
        ),
        (
            "Le plafond de la salle de classe des CE1 a une tache d'humidité qui s'agrandit et goutte.",
            {"Voirie", "Enfance"},
            {"normale", "haute"},
        ),
        (
            "J'ai reçu une relance du Trésor public pour la location du barnum municipal, je l'avais pourtant payée.",
            {"Finances"},
            {"basse", "normale"},
        ),
        (
            "Je souhaite changer le prénom de mon enfant, à qui dois-je m'adresser ?",
            {"Population"},
            {"basse", "normale"},
        ),
        (
            "Combien coûte le centre aéré à la journée pour un quotient familial de 600 ?",
            {"Enfance", "Finances"},
            {"basse", "normale"},
        ),
        (
            "Le grillage du terrain de foot est arraché et des enfants passent par le trou vers la départementale.",
            {"Voirie"},
            {"haute"},
        ),
        (
            "Quelle hauteur maximale pour une haie ou un mur entre deux maisons dans le lotissement ?",
            {"Urbanisme"},
            {"basse", "normale"},
        ),
        (
            "Je n'ai jamais reçu la carte électorale alors que je me suis inscrite en janvier.",
            {"Population"},
            {"basse", "normale"},
        ),
        (
            "Je voudrais payer l'étude surveillée de mes deux enfants par carte bancaire, c'est possible sur le portail ?",
            {"Finances", "Enfance"},
            {"basse", "normale"},
        ),
        (
            "L'abribus de la rue Pasteur a la vitre brisée, il y a du verre partout sur le trottoir.",
            {"Voirie"},
            {"normale", "haute"},
        ),
        (
            "Peut-on visiter la mairie pour voir où est affiché mon permis de démolir ? Le délai de recours court-il ?",
            {"Urbanisme"},
            {"basse", "normale"},
        ),
        (
            "Un chien errant agressif rôde autour de la sortie de l'école depuis ce matin.",
            set(),
            {"haute"},
        ),
    ]
    return [{"demande": d, "_service": s, "_urgence": u} for d, s, u in cases]


MORE: dict[str, list[dict[str, Any]]] = {
    "courrier": _letters(),
    "reponse-usager": _replies() + _replies_second() + _replies_third(),
    "arrete": _arretes(),
    "compte-rendu": _minutes(),
    "traduction": _translations() + _translations_second(),
    "reformulation": _reformulations() + _reformulations_second(),
    "correction": _corrections(),
    "swot": _swots(),
    "diapositives": _slides(),
    "faq": _faqs(),
    "reseaux-sociaux": _posts(),
    "tri-demandes": _triage() + _triage_second() + _triage_third(),
}
