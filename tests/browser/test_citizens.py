"""In chromium, as a citizen without an account: ask Démoville's public assistant a question,
get an answer citing the published guide, open the cited passage, then write to an agent; the
message appears in the service's queue of the shared mailbox (as an agent sees it)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tests.browser.test_chat import login

# On a loaded 2-core machine, the demo mailbox's analysis holds the model for minutes first.
pytestmark = [pytest.mark.browser, pytest.mark.model, pytest.mark.timeout(1800)]
# The demo mailbox's three messages are analysed by the model too (one call at a time).
SERVER_ENV = {"CIVIA_MAX_TOKENS": "80", "CIVIA_MODEL_SEED": "1234",
              "CIVIA_PROVIDER_FIRST_TOKEN_TIMEOUT_S": "900", "CIVIA_PROVIDER_TIMEOUT_S": "1200"}  # fmt: skip
SUBJECT = "Déchetterie (essai du navigateur)"


def wait_for_published_documents(data: Path, timeout_s: float = 900) -> None:
    """The demo's FAQ and guide are analysed by the server's worker after `demo load`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with sqlite3.connect(data / "civia.db") as db:
            rows = db.execute(
                "SELECT d.status FROM doc_documents d JOIN doc_collections c "
                "ON c.id = d.collection_id WHERE c.name LIKE 'Guide pratique%'"
            ).fetchall()
        if rows and all(status == "ready" for (status,) in rows):
            return
        time.sleep(2)
    raise TimeoutError("the demo's public guide was not analysed in time")


def test_citizen_gets_a_cited_answer_then_writes_to_an_agent(
    page, browser, civia_server: str, civia_data: Path
) -> None:
    from playwright.sync_api import expect

    wait_for_published_documents(civia_data)
    page.goto(f"{civia_server}/citoyens/demoville")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assistant de la mairie")
    expect(page.locator(".ia")).to_contain_text("intelligence artificielle")
    expect(page.locator(".ia")).to_contain_text("peut se tromper")

    page.get_by_label("Votre question").fill("Quels sont les horaires de la déchetterie ?")
    page.keyboard.press("Tab")  # the send button, reached from the keyboard
    page.keyboard.press("Enter")
    answer = page.locator("#echanges .echange").first
    expect(answer.locator(".sources")).to_be_visible(timeout=1_000_000)
    expect(answer).to_contain_text("intelligence artificielle")
    source = answer.locator(".sources a").first
    href = source.get_attribute("href") or ""
    assert href.startswith("/citoyens/demoville/sources/") and "#passage-" in href
    # The question box is ready for the next question, with the focus in it.
    expect(page.get_by_label("Votre question")).to_be_focused()

    answer.get_by_role("button", name="Oui, utile").click()
    expect(answer.get_by_role("status")).to_contain_text("Merci")

    source.click()
    expect(page.locator(":target")).to_contain_text("déchetterie")
    page.go_back()

    page.get_by_role("link", name="Écrire à un agent").first.click()
    page.get_by_label("Votre adresse électronique").fill("habitant@exemple.fr")
    page.get_by_label("Objet").fill(SUBJECT)
    page.get_by_label("Votre message").fill("Bonjour, la déchetterie reprend-elle les pneus ?")
    page.get_by_role("button", name="Envoyer à un agent").click()
    expect(page.get_by_role("status")).to_contain_text("file des agents")

    agent = browser.new_context(locale="fr-FR").new_page()
    login(agent, civia_server)
    agent.goto(f"{civia_server}/courriels")
    expect(agent.get_by_text(SUBJECT)).to_be_visible()
