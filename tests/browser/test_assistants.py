"""In chromium: fill an assistant's form, get the draft from the real model, validate, download DOCX."""

import io

import docx
import pytest

from tests.browser.test_chat import login

pytestmark = [pytest.mark.browser, pytest.mark.model]


def test_correction_to_validated_docx(page, civia_server: str) -> None:
    from playwright.sync_api import expect

    login(page, civia_server)
    page.get_by_role("link", name="Utiliser Correction orthographique et grammaticale").click()
    page.get_by_label("Texte à corriger").fill("Les enfant sont aller a la piscine hier.")
    page.get_by_role("button", name="Générer le brouillon").click()
    expect(page.get_by_text("Brouillon à relire.")).to_be_visible(timeout=180_000)
    expect(page.get_by_role("heading", name="Modifications", exact=False)).to_be_visible()
    editor = page.get_by_label("Texte à relire et corriger (Markdown)")
    editor.fill(editor.input_value().strip() + "\n\nRelu par le service.")
    page.get_by_role("button", name="J'ai relu : valider").click()
    expect(page.get_by_text("Résultat validé")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Word (DOCX)").click()
    content = info.value.path().read_bytes()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert "Relu par le service." in text and "Validé par Alice Agent" in text


def test_a_run_left_at_once_is_found_again_finished(page, civia_server: str) -> None:
    """The agent leaves the result page as soon as the run starts: the run goes on on the
    server, « Mes résultats » leads back to it and the draft is there."""
    from playwright.sync_api import expect

    login(page, civia_server)
    page.goto(f"{civia_server}/assistants/reformulation")
    page.get_by_label("Texte à reformuler").fill("La piscine ferme à 19 h le jeudi.")
    page.get_by_label("Registre visé").select_option("courrier usager FALC")
    page.get_by_role("button", name="Générer le brouillon").click()
    page.wait_for_url("**/resultats/*")
    run_url = page.url
    page.goto(f"{civia_server}/")  # left while the model writes
    page.get_by_role("link", name="Mes résultats").click()
    page.locator(f'a[href="{run_url.removeprefix(civia_server)}"]').click()
    expect(page.get_by_text("Brouillon à relire.")).to_be_visible(timeout=180_000)
    expect(page.get_by_label("Texte à relire et corriger (Markdown)")).not_to_have_value("")
    expect(page.locator(".model-label")).to_contain_text("il invente des faits")
