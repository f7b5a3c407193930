"""Personal data as citizens and transcripts write it (lower case, first name alone, after
« dossier »), and places named after people left alone."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from civia.privacy import detect

DATA = Path(__file__).parents[1] / "data" / "pii"
sys.path.insert(0, str(DATA))

from casual_set import CASUAL_DECOYS, CASUAL_DEV  # noqa: E402
from make_pii_set import render, verify  # noqa: E402


def persons(text: str) -> list[tuple[int, int]]:
    return [(e.start, e.end) for e in detect(text) if e.type.value == "PERSON"]


def test_the_casual_set_is_well_formed() -> None:
    for markup in CASUAL_DEV:
        text, entities = render(markup)
        verify(text, entities, [text[int(e["start"]) : int(e["end"])] for e in entities])  # type: ignore[call-overload]
    for text, phrases in CASUAL_DECOYS:
        assert all(phrase in text for phrase in phrases)


def test_person_recall_on_casual_text() -> None:
    found = total = 0
    for markup in CASUAL_DEV:
        text, entities = render(markup)
        got = persons(text)
        for entity in entities:
            if entity["type"] != "PERSON":
                continue
            total += 1
            start, end = int(str(entity["start"])), int(str(entity["end"]))
            found += any(s < end and e > start for s, e in got)
    assert found / total >= 0.95, f"{found}/{total}"


def test_places_named_after_people_are_not_persons() -> None:
    masked = []
    for text, phrases in CASUAL_DECOYS:
        got = persons(text)
        for phrase in phrases:
            start = text.index(phrase)
            if any(s < start + len(phrase) and e > start for s, e in got):
                masked.append(phrase)
    assert masked == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bonjour je suis océane fontaine", ["océane fontaine"]),
        ("c'est madame dupuis je vous appelle", ["dupuis"]),
        ("intervention de monsieur da silva qui demande", ["da silva"]),
        ("mon voisin gérard laisse son chien", ["gérard"]),
        ("dossier garcia transmis au service", ["garcia"]),
        ("elle se marie en juin à la mairie", []),
        ("une pierre est tombée du mur", []),
        ("madame souhaite un rendez-vous", []),
        ("le dossier urbanisme est complet", []),
    ],
)
def test_lower_case_rules(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in persons(text)] == expected
