"""In chromium: upload a PDF, watch its analysis reach « Prêt », ask the document a question,
read the streamed answer and follow its citation to the highlighted passage."""

from pathlib import Path

import pytest

from tests.browser.test_chat import login
from tests.documents.files import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.model]
SERVER_ENV = {"CIVIA_MAX_TOKENS": "60", "CIVIA_MODEL_SEED": "1234"}
HOURS = ("La déchèterie municipale de Démoville est ouverte le samedi de 9 heures à 18 heures "
         "et le mercredi de 14 heures à 18 heures. L'accès est gratuit pour les habitants.")  # fmt: skip


def test_upload_progress_ready_then_cited_answer_opens_the_passage(
    page, civia_server: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    pdf = tmp_path / "dechetterie.pdf"
    pdf.write_bytes(
        make_pdf([["Horaires de la déchèterie", HOURS]], title="Guide de la déchèterie")
    )
    login(page, civia_server)
    page.get_by_role("link", name="Documents", exact=True).click()
    page.get_by_label("Nom de la collection").fill("Guides pratiques")
    page.get_by_role("button", name="Créer la collection").click()
    expect(page.get_by_role("heading", name="Guides pratiques")).to_be_visible()

    page.locator("#files").set_input_files(str(pdf))
    page.get_by_role("button", name="Déposer").click()
    expect(page.locator("#upload-results")).to_contain_text("son analyse est en file d'attente")
    row = page.locator("#documents tr", has_text="dechetterie.pdf")
    expect(row.locator(".badge")).to_have_text("Prêt", timeout=180_000)

    row.get_by_role("link", name="Poser une question").click()
    expect(page.get_by_text("Guide de la déchèterie")).to_be_visible()
    box = page.get_by_label("Votre message")
    box.fill("Quels sont les horaires de la déchèterie le samedi ?")
    box.press("Enter")
    expect(page.get_by_text("Réponse terminée.")).to_be_attached(timeout=240_000)
    answer = page.locator(".msg.assistant").last
    expect(answer.locator(".sources")).to_contain_text("samedi de 9 heures")
    citation = answer.locator(".body a.cite").first
    expect(citation).to_be_visible()
    citation.click()
    page.wait_for_url("**/documents/*#passage-0")
    passage = page.locator("#passage-0")
    expect(passage).to_be_visible()
    expect(passage).to_contain_text("samedi de 9 heures")
    # The cited passage is the :target, visibly outlined.
    assert page.evaluate("() => document.querySelector(':target')?.id") == "passage-0"
    assert passage.evaluate("e => getComputedStyle(e).borderTopWidth") == "3px"
