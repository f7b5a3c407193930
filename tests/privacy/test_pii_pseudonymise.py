from __future__ import annotations

import logging

import pytest
from presidio_analyzer import AnalyzerEngine

from civia.privacy import entity_counts, mapping_counts, pseudonymise, restore
from civia.privacy.entities import Entity, EntityType

MESSAGE = "Bonjour, je suis Jeanne Dupont, NIR 2 85 03 75 111 222 03, joignable au 06 12 34 56 78."


@pytest.fixture(autouse=True)
def _loaded(analyzer: AnalyzerEngine) -> None:
    """Every test here uses the session's analyzer."""


def test_round_trip() -> None:
    masked, mapping = pseudonymise(MESSAGE)
    assert masked == ("Bonjour, je suis [PERSONNE_1], NIR [NIR_1], joignable au [TELEPHONE_1].")
    assert mapping == {
        "PERSONNE_1": "Jeanne Dupont",
        "NIR_1": "2 85 03 75 111 222 03",
        "TELEPHONE_1": "06 12 34 56 78",
    }
    assert restore(masked, mapping) == MESSAGE


def test_shared_mapping_across_messages() -> None:
    _, first = pseudonymise(MESSAGE)
    snapshot = dict(first)
    masked, second = pseudonymise(
        "Mme Jeanne Dupont et M. Paul Martin ont appelé du +33 6 12 34 56 78.", first
    )
    assert first == snapshot  # the caller's mapping is not modified
    assert masked == "Mme [PERSONNE_1] et M. [PERSONNE_2] ont appelé du [TELEPHONE_1]."
    assert second["PERSONNE_2"] == "Paul Martin"
    assert len(second) == 4


def test_known_values_are_masked_again_even_when_not_detected() -> None:
    masked, mapping = pseudonymise("le dossier de dupont est complet", {"PERSONNE_1": "Dupont"})
    assert masked == "le dossier de [PERSONNE_1] est complet"
    assert mapping == {"PERSONNE_1": "Dupont"}


def test_types_limit_what_is_masked() -> None:
    masked, mapping = pseudonymise(MESSAGE, types=["NIR"])
    assert "Jeanne Dupont" in masked and "[NIR_1]" in masked
    assert list(mapping) == ["NIR_1"]


def test_given_entities_skip_detection() -> None:
    entity = Entity(EntityType.PERSON, 0, 5, 1.0, "Alice")
    assert pseudonymise("Alice", entities=[entity]) == ("[PERSONNE_1]", {"PERSONNE_1": "Alice"})


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Bonjour [PERSONNE_1],", "Bonjour Jeanne Dupont,"),
        ("Bonjour PERSONNE_1,", "Bonjour Jeanne Dupont,"),
        ("Bonjour [ PERSONNE_1 ],", "Bonjour Jeanne Dupont,"),
        ("Bonjour personne_1,", "Bonjour Jeanne Dupont,"),
        ("Bonjour **PERSONNE\\_1**,", "Bonjour **Jeanne Dupont**,"),
        ("Voir [PERSONNE_12] et [NIR_9].", "Voir [PERSONNE_12] et [NIR_9]."),
    ],
)
def test_restore_is_tolerant(answer: str, expected: str) -> None:
    assert restore(answer, {"PERSONNE_1": "Jeanne Dupont"}) == expected


def test_counts_never_values(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="civia.privacy"):
        _, mapping = pseudonymise(MESSAGE)
    assert "Dupont" not in caplog.text and "06 12" not in caplog.text
    assert mapping_counts(mapping) == {"PERSON": 1, "PHONE": 1, "NIR": 1}
    entities = [Entity(EntityType.NIR, 0, 1, 1.0, "x"), Entity(EntityType.NIR, 2, 3, 1.0, "y")]
    assert entity_counts(entities) == {"NIR": 2}
