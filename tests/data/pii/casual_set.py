"""A dev set of personal data written the way citizens and transcripts write it.

Written before any change to the recognizers for it (issue « qualité », personal data part):
names in lower case (« bonjour je suis océane fontaine », « alors euh fatoumata kowalski nous
dit »), a first name alone, a name after « Dossier », phones as ``0677526846`` or ``+336…``,
IBANs in lower case. Markup as in ``make_pii_set.py`` (titles outside the PERSON markup).

``CASUAL_DECOYS`` are texts whose streets, schools, rooms and offices are named after people,
written the same casual way: none of the listed phrases may be masked as a person.

Every person and number is synthetic; IBANs carry valid checksums.
"""

from __future__ import annotations


def _iban(bban: str) -> str:
    moved = bban + "FR00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    return f"FR{check:02d}{bban}"


_I1 = _iban("30004000031234567890143").lower()
_I2 = " ".join(_iban("20041010050500013M02606")[i : i + 4] for i in range(0, 27, 4)).lower()

CASUAL_DEV = [
    # --- e-mails typed quickly, no capitals
    "bonjour je suis [[PERSON:océane fontaine]] et je voudrais savoir si la salle des fêtes est "
    "libre le samedi 12. merci",
    "bonjour, moi c'est [[PERSON:kevin mercier]], j'habite [[ADDRESS:4 rue des lilas]] depuis "
    "mars, comment on s'inscrit sur les listes électorales ?",
    "salut la mairie, mon fils [[PERSON:nathan]] a perdu sa carte de cantine, on fait comment ? "
    "[[PERSON:julie]]",
    "bjr je m'appelle [[PERSON:yanis benali]] tel [[PHONE:0677526846]] rappelez moi svp pour le "
    "permis de construire",
    "bonjour madame, je vous transmets le dossier de ma mère [[PERSON:monique lefèvre]] pour "
    "l'aide à domicile. cordialement [[PERSON:patrick lefèvre]]",
    "Dossier [[PERSON:Moreau]] : pièces manquantes (justificatif de domicile). Relancer la "
    "famille avant vendredi.",
    "dossier [[PERSON:garcia]] transmis au service urbanisme le [[DATE:3 mars]], en attente",
    "Dossier de Mme [[PERSON:Rabier]] : relance faite par téléphone au [[PHONE:+33612457890]].",
    "mon voisin [[PERSON:gérard]] laisse son chien aboyer toute la nuit, c'est insupportable. "
    "[[PERSON:sylvie martinez]] [[ADDRESS:18 impasse du moulin]]",
    "Bonjour, pouvez vous rembourser la caution sur ce compte : [[IBAN:" + _I1 + "]] au nom de "
    "[[PERSON:karim haddad]]. Merci",
    "rib pour le remboursement : [[IBAN:" + _I2 + "]] ([[PERSON:élodie brunet]])",
    "je suis la fille de [[PERSON:raymond petit]], il est hospitalisé et ne peut pas venir "
    "signer. vous pouvez me joindre au [[PHONE:06.51.27.88.40]]",
    "coucou c'est [[PERSON:inès]] de l'accueil, [[PERSON:samuel]] est absent aujourd'hui, "
    "je prends ses appels",
    "bonjour je m appelle [[PERSON:fatima zahra el amrani]] et je n'ai pas reçu ma facture d'eau",
    "Message de [[PERSON:lucas durand]] ([[PHONE:+33 6 11 22 33 44]]) : il demande un rendez-vous "
    "avec l'adjointe aux sports.",
    "bonsoir, ma fille [[PERSON:chloé]] est inscrite au centre de loisirs mais elle n'est pas sur "
    "la liste. merci de vérifier. [[PERSON:aurélie roux]]",
    "Je soussignée [[PERSON:nadia ouali]] atteste avoir déposé les encombrants le [[DATE:2 mai]].",
    "bonjour j'ai appelé ce matin et [[PERSON:stéphanie]] m'a dit d'envoyer un mail. voilà. "
    "[[PERSON:thierry gauthier]] [[PHONE:0612345678]]",
    "Affaire suivie par [[PERSON:Marc Lenoir]] — rappeler Mme [[PERSON:kowalczyk]] au "
    "[[PHONE:0388123456]].",
    "Bonjour c'est madame [[PERSON:dupuis]] je vous appelle pour la cantine de mes deux enfants "
    "[[PERSON:léa]] et [[PERSON:tom]]",
    # --- transcripts as Whisper writes them
    "alors euh [[PERSON:fatoumata kowalski]] nous dit que le bus ne passe plus devant l'école "
    "depuis la rentrée",
    "oui alors je laisse la parole à [[PERSON:jean-michel roussel]] pour le point sur les travaux",
    "merci [[PERSON:nicole]] donc on passe au vote qui est contre personne abstention",
    "euh [[PERSON:bernard]] tu veux ajouter quelque chose sur le budget non bon ben on continue",
    "le rapporteur c'est [[PERSON:christophe lambert]] il va nous présenter la délibération "
    "numéro douze",
    "madame [[PERSON:benhamou]] a signalé une fuite au gymnase il faudrait que les services "
    "techniques passent",
    "donc comme le disait [[PERSON:martine]] tout à l'heure le marché de noël aura lieu place "
    "de la mairie",
    "est-ce que [[PERSON:hervé]] peut nous dire où on en est avec le dossier de la crèche",
    "je donne pouvoir à [[PERSON:sandrine moulin]] pour la séance du [[DATE:quatorze décembre]]",
    "intervention de monsieur [[PERSON:da silva]] qui demande pourquoi les horaires ont changé",
    "on a reçu un courrier de mme non pardon de monsieur [[PERSON:girard]]",
    "bon [[PERSON:pascal]] et [[PERSON:véronique]] vous vous occupez des inscriptions",
    "alors pour répondre à [[PERSON:mohamed diallo]] oui la subvention a été votée",
    "je vous présente [[PERSON:anne-sophie]] qui remplace [[PERSON:caroline]] pendant son congé",
    # --- agents' notes and shorthand
    "rdv avec mr [[PERSON:lopez]] demain 10h",
    "appel de mme [[PERSON:bertin]] ([[PHONE:0645789012]]) pour sa demande de logement",
    "vu [[PERSON:jérôme]] à l'accueil, il repasse lundi avec les papiers",
    "transmettre à [[PERSON:guillaume]] le devis du traiteur",
    "[[PERSON:manon]] (stagiaire) a classé les arrêtés de voirie",
    "Famille [[PERSON:traoré]] : demande de tarif social pour la cantine, quotient à vérifier.",
    "réunion avec [[PERSON:emma]] et [[PERSON:louis bernard]] sur le plan vélo",
    "note : [[PERSON:alain]] ne peut plus assurer la permanence du mardi",
    "c'est [[PERSON:quentin morel]] qui gère les clés du gymnase maintenant",
    "envoyé par [[PERSON:céline faure]] le [[DATE:10/11]] à 09h12",
]

# Each text, then the phrases in it that must never be masked as a person.
CASUAL_DECOYS: list[tuple[str, list[str]]] = [
    ("le bus ne passe plus par la rue jean jaurès depuis lundi", ["jean jaurès"]),
    ("inscription à l'école jules ferry pour la rentrée", ["jules ferry"]),
    ("rdv au collège victor hugo à 17h", ["victor hugo"]),
    ("la réunion aura lieu salle marcel pagnol", ["marcel pagnol"]),
    ("le marché est place charles de gaulle le samedi", ["charles de gaulle"]),
    ("travaux avenue jean moulin du 3 au 14", ["jean moulin"]),
    ("le gymnase pierre de coubertin est fermé pour travaux", ["pierre de coubertin"]),
    ("la médiathèque françois mitterrand ouvre le dimanche", ["françois mitterrand"]),
    (
        "bonjour, j'habite boulevard louis pasteur et les poubelles ne sont pas ramassées",
        ["louis pasteur"],
    ),
    ("lycée marie curie : remise des diplômes vendredi", ["marie curie"]),
    ("la crèche simone veil cherche une auxiliaire", ["simone veil"]),
    ("stade léo lagrange, vestiaires à refaire", ["léo lagrange"]),
    ("l'arrêt de bus rue émile zola a été déplacé", ["émile zola"]),
    ("salle des fêtes georges brassens réservée le 12", ["georges brassens"]),
    ("école maternelle jean de la fontaine : inscriptions ouvertes", ["jean de la fontaine"]),
    ("je cherche le cimetière rue paul bert", ["paul bert"]),
    ("rue victor hugo, un lampadaire ne marche plus", ["victor hugo"]),
    ("chemin jean-baptiste clément inondé après l'orage", ["jean-baptiste clément"]),
    ("la piscine jean bouin rouvre en septembre", ["jean bouin"]),
    ("centre social louise michel, atelier couture le jeudi", ["louise michel"]),
    ("allée george sand : stationnement interdit pendant les travaux", ["george sand"]),
    ("la maison de santé rené laennec accueille deux nouveaux médecins", ["rené laennec"]),
    ("quai jules verne fermé à la circulation samedi", ["jules verne"]),
    ("espace andré malraux, exposition des écoles", ["andré malraux"]),
    ("collège jean monnet : la cantine passe au bio", ["jean monnet"]),
    ("rond-point du général leclerc, feux en panne", ["leclerc"]),
    ("la bibliothèque albert camus prête des liseuses", ["albert camus"]),
    ("square jean mermoz, jeux pour enfants abîmés", ["jean mermoz"]),
    ("impasse antoine de saint-exupéry, nid de poule", ["antoine de saint-exupéry"]),
    ("groupe scolaire paul langevin : sortie à 16h30", ["paul langevin"]),
    ("résidence pablo neruda, ascenseur en panne depuis une semaine", ["pablo neruda"]),
    ("la salle jean vilar est libre mardi soir", ["jean vilar"]),
    ("parc françois rabelais fermé en cas de vent", ["françois rabelais"]),
    ("le conservatoire maurice ravel recrute un professeur de piano", ["maurice ravel"]),
    ("la halle georges pompidou accueille le forum des associations", ["georges pompidou"]),
    ("passage alexandre dumas : éclairage à réparer", ["alexandre dumas"]),
    ("la rue anatole france est en sens unique", ["anatole france"]),
    ("école élémentaire jean zay, classe de neige en février", ["jean zay"]),
    ("l'ehpad les jardins de camille n'accepte plus de visites le soir", []),
    ("rue gustave eiffel, livraison de sel de déneigement", ["gustave eiffel"]),
    ("place jean jaurès et rue victor hugo : marché nocturne", ["jean jaurès", "victor hugo"]),
    ("au gymnase joseph guillemot il manque des ballons", ["joseph guillemot"]),
    ("avenue du président wilson, travaux de voirie", ["wilson"]),
    ("la salle polyvalente jacques prévert est réservée", ["jacques prévert"]),
    ("le centre aéré jules vallès reprend en juillet", ["jules vallès"]),
    ("cour de l'école louis pergaud inondée", ["louis pergaud"]),
    ("rue edmond rostand, camion de déménagement samedi", ["edmond rostand"]),
    ("foyer rural marcel cerdan : loto dimanche", ["marcel cerdan"]),
    ("sortie du collège jacques brel par la rue des écoles", ["jacques brel"]),
    ("la crèche françoise dolto ferme une semaine en août", ["françoise dolto"]),
]
