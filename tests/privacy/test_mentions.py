"""Finding one person's mentions in free text: name forms, address, contacts, weak forms."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from civia.privacy.mentions import MentionMatcher, Subject, engine_persons, fold, mask

JEANNE = Subject(
    last_name="Dupont",
    first_names="Jeanne",
    civility="madame",
    address="12 rue des Lilas, 46000 Cahors",
    email="j.dupont@free.fr",
    phone="06 12 34 56 78",
)


@pytest.fixture
def jeanne(analyzer: AnalyzerEngine) -> MentionMatcher:
    return MentionMatcher(JEANNE, confirm=engine_persons)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mme Jeanne Dupont habite au 12 rue des Lilas.",
         "[personne effacée] habite au [adresse effacée]."),
        ("Courrier de DUPONT Jeanne reçu.", "Courrier de [personne effacée] reçu."),
        ("Vu J. Dupont, puis J.Dupont, puis Dupont J. hier.",
         "Vu [personne effacée], puis [personne effacée], puis [personne effacée] hier."),
        ("Madame dupont a rappelé.", "[personne effacée] a rappelé."),
        ("Mme Hélène et Mme JEANNE DUPONT", "Mme Hélène et [personne effacée]"),
        ("elle habite au douze rue des lilas depuis", "elle habite au [adresse effacée] depuis"),
        ("Adresse : 12, r. des Lilas, Cahors", "Adresse : [adresse effacée], Cahors"),
        ("Tél. +33 6 12 34 56 78 / 06.12.34.56.78 / 0612345678",
         "Tél. [coordonnées effacées] / [coordonnées effacées] / [coordonnées effacées]"),
        ("Écrire à J.Dupont@Free.fr", "Écrire à [coordonnées effacées]"),
    ],
)  # fmt: skip
def test_strong_forms_are_redacted(jeanne: MentionMatcher, text: str, expected: str) -> None:
    assert jeanne.redact(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Pierre Dupont est venu seul.",  # another Dupont
        "Monsieur Dupont a signé.",  # the civility says it is not her
        "La rue Dupont est fermée ; Jeanne d'Arc est fêtée.",
        "Jeanne Dupontel et Jeanne-Marie Dupuis",  # other names
        "Le 12 rue des Roses, 06 12 34 56 79.",  # another address and number
    ],
)
def test_other_people_are_left_alone(jeanne: MentionMatcher, text: str) -> None:
    assert jeanne.redact(text) == (text, 0)


def test_weak_forms_need_a_strong_one_and_the_engine(jeanne: MentionMatcher) -> None:
    text = "Mme Jeanne Dupont a appelé. Jeanne souhaite un rendez-vous."
    assert (
        jeanne.redact(text)[0]
        == "[personne effacée] a appelé. [personne effacée] souhaite un rendez-vous."
    )
    alone = "Jeanne souhaite un rendez-vous."
    assert jeanne.redact(alone) == (alone, 0)
    without_engine = MentionMatcher(JEANNE)
    assert without_engine.redact(text)[0].endswith("Jeanne souhaite un rendez-vous.")


def test_compound_names_and_unknown_civility() -> None:
    m = MentionMatcher(Subject(last_name="Le Gall", first_names="Jean-Pierre"))
    for text in ("M. Jean-Pierre LE GALL", "Jean Pierre Le-Gall", "J.-P. Le Gall", "LEGALL Jean-Pierre",
                 "Monsieur Le Gall", "Mme Le Gall"):  # fmt: skip
        assert m.redact(text) == ("[personne effacée]", 1), text
    assert m.variants[:2] == ["Jean-Pierre Le Gall", "Le Gall Jean-Pierre"]


def test_anchors_are_ascii_fragments_of_every_form() -> None:
    assert MentionMatcher(JEANNE).anchors() == ["78", "Dupont", "Lilas", "dupont"]
    assert MentionMatcher(Subject(last_name="Lefèvre")).anchors() == ["Lef"]
    assert MentionMatcher(Subject(last_name="Ô")).anchors() == []  # scan everything


def test_fold_keeps_offsets() -> None:
    folded, origin = fold("Œuvre à Noël ’ß")
    assert folded == "œuvre a noel 'ss"
    assert origin[-2:] == [14, 14]
    assert mask("Jeanne Dupont") == "J… D…"
