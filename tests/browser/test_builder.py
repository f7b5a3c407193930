"""In chromium: a référent duplicates a built-in, saves a draft, tries it on the real model,
and submits it for publication; an admin publishes it and an agent finds it."""

from pathlib import Path

import pytest

from tests.browser.test_chat import login

pytestmark = [pytest.mark.browser, pytest.mark.model]


def _approve_card(data: Path, slug: str) -> None:
    """The comité approves the assistant's use case (its own journey is another test)."""
    from sqlalchemy import select

    from civia.accounts.models import Tenant
    from civia.db.engine import make_engine, make_sessionmaker, session_scope
    from civia.governance.models import UseCase
    from civia.settings import Settings

    engine = make_engine(Settings(data_dir=data).db_url)
    with session_scope(make_sessionmaker(engine)) as db:
        tenant = db.scalars(select(Tenant).where(Tenant.slug == "demoville")).one()
        db.add(UseCase(tenant_id=tenant.id, assistant_id=slug, title=slug, status="approved"))
    engine.dispose()


def test_referent_builds_tries_and_publishes(browser, civia_server: str, civia_data: Path) -> None:
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
    expect(admin.get_by_text("approuvé par le comité")).to_be_visible()  # not before the comité
    _approve_card(civia_data, "correction-etat-civil")
    admin.goto(f"{civia_server}/atelier/correction-etat-civil")
    admin.get_by_role("button", name="Publier").click()
    admin.context.close()

    agent = browser.new_context(locale="fr-FR").new_page()
    login(agent, civia_server, "agent")
    expect(agent.get_by_role("heading", name="Correction état civil")).to_be_visible()
    agent.context.close()
