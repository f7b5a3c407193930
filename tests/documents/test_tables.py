"""Tables found in real generated files: cells, captions and the page or sheet of each."""

from __future__ import annotations

import pytest

from civia.documents.errors import CorruptedFileError, NoTextError
from civia.documents.extract.tables import NoTableError, TableFormatError, extract_tables
from tests.documents import table_files as files


def test_pdf_tables_with_pages_captions_and_a_table_over_a_page_break() -> None:
    found = extract_tables(files.budget_pdf(long_rows=60), "rapport.pdf")
    assert [t.where for t in found] == ["p. 2", "p. 2", "p. 3-4"]
    budget, staff, grants = found
    assert budget.caption == "Budget primitif 2026 - fonctionnement"
    assert [budget.header, *budget.rows] == files.BUDGET
    assert [staff.header, *staff.rows] == files.STAFF
    assert grants.header == ["Association", "Montant"] and len(grants.rows) == 60
    assert grants.rows[-1] == ["Association n° 60", "6000,00"]  # the repeated header is gone


def test_docx_tables_keep_captions_and_pages_from_page_breaks() -> None:
    budget, staff = extract_tables(files.budget_docx(), "rapport.docx")
    assert (budget.where, budget.caption) == ("p. 1", "Budget primitif 2026")
    assert (staff.where, staff.caption, staff.section) == (
        "p. 2", "Effectifs par service", "Ressources humaines",
    )  # fmt: skip
    assert [staff.header, *staff.rows] == files.STAFF


def test_xlsx_one_table_per_sheet_with_the_title_row_as_caption() -> None:
    budget, staff = extract_tables(files.budget_xlsx(), "budget.xlsx")
    assert budget.where == "feuille « Budget »" and budget.caption == "Budget primitif 2026"
    assert budget.rows[0] == ["011", "Charges à caractère général", "1234567,89"]
    assert staff.where == "feuille « Effectifs »" and staff.rows[-1] == ["Population", "8"]


@pytest.mark.parametrize(
    ("data", "name", "error", "words"),
    [
        (files.text_only_pdf(), "note.pdf", NoTableError, "Aucun tableau"),
        (files.scanned_pdf(), "scan.pdf", NoTextError, "numérisé"),
        (files.corrupted_docx(), "abime.docx", CorruptedFileError, "endommagé"),
        (b"just some words", "notes.txt", TableFormatError, "ne contient pas de tableaux"),
    ],
)
def test_bad_files_get_precise_french_messages(
    data: bytes, name: str, error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as caught:
        extract_tables(data, name)
    assert words in str(caught.value) and name in str(caught.value)
