"""Build bench/data/correction-fr.jsonl: French administrative sentences with deliberate errors.

Each entry is written from its correct form (`gold`) and a list of errors (right → wrong, with
a type). The erroneous `text` is derived by replacing each `right` (whole words, exactly one
occurrence) by its `wrong`, so text and gold differ only by the listed errors. One JSON object
per line: {"text": erroneous, "gold": corrected, "errors": [{"wrong", "right", "type"}]}.
Usage: python bench/data/make_correction_fr.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

OUT = Path(__file__).with_name("correction-fr.jsonl")

# Types: accord, conjugaison, homophone, accent, orthographe, typographie (punctuation,
# spacing before « ; : ? ! », capitals, abbreviations).
ACC, CONJ, HOM, ACCENT, ORTH, TYPO = (
    "accord",
    "conjugaison",
    "homophone",
    "accent",
    "orthographe",
    "typographie",
)

ITEMS: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "Nous avons bien reçu votre demande et nous vous en remercions.",
        [("reçu", "recu", ACCENT), ("demande et", "demande est", HOM)],
    ),
    (
        "Votre dossier a été transmis au service de l'urbanisme, qui vous répondra dans les "
        "meilleurs délais.",
        [("a été", "à été", HOM), ("répondra", "répondras", CONJ), ("meilleurs", "meilleur", ACC)],
    ),
    (
        "Les travaux de voirie débuteront le lundi 3 juin et dureront environ trois semaines.",
        [("débuteront", "débuterons", CONJ), ("trois semaines", "trois semaine", ACC)],
    ),
    (
        "Nous vous prions de bien vouloir nous faire parvenir les pièces justificatives avant "
        "le 15 mars.",
        [("justificatives", "justificative", ACC), ("pièces", "pieces", ACCENT)],
    ),
    (
        "Madame, Monsieur, vous trouverez ci-joint le formulaire d'inscription à la cantine "
        "scolaire.",
        [
            ("Madame, Monsieur", "Madame Monsieur", TYPO),
            ("à la cantine", "a la cantine", HOM),
            ("trouverez", "trouverai", CONJ),
        ],
    ),
    (
        "Les enfants inscrits à l'accueil de loisirs doivent être récupérés avant 18 heures.",
        [
            ("inscrits", "inscrit", ACC),
            ("doivent", "doive", CONJ),
            ("récupérés", "récupérer", CONJ),
        ],
    ),
    (
        "La mairie sera fermée le samedi 14 juillet ; l'accueil rouvrira le lundi suivant.",
        [
            ("fermée", "fermé", ACC),
            ("juillet ;", "juillet;", TYPO),
            ("rouvrira", "rouvriras", CONJ),
        ],
    ),
    (
        "Ces documents doivent être signés par les deux parents et déposés en mairie.",
        [("être", "etre", ACCENT), ("signés", "signé", ACC), ("déposés", "déposer", CONJ)],
    ),
    (
        "Monsieur le Maire a décidé de reporter la réunion publique prévue le 12 avril.",
        [("a décidé", "à décidé", HOM), ("prévue", "prévu", ACC)],
    ),
    (
        "Nous vous informons que votre demande de permis de construire est incomplète.",
        [("est incomplète", "et incomplète", HOM), ("informons", "informont", CONJ)],
    ),
    (
        "Il vous appartient de prendre contact avec le service de l'état civil pour fixer un "
        "rendez-vous.",
        [
            ("appartient", "appartiens", CONJ),
            ("état civil", "etat civil", ACCENT),
            ("rendez-vous", "rendez vous", TYPO),
        ],
    ),
    (
        "Les familles dont le quotient familial est inférieur à 600 euros peuvent bénéficier "
        "d'une réduction.",
        [
            ("peuvent", "peut", ACC),
            ("bénéficier", "bénéficié", CONJ),
            ("inférieur à", "inférieur a", HOM),
        ],
    ),
    (
        "Vous pouvez consulter le compte rendu du conseil municipal sur le site internet de la "
        "commune.",
        [
            ("pouvez", "pouver", CONJ),
            ("consulter", "consulté", CONJ),
            ("conseil municipal", "conseil municipale", ACC),
        ],
    ),
    (
        "Où souhaitez-vous que nous vous adressions la réponse ?",
        [("Où", "Ou", HOM), ("adressions", "adressons", CONJ), ("réponse ?", "réponse?", TYPO)],
    ),
    (
        "Nous vous remercions de votre patience et vous prions d'agréer nos salutations "
        "distinguées.",
        [
            ("patience et", "patience est", HOM),
            ("distinguées", "distingués", ACC),
            ("agréer", "agréé", CONJ),
        ],
    ),
    (
        "Les agents du service technique ont réparé l'éclairage public dans la rue des Lilas.",
        [
            ("ont", "on", HOM),
            ("réparé", "réparer", CONJ),
            ("éclairage public", "éclairage publique", ACC),
        ],
    ),
    (
        "Quant à la facture, elle vous sera adressée à la fin du mois.",
        [("Quant", "Quand", HOM), ("adressée", "adressé", ACC), ("à la fin", "a la fin", HOM)],
    ),
    (
        "Nous avons pris connaissance de votre courrier du 2 mai, dans lequel vous signalez un "
        "problème de stationnement.",
        [("problème", "probleme", ACCENT), ("signalez", "signaler", CONJ), ("pris", "prit", CONJ)],
    ),
    (
        "Les inscriptions sont ouvertes jusqu'au 30 septembre ; passé ce délai, aucune demande "
        "ne sera acceptée.",
        [("sont", "son", HOM), ("ce délai", "se délai", HOM), ("acceptée", "accepté", ACC)],
    ),
    (
        "Conformément à la délibération du conseil municipal, les tarifs sont révisés chaque "
        "année.",
        [
            ("Conformément", "Conformement", ACCENT),
            ("révisés", "révisé", ACC),
            ("chaque année", "chaque années", ACC),
        ],
    ),
    (
        "Je vous serais reconnaissant de bien vouloir me transmettre ces éléments rapidement.",
        [
            ("serais", "serai", CONJ),
            ("éléments", "élements", ACCENT),
            ("transmettre", "transmetre", ORTH),
        ],
    ),
    (
        "Votre enfant est inscrit à l'école élémentaire Jean Moulin pour la rentrée de septembre.",
        [
            ("est inscrit", "et inscrit", HOM),
            ("élémentaire", "élémentaires", ACC),
            ("rentrée", "rentré", ORTH),
        ],
    ),
    (
        "La salle des fêtes peut être louée par les associations de la commune.",
        [("peut être", "peu être", HOM), ("louée", "loué", ACC), ("fêtes", "fètes", ACCENT)],
    ),
    (
        "Si vous avez des questions, n'hésitez pas à contacter le secrétariat de mairie.",
        [("avez", "avais", CONJ), ("n'hésitez", "n'hésiter", CONJ), ("pas à", "pas a", HOM)],
    ),
    (
        "Les riverains ont été informés des restrictions de circulation par un courrier "
        "distribué hier.",
        [
            ("ont été", "on été", HOM),
            ("informés", "informé", ACC),
            ("distribué", "distribuée", ACC),
        ],
    ),
    (
        "M. Dupont a déposé une réclamation concernant le ramassage des ordures ménagères.",
        [
            ("M. Dupont", "Mr Dupont", TYPO),
            ("déposé", "déposer", CONJ),
            ("ménagères", "ménagère", ACC),
        ],
    ),
    (
        "Le projet sera présenté aux habitants lors d'une réunion publique qui se tiendra à la "
        "salle polyvalente.",
        [
            ("présenté", "présentés", ACC),
            ("se tiendra", "ce tiendra", HOM),
            ("aux habitants", "au habitants", ACC),
        ],
    ),
    (
        "Nous regrettons de ne pas pouvoir donner une suite favorable à votre demande.",
        [
            ("regrettons", "regretons", ORTH),
            ("favorable", "favorables", ACC),
            ("à votre", "a votre", HOM),
        ],
    ),
    (
        "Chaque habitant peut déposer ses encombrants à la déchetterie, sur présentation d'un "
        "justificatif de domicile.",
        [
            ("habitant", "habitants", ACC),
            ("présentation", "presentation", ACCENT),
            ("déposer", "déposé", CONJ),
        ],
    ),
    (
        "La commune a lancé une consultation afin de recueillir l'avis des habitants sur le "
        "futur parc.",
        [("lancé", "lancée", ACC), ("afin", "a fin", ORTH), ("recueillir", "recueillire", CONJ)],
    ),
    (
        "Les demandes de subvention doivent être déposées avant le 31 janvier, accompagnées du "
        "budget prévisionnel.",
        [
            ("déposées", "déposés", ACC),
            ("accompagnées", "accompagnés", ACC),
            ("prévisionnel", "prévisionel", ORTH),
        ],
    ),
    (
        "Vous trouverez ci-dessous les horaires d'ouverture : du lundi au vendredi, de 9 h à 17 h.",
        [
            ("ouverture :", "ouverture:", TYPO),
            ("horaires", "horraires", ORTH),
            ("h à 17", "h a 17", HOM),
        ],
    ),
    (
        "Le conseil municipal s'est réuni le 5 février et a adopté le budget primitif.",
        [("s'est", "c'est", HOM), ("a adopté", "à adopté", HOM), ("primitif", "primitive", ACC)],
    ),
    (
        "Apportez votre pièce d'identité, un justificatif de domicile, une photo, etc.",
        [("etc.", "etc...", TYPO), ("identité", "identitée", ORTH), ("Apportez", "Apporter", CONJ)],
    ),
    (
        "Nous vous rappelons que le stationnement est interdit sur les trottoirs de la place du "
        "marché.",
        [
            ("rappelons", "rapellons", ORTH),
            ("est interdit", "et interdit", HOM),
            ("trottoirs", "trotoirs", ORTH),
        ],
    ),
    (
        "Les élus se sont prononcés en faveur du projet de rénovation de l'école.",
        [
            ("se sont", "ce sont", HOM),
            ("prononcés", "prononcé", ACC),
            ("rénovation", "renovation", ACCENT),
        ],
    ),
    (
        "Veuillez trouver ci-joint la copie de l'arrêté que vous nous avez demandée.",
        [("arrêté", "arrété", ACCENT), ("Veuillez", "Veuiller", CONJ)],
    ),
    (
        "Leurs enfants pourront être accueillis à la garderie dès 7 h 30.",
        [("Leurs", "Leur", ACC), ("accueillis", "accueilli", ACC), ("dès", "des", HOM)],
    ),
    (
        "Je vous informe que votre demande a bien été enregistrée et qu'elle sera traitée "
        "prochainement.",
        [
            ("enregistrée", "enregistré", ACC),
            ("qu'elle", "quelle", HOM),
            ("traitée", "traiter", CONJ),
        ],
    ),
    (
        "Pouvez-vous nous indiquer à quelle date les travaux seront terminés ?",
        [("quelle", "quel", ACC), ("terminés", "terminé", ACC)],
    ),
    (
        "Le marché hebdomadaire aura lieu exceptionnellement place de l'Église, en raison des "
        "travaux.",
        [
            ("lieu", "lieux", ORTH),
            ("exceptionnellement", "exceptionnelement", ORTH),
            ("en raison", "en raisons", ACC),
        ],
    ),
    (
        "Les bacs jaunes sont collectés le mardi ; merci de les sortir la veille au soir.",
        [("sont", "son", HOM), ("collectés", "collectées", ACC), ("veille", "vieille", HOM)],
    ),
    (
        "L'accès à la déchetterie est gratuit pour les particuliers résidant dans la commune.",
        [
            ("L'accès", "L'acces", ACCENT),
            ("gratuit", "gratuite", ACC),
            ("particuliers", "particulier", ACC),
        ],
    ),
    (
        "Nous espérons que ces informations vous seront utiles et restons à votre disposition.",
        [("utiles", "utile", ACC), ("restons", "restont", CONJ), ("espérons", "esperons", ACCENT)],
    ),
    (
        "Le dossier complet doit être retourné au plus tard le 1er octobre.",
        [("retourné", "retourner", CONJ), ("au plus tard", "aux plus tard", ORTH)],
    ),
    (
        "Suite à votre appel, je vous confirme que la benne a été livrée ce matin.",
        [("a été", "à été", HOM), ("livrée", "livré", ACC), ("confirme", "confirmes", CONJ)],
    ),
    (
        "Les horaires de la médiathèque changent à partir du 1er juin.",
        [
            ("Les horaires", "les horaires", TYPO),
            ("changent", "change", ACC),
            ("médiathèque", "médiatèque", ORTH),
        ],
    ),
    (
        "Nous vous remercions par avance pour votre compréhension.",
        [
            ("compréhension", "compréhention", ORTH),
            ("remercions", "remerçions", ORTH),
            ("par avance", "par avances", ORTH),
        ],
    ),
]


def corrupt(gold: str, errors: list[tuple[str, str, str]]) -> str:
    text = gold
    for right, wrong, _ in errors:
        pattern = rf"(?<!\w){re.escape(right)}(?!\w)"
        hits = len(re.findall(pattern, text))
        if hits != 1:
            raise SystemExit(f"{right!r} occurs {hits} times in {text!r}")
        text = re.sub(pattern, lambda _m, w=wrong: w, text)
    return text


def main() -> None:
    lines = []
    for gold, errors in ITEMS:
        text = corrupt(gold, errors)
        assert text != gold
        entry = {
            "text": text,
            "gold": gold,
            "errors": [{"wrong": w, "right": r, "type": t} for r, w, t in errors],
        }
        lines.append(json.dumps(entry, ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    n_errors = sum(len(e) for _, e in ITEMS)
    print(f"{len(lines)} sentences, {n_errors} errors → {OUT}")


if __name__ == "__main__":
    main()
