"""Validation of one act: cleaned values, its key, every problem reported in French."""

from __future__ import annotations

from datetime import date

import pytest

from civia.documents.acts.records import RecordError, parse_record

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
