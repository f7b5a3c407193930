"""In chromium: a référent duplicates a built-in, saves a draft, tries it on the real model,
and submits it for publication; an admin publishes it and an agent finds it."""

import pytest

from tests.browser.test_chat import login

pytestmark = [pytest.mark.browser, pytest.mark.model]


def test_referent_builds_tries_and_publishes(browser, civia_server: str) -> None:
    from playwright.sync_api import expect

    page = browser.new_context(locale="fr-FR").new_page()
    login(page, civia_server, "referent")
    page.get_by_role("link", name="Atelier").click()
    page.get_by_role("link", name="Dupliquer Correction orthographique et grammaticale").click()
    page.locator("#i-id").fill("correction-etat-civil")
    page.locator("#i-name").fill("Correction état civil")
    page.get_by_role("button", name="Créer le brouillon").first.click()
    expect(page.get_by_role("heading", name="Essayer la version 1")).to_be_visible()

    page.locator("#t-texte").fill("Les acte de naissance sont delivré en mairie.")
    page.get_by_role("button", name="Essayer").click()
    expect(page.get_by_text("Brouillon à relire.")).to_be_visible(timeout=180_000)

    page.goto(f"{civia_server}/atelier/correction-etat-civil")
    page.get_by_role("button", name="Soumettre pour publication").click()
    expect(page.get_by_text("En attente de publication").first).to_be_visible()
    page.context.close()

    admin = browser.new_context(locale="fr-FR").new_page()
    login(admin, civia_server, "admin")
    admin.goto(f"{civia_server}/atelier/correction-etat-civil")
    admin.get_by_role("button", name="Publier").click()
    admin.context.close()

    agent = browser.new_context(locale="fr-FR").new_page()
    login(agent, civia_server, "agent")
    expect(agent.get_by_role("heading", name="Correction état civil")).to_be_visible()
    agent.context.close()
