"""Reading SCDL files however they were written: separators, encodings, broken lines."""

from __future__ import annotations

import pytest

from civia.documents.acts.scdl import ScdlFormatError, open_scdl, records, sniff_delimiter
from tests.documents.acts.conftest import BELLECOMBE, SAINT_AUBIN, read
from tests.documents.files import make_docx

HEADER = "COLL_NOM;COLL_SIRET;DELIB_ID;DELIB_DATE;DELIB_OBJET"
ROW = "Commune de Bellecombe;21730035600012;D1;2024-01-18;Débat d'orientation budgétaire"


def _values(data: bytes) -> list[tuple[int, dict[str, str] | None, str]]:
    return [(r.line, r.values, r.error) for r in records(open_scdl(data, "f.csv"))]


def test_semicolon_windows_1252_file_with_multiline_fields() -> None:
    scdl = open_scdl(read(SAINT_AUBIN), SAINT_AUBIN)
    assert scdl.delimiter == ";"
    assert scdl.notes[:2] == ["Encodage : Windows-1252.", "Séparateur : point-virgule."]
    assert "Colonnes ignorées (hors schéma) : PUBLICATION_DATE." in scdl.notes
    rows = list(records(scdl))
    taxes = next(r for r in rows if r.values and r.values["DELIB_ID"] == "2024-002")
    assert taxes.line == 3 and "propriétés bâties\net non bâties" in taxes.values["DELIB_OBJET"]
    # Line numbers follow the physical lines, after multi-line fields and blank lines.
    brocante = next(r for r in rows if r.values and r.values["DELIB_ID"] == "AR-2024-031")
    assert brocante.line == 10 and brocante.values["NATURE_ACTE"] == "AR"
    broken = [r for r in rows if r.values is None]
    assert [r.line for r in broken] == [29] and "20 champs au lieu de 19" in broken[0].error


def test_comma_file_with_bom_and_lower_case_padded_headers() -> None:
    scdl = open_scdl(read(BELLECOMBE), BELLECOMBE)
    assert scdl.delimiter == "," and scdl.columns[:2] == ["COLL_NOM", "COLL_SIRET"]
    assert scdl.notes[0] == "Encodage : UTF-8 (avec BOM)."
    assert "Colonnes facultatives absentes : BUDGET_ANNEE, BUDGET_NOM, PREF_ID, PREF_DATE." in (
        scdl.notes
    )
    rows = list(records(scdl))
    assert len(rows) == 10 and all(r.values for r in rows)  # trailing separators are fine
    assert rows[2].values["DELIB_OBJET"].startswith("Acquisition d'une parcelle")


def test_utf16_tab_separated_export() -> None:
    text = (HEADER + "\n" + ROW + "\n").replace(";", "\t")
    ((line, values, _),) = _values(text.encode("utf-16"))
    assert line == 2 and values["DELIB_OBJET"] == "Débat d'orientation budgétaire"
    assert open_scdl(text.encode("utf-16"), "f.csv").notes[0] == "Encodage : UTF-16."


def test_the_header_decides_the_separator_even_when_commas_abound() -> None:
    text = HEADER + "\n" + "Ville, centre;21730035600012;D1;2024-01-18;A, B, C et D\n"
    assert sniff_delimiter(text) == ";"


def test_short_rows_and_blank_lines_are_read_long_rows_and_open_quotes_are_reported() -> None:
    data = f'{HEADER}\n\n{ROW}\nCommune;21730035600012;D2\n{ROW};en trop\n"jamais fermé;x\n{ROW}\n'
    rows = _values(data.encode())
    assert rows[0][:2] == (3, rows[0][1]) and rows[1][1]["DELIB_ID"] == "D2"
    assert rows[1][1].get("DELIB_DATE") is None  # missing trailing fields → empty, not shifted
    assert rows[2][0] == 5 and "6 champs au lieu de 5" in rows[2][2]
    # An unclosed quote eats the rest of the file: reported once, reading stops there.
    assert rows[3][0] == 6 and rows[3][1] is None and len(rows) == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "est vide"),
        (b"   \r\n  ", "est vide"),
        (b"titre,date\nx,y\n", "colonne(s) obligatoire(s) absente(s) : COLL_NOM, COLL_SIRET"),
        (b"COLL_NOM;DELIB_ID\nx;y\n", "absente(s) : COLL_SIRET, DELIB_DATE, DELIB_OBJET"),
        (b"\x00\x01\x02binary\x00", "n'est pas un fichier texte"),
    ],
)
def test_files_that_cannot_be_imported_say_why(data: bytes, message: str) -> None:
    with pytest.raises(ScdlFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        open_scdl(data, "f.csv")


def test_a_spreadsheet_is_refused_as_unsupported() -> None:
    with pytest.raises(ScdlFormatError) as caught:
        open_scdl(make_docx([("p", "x")]), "actes.xlsx")
    assert caught.value.unsupported and "enregistrez-le au format CSV" in caught.value.message_fr
