"""Detection on French sentences, with the real Presidio + spaCy pipeline."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from civia.privacy import Entity, EntityType, detect
from civia.privacy.recognizers.contact import OfflineEmailRecognizer


def found(text: str) -> list[tuple[str, str]]:
    return [(e.type.value, e.text) for e in detect(text)]


@pytest.fixture(autouse=True)
def _loaded(analyzer: AnalyzerEngine) -> None:
    """Every test here uses the session's analyzer."""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mon numéro de sécurité sociale est le 2 85 03 75 111 222 03.",
            ("NIR", "2 85 03 75 111 222 03"),
        ),
        ("NIR : 178082B03304273", ("NIR", "178082B03304273")),
        ("Société Dupuis, SIRET 743 915 001 00015.", ("SIRET", "743 915 001 00015")),
        ("L'entreprise est immatriculée au RCS sous le n° 317 066 900.", ("SIREN", "317 066 900")),
        (
            "Virement sur FR14 2004 1010 0505 0001 3M02 606 merci.",
            ("IBAN", "FR14 2004 1010 0505 0001 3M02 606"),
        ),
        ("iban : fr14 2004 1010 0505 0001 3m02 606", ("IBAN", "fr14 2004 1010 0505 0001 3m02 606")),
        ("Écrivez-moi à jeanne.martin@laposte.net svp.", ("EMAIL", "jeanne.martin@laposte.net")),
        ("Payé avec la carte 4970 1051 2345 6787 hier.", ("CARD", "4970 1051 2345 6787")),
        ("Le véhicule immatriculé AB-123-CD gêne.", ("PLATE", "AB-123-CD")),
        ("Voiture immatriculée 1234 AB 75 en stationnement gênant.", ("PLATE", "1234 AB 75")),
        ("Elle est née le 12 mars 1985 à Lyon.", ("DATE", "12 mars 1985")),
        ("Réunion le lundi 1er janvier 2024.", ("DATE", "lundi 1er janvier 2024")),
        ("Né le 12/03/1985.", ("DATE", "12/03/1985")),
    ],
)
def test_detects_each_type(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "number",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "01 44 55 66 77",
    ],
)
def test_french_phone_formats(number: str) -> None:
    assert ("PHONE", number) in found(f"Vous pouvez me joindre au {number} après 18 h.")


@pytest.mark.parametrize(
    "address",
    [
        "12 rue des Lilas, 75011 Paris",
        "3 bis avenue Jean Jaurès",
        "lieu-dit Les Granges, 24200 Sarlat-la-Canéda",
        "8, allée des Charmes 33700 Mérignac",
        "45 BD VICTOR HUGO 31000 TOULOUSE",
        "12 quai des Cerisiers, Bât. B, appt 12, 44000 Nantes",
    ],
)
def test_addresses(address: str) -> None:
    assert ("ADDRESS", address) in found(f"Le demandeur habite {address}. Merci.")


def test_multiline_address_in_a_letter() -> None:
    text = "Madame Jeanne DUPONT\n12 rue des Lilas\n75011 PARIS\n\nObjet : votre demande"
    assert ("ADDRESS", "12 rue des Lilas\n75011 PARIS") in found(text)


def test_persons_and_titles() -> None:
    entities = found("Jeanne Dupont a rencontré Madame Martin et M. Jean-Pierre Roux.")
    assert ("PERSON", "Jeanne Dupont") in entities
    # Titles stay outside the span: "Madame [PERSONNE_2]" once pseudonymised.
    assert ("PERSON", "Martin") in entities
    assert ("PERSON", "Jean-Pierre Roux") in entities


def test_form_fields() -> None:
    entities = found("Nom : DUPONT\nPrénom(s) : Jeanne, Marie\nDate de naissance : 12/03/1985")
    assert ("PERSON", "DUPONT") in entities
    assert ("PERSON", "Jeanne") in entities
    assert ("PERSON", "Marie") in entities


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour Madame,\n\nMerci pour votre retour.\n\nCordialement,\nLe service Accueil",
        "Madame, Monsieur,\nNous accusons réception de votre demande.\nBien cordialement",
        "Monsieur le Maire a reçu Madame la Préfète et le Président du conseil départemental.",
        "Bonjour Monsieur,\nJe vous remercie.\nBonne journée",
        "Rédige un courrier pour informer les habitants des travaux.",
    ],
)
def test_greetings_and_roles_are_not_persons(text: str) -> None:
    assert [e for e in found(text) if e[0] == "PERSON"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Le numéro 2 85 03 75 111 222 04 est erroné.",  # NIR with a wrong key
        "SIRET 743 915 001 00016 inconnu.",  # Luhn fails
        "Le dossier 317066900 est clos.",  # a valid SIREN shape, but no company context
        "Ouverture en mars 2024, budget 1 234 567,89 €.",
        "Délibération n° 2024-045 ; article L. 2121-29 du CGCT.",
        "Appelez le 3919 ou le 17.",
    ],
)
def test_no_false_identifiers(text: str) -> None:
    assert found(text) == []


def test_types_filter_and_empty_text() -> None:
    text = "Jeanne Dupont, 06 12 34 56 78"
    assert [e.type for e in detect(text, types=["PHONE"])] == [EntityType.PHONE]
    assert detect("   ") == []


def test_offsets_and_repr_without_value() -> None:
    text = "Contact : jeanne.martin@laposte.net"
    (entity,) = detect(text)
    assert isinstance(entity, Entity)
    assert text[entity.start : entity.end] == entity.text
    assert "jeanne" not in repr(entity)


def test_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """E-mail validation reads tldextract's bundled suffix list, not the Internet."""
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access during PII detection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    fresh = OfflineEmailRecognizer()  # a new extractor, whose suffix list is not loaded yet
    assert fresh.validate_result("paul.durand@mairie-exemple.fr")
    assert found("Écrire à paul.durand@mairie-exemple.fr") == [
        ("EMAIL", "paul.durand@mairie-exemple.fr")
    ]


def test_recognizer_names_do_not_shadow_presidio_ones() -> None:
    """Presidio finds its default recognizers by class name among all subclasses: one of ours
    named like one of its own would replace it in every default AnalyzerEngine."""
    import presidio_analyzer.predefined_recognizers as predefined

    from civia.privacy.recognizers import french_recognizers

    ours = {type(r).__name__ for r in french_recognizers()}
    assert not ours & set(predefined.__all__)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Speech-to-text writes numbers in words and no punctuation.
        ("il habite au quatorze chemin des Crêtes depuis", [("ADDRESS", "quatorze chemin des Crêtes")]),
        ("au vingt-trois route de Figeac le service a refusé", [("ADDRESS", "vingt-trois route de Figeac")]),
        ("la réunion du jeudi dix-sept octobre à la salle", [("DATE", "jeudi dix-sept octobre")]),
        ("décédée le trois janvier il faut répondre", [("DATE", "trois janvier")]),
        ("rappelez au zéro six douze quarante-cinq trente-trois quatre-vingt-dix-huit merci",
         [("PHONE", "zéro six douze quarante-cinq trente-trois quatre-vingt-dix-huit")]),
        ("il y a un chemin des Écoliers derrière l'école", []),  # "un" is an article
        # Complements before the street; a year after a month is no street number.
        ("demeurant résidence Les Tilleuls, bât C, 40 avenue Jean Jaurès, 31200 Toulouse.",
         [("ADDRESS", "résidence Les Tilleuls, bât C, 40 avenue Jean Jaurès, 31200 Toulouse")]),
        ("Avis du 18 janvier 2025 place de la Halle.", [("DATE", "18 janvier 2025")]),
        ("VAD le 14/03 chez elle, score de 3/4.", [("DATE", "14/03")]),
        # Names: a comma ends a place's name; a first name opens one; a line-start noun is no name.
        ("Appel de l'école, Enzo arrive sans avoir mangé.", [("PERSON", "Enzo")]),
        ("la subvention de l'école jean moulin est votée", []),
        ("Situation LEROUX Mickaël : RSA suspendu", [("PERSON", "LEROUX Mickaël")]),
        ("Tu es Civia, l'assistant de la mairie.", []),
    ],
)  # fmt: skip
def test_transcripts_complements_and_edges(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected
