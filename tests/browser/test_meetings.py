"""In chromium: upload a recording, follow the progress, correct the transcript (a word, a
speaker renamed everywhere), generate the minutes with the real model, validate, DOCX."""

import io

import docx
import pytest

from tests.browser.test_chat import login
from tests.meetings.conftest import CLIP, needs_clip, needs_ffmpeg

pytestmark = [pytest.mark.browser, pytest.mark.model, needs_clip, needs_ffmpeg]
CORRECTED = (
    "Le même mois, un autre avion de ligne a fait une sortie de piste à Mashhad et a heurté "
    "un mur, tuant dix-sept personnes."
)


def test_recording_to_validated_minutes(page, civia_server: str) -> None:
    from playwright.sync_api import expect

    login(page, civia_server)
    page.get_by_role("link", name="Réunions").click()
    page.get_by_label("Intitulé de la réunion").fill("Commission des transports")
    page.get_by_label("Enregistrement (WAV", exact=False).set_input_files(str(CLIP))
    page.get_by_role("button", name="Déposer et transcrire").click()
    page.wait_for_url("**/reunions/*")
    expect(page.locator("progress").first).to_be_visible()
    # When the transcription ends, the page switches to the editor by itself.
    expect(page.get_by_role("heading", name="Transcription à relire")).to_be_visible(
        timeout=180_000
    )
    expect(page.locator("audio#lecteur")).to_be_visible()
    text = page.get_by_label("Texte du segment 1", exact=False)
    assert "piste" in text.input_value()
    text.fill(CORRECTED)  # autosaved after a pause, or before the next action
    expect(page.locator("#sauvegarde")).to_contain_text("Enregistré", timeout=15_000)
    page.get_by_label("Intervenant", exact=True).select_option(label="(segments sans intervenant)")
    page.get_by_label("Nouveau nom").fill("Le président de séance")
    page.get_by_role("button", name="Renommer partout").click()
    expect(page.get_by_text("renommé en « Le président de séance »", exact=False)).to_be_visible()
    assert page.get_by_label("Texte du segment 1", exact=False).input_value() == CORRECTED
    assert page.get_by_label("Intervenant du segment 1").input_value() == "Le président de séance"

    page.get_by_role("button", name="Générer le compte rendu").click()
    page.wait_for_url("**/resultats/*")
    assert "Le président de séance : Le même mois" in page.content()  # the notes sent
    expect(page.get_by_text("Brouillon à relire.")).to_be_visible(timeout=400_000)
    page.get_by_role("button", name="J'ai relu : valider").click()
    expect(page.get_by_text("Résultat validé")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Word (DOCX)").click()
    content = info.value.path().read_bytes()
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert "Commission des transports" in body and "Validé par" in body
