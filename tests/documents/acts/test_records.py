"""Validation of one act's fields, as published files write them."""

from __future__ import annotations

from datetime import date

import pytest

from civia.documents.acts.records import (
    RecordError,
    parse_count,
    parse_date,
    parse_kind,
    parse_record,
    parse_siret,
    parse_url,
    vote_outcome,
)

ROW = {
    "COLL_NOM": " Commune de  Bellecombe ",
    "COLL_SIRET": "21730035600012",
    "DELIB_ID": "D2024-02",
    "DELIB_DATE": "22/02/2024",
    "DELIB_MATIERE_CODE": "8.1",
    "DELIB_MATIERE_NOM": "Domaines de compétences par thèmes/enseignement",
    "DELIB_OBJET": "Tarifs de la cantine\n2024-2025",
    "VOTE_POUR": "12.0",
    "VOTE_CONTRE": "1",
    "VOTE_ABSTENTION": "",
}


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


def test_a_record_is_cleaned_and_keyed() -> None:
    record = parse_record(ROW)
    assert record.coll_name == "Commune de Bellecombe"
    assert record.objet == "Tarifs de la cantine 2024-2025"
    assert record.act_date == date(2024, 2, 22)
    assert (record.vote_pour, record.vote_contre, record.vote_abstention) == (12, 1, None)
    assert record.outcome == "opposition" and record.kind == "deliberation"
    assert record.key == ("21730035600012", "deliberation", "D2024-02")
    assert parse_record({**ROW, "NATURE_ACTE": "AR"}).kind == "arrete"


def test_every_problem_of_a_record_is_reported_in_french() -> None:
    with pytest.raises(RecordError) as caught:
        parse_record(
            {**ROW, "DELIB_OBJET": "", "DELIB_DATE": "31/02/2024", "VOTE_POUR": "beaucoup"}
        )
    columns = [column for column, _ in caught.value.problems]
    assert columns == ["DELIB_OBJET", "DELIB_DATE", "VOTE_POUR"]
    assert "« 31/02/2024 » n'est pas une date valide" in caught.value.message_fr
    assert "l'objet (DELIB_OBJET) est vide" in caught.value.message_fr
    # The import form may leave the SIRET empty; a CSV row may not.
    assert parse_record({**ROW, "COLL_SIRET": ""}, siret_required=False).coll_siret == ""
    with pytest.raises(RecordError, match="SIRET"):
        parse_record({**ROW, "COLL_SIRET": ""})
