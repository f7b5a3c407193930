"""In chromium with a fake microphone: record in the page and upload at the end; a refused
microphone gives a French message. (The recording is a test tone: its transcription usually
finds no speech, the expected French failure.)"""

import pytest

from tests.browser.conftest import ARGS, CHROMIUM
from tests.browser.test_chat import login
from tests.meetings.conftest import needs_ffmpeg

pytestmark = [pytest.mark.browser, needs_ffmpeg]


@pytest.fixture(scope="module")
def fake_mic_browser(browser):
    """A second chromium, from the same Playwright, whose microphone is a synthetic tone."""
    fake = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*ARGS, "--use-fake-device-for-media-stream"]
    )
    yield fake
    fake.close()


def test_record_in_the_browser_then_upload(fake_mic_browser, civia_server: str) -> None:
    from playwright.sync_api import expect

    context = fake_mic_browser.new_context(locale="fr-FR")
    context.grant_permissions(["microphone"], origin=civia_server)
    page = context.new_page()
    try:
        login(page, civia_server)
        page.goto(f"{civia_server}/reunions")
        page.get_by_label("Intitulé de la réunion").fill("Point d'équipe enregistré")
        page.get_by_role("button", name="Démarrer l'enregistrement").click()
        expect(page.locator("#rec-status")).to_contain_text("Enregistrement en cours")
        page.wait_for_timeout(2500)
        page.get_by_role("button", name="Arrêter").click()
        expect(page.locator("#rec-status")).to_contain_text("Enregistrement terminé")
        page.get_by_role("button", name="Déposer et transcrire").click()
        page.wait_for_url("**/reunions/*")
        expect(page.get_by_role("heading", name="Point d'équipe enregistré")).to_be_visible()
        # The tone holds no speech: the job usually fails with its French reason; now and then
        # the voice detector lets a beep through and Whisper writes « C'est ça ? » on it, to
        # correct as any transcript. Either way the recording reached the transcription.
        no_speech = page.get_by_text("Aucune parole", exact=False)
        transcript = page.get_by_role("region", name="Transcription à relire")
        expect(no_speech.or_(transcript)).to_be_visible(timeout=180_000)
    finally:
        context.close()


def test_refused_microphone_gives_a_french_message(fake_mic_browser, civia_server: str) -> None:
    from playwright.sync_api import expect

    context = fake_mic_browser.new_context(locale="fr-FR")  # no microphone permission
    page = context.new_page()
    try:
        login(page, civia_server)
        page.goto(f"{civia_server}/reunions")
        page.get_by_role("button", name="Démarrer l'enregistrement").click()
        expect(page.locator("#rec-status")).to_contain_text("L'accès au micro a été refusé")
        expect(page.get_by_role("button", name="Arrêter")).to_be_disabled()
    finally:
        context.close()
