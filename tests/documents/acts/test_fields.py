"""Parsers of single SCDL values, as published files write them."""

from __future__ import annotations

from datetime import date

import pytest

from civia.documents.acts.fields import (
    parse_count,
    parse_date,
    parse_kind,
    parse_siret,
    parse_url,
    vote_outcome,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-07", date(2024, 3, 7)),
        ("07/03/2024", date(2024, 3, 7)),
        ("07-03-2024", date(2024, 3, 7)),
        ("2024/03/07", date(2024, 3, 7)),
        ("2024-03-07T00:00:00", date(2024, 3, 7)),
        ("07/03/2024 00:00:00", date(2024, 3, 7)),
        ("  ", None),
    ],
)
def test_dates_in_the_forms_files_use(raw: str, expected: date | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2024", "2024-13-01", "mars 2024", "07/03/24", "01/01/1650"])
def test_impossible_dates_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_date(raw)


def test_counts_siret_url_and_kind() -> None:
    assert parse_count("") is None and parse_count(" 23 ") == 23 and parse_count("17.0") == 17
    for bad in ("-2", "douze", "1.5"):
        with pytest.raises(ValueError):
            parse_count(bad)
    assert parse_siret("217 300 356 00012") == "21730035600012"
    with pytest.raises(ValueError, match="notation scientifique"):
        parse_siret("2.17300356E+13")
    with pytest.raises(ValueError, match="14 chiffres"):
        parse_siret("217300356")
    assert parse_url("www.ville.fr/d.pdf") == "https://www.ville.fr/d.pdf"
    with pytest.raises(ValueError):
        parse_url("javascript:alert(1)")
    assert [parse_kind(v) for v in ("", "1", "DE", "AR", "3", "Arrêté", "décision", "5")] == [
        "deliberation", "deliberation", "deliberation", "arrete", "arrete", "arrete",
        "decision", "autre",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "votes", "outcome"),
    [
        ("deliberation", (21, 0, 0), "unanimite"),
        ("deliberation", (18, 0, 2), "abstentions"),
        ("deliberation", (15, 3, 1), "opposition"),
        ("deliberation", (10, 11, None), "rejete"),
        ("deliberation", (8, 8, 1), "partage"),
        ("deliberation", (None, None, None), "inconnu"),
        ("deliberation", (0, 0, 0), "inconnu"),
        ("arrete", (None, None, None), "sans_vote"),
    ],
)
def test_vote_outcome(kind: str, votes: tuple[int | None, ...], outcome: str) -> None:
    assert vote_outcome(kind, *votes) == outcome
