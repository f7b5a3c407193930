"""In chromium: an agent uploads an English DOCX to Traduction, follows the progress bar of the
background job, validates the French draft and downloads it as a DOCX with its table."""

import io

import docx
import pytest

from tests.browser.test_chat import login
from tests.documents import table_files

pytestmark = [pytest.mark.browser, pytest.mark.model]


def test_translate_an_uploaded_docx_and_download_it(page, civia_server: str, tmp_path) -> None:
    from playwright.sync_api import expect

    source = tmp_path / "guide.docx"
    source.write_bytes(table_files.english_docx())
    login(page, civia_server)
    page.get_by_role("link", name="Utiliser Traduction en français").click()
    page.get_by_label("Document à traduire", exact=False).set_input_files(str(source))
    page.get_by_role("button", name="Générer le brouillon").click()
    expect(page.get_by_role("heading", name="Avancement")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_be_visible()
    # When the job ends, the result page reloads by itself with the draft.
    expect(page.get_by_text("Brouillon à relire.")).to_be_visible(timeout=400_000)
    editor = page.get_by_label("Texte à relire et corriger (Markdown)")
    assert "|" in editor.input_value()  # the table came back as a table
    page.get_by_role("button", name="J'ai relu : valider").click()
    expect(page.get_by_text("Résultat validé")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Word (DOCX)").click()
    document = docx.Document(io.BytesIO(info.value.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs).lower()
    assert document.tables and "lundi" in text and "validé par alice agent" in text
