"""In chromium: the demo event's poster, texts edited, exported as an A4 PDF and a square PNG."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.browser.test_chat import login

pytestmark = pytest.mark.browser


def test_demo_event_poster_and_square_visual(page, civia_server: str) -> None:
    from playwright.sync_api import expect

    login(page, civia_server)
    page.goto(f"{civia_server}/resultats")
    page.get_by_role("link", name="Affiche et visuel", exact=False).first.click()
    page.get_by_role("link", name="Mettre en page l'affiche et les visuels").click()
    expect(
        page.get_by_role("heading", name="Mettre en page l'affiche et les visuels")
    ).to_be_visible()
    expect(page.get_by_text("écrits à la main, sans IA")).to_be_visible()
    page.get_by_label("Titre", exact=False).fill("Fête de la musique 2026")
    page.get_by_label("Pictogramme").select_option(label="Fête, festivité")
    page.get_by_label("Fond de couleur").check()
    page.get_by_role("button", name="Enregistrer et prévisualiser").click()
    expect(page.get_by_text("Affiche enregistrée.")).to_be_visible()
    preview = page.get_by_role("img", name="Affiche de Commune de Démoville", exact=False)
    expect(preview).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=preview.element_handle()
    )
    assert preview.evaluate("img => img.naturalWidth") == 420  # the preview is drawn

    with page.expect_download() as info:
        page.get_by_role("button", name="Affiche A4 (PDF)").click()
    assert info.value.suggested_filename == "fete-de-la-musique-2026-a4.pdf"
    reader = PdfReader(io.BytesIO(info.value.path().read_bytes()))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert "Fête de la musique 2026" in " ".join(reader.pages[0].extract_text().split())

    page.get_by_label("Accroche", exact=False).fill("Toute la commune en musique")
    with page.expect_download() as info:
        page.get_by_role("button", name="Visuel carré 1080 × 1080 (PNG)").click()
    image = Image.open(io.BytesIO(info.value.path().read_bytes()))
    assert image.size == (1080, 1080)
    assert "Toute la commune en musique" in image.text["Description"]  # type: ignore[attr-defined]
    page.reload()  # the export saved the texts first
    expect(page.get_by_label("Accroche", exact=False)).to_have_value("Toute la commune en musique")
