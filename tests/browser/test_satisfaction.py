"""The satisfaction survey in chromium on the demo collectivité (no model call): agents of one
service find the J+90 prompt at the top of their pages and answer with the keyboard and mouse;
pilotage sees nothing under five answers, then the wave aggregated (mean ease, NPS)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_governance import signed_in

pytestmark = pytest.mark.browser

SERVICE = "Direction générale des services"  # comite, dpo, pilotage and admin work there
EXTRA = "agent-dgs-enquete"
PASSWORD = f"{EXTRA}-mot-de-passe-2026"
# (login, ease 1–5, recommend 0–10): ease (4+5+3+4+2)/5 = 3.6; promoters 9, 10 (2),
# passive 8 (1), detractors 6, 3 (2): NPS = 40 % − 40 % = 0
ANSWERS = [("comite", 4, 9), ("dpo", 5, 10), ("admin", 3, 8), (EXTRA, 4, 6)]
LAST = ("pilotage", 2, 3)


def _add_agent(data: Path) -> None:
    """A fifth account in the service, created with the command line as an admin would."""
    env = {**os.environ, "CIVIA_DATA_DIR": str(data), "CIVIA_MODE": "demo"}
    env.pop("CIVIA_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "civia.cli", "users", "create", EXTRA, "--service", SERVICE,
         "--name", "Agent de la DGS", "--password", PASSWORD],
        env=env, check=True, capture_output=True,
    )  # fmt: skip


def _signed_in(browser: Any, base: str, login: str) -> Any:
    if login != EXTRA:
        return signed_in(browser, base, login)
    from contextlib import contextmanager

    from tests.browser.test_governance import accept_charter_if_asked

    @contextmanager
    def extra() -> Any:
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        page.goto(f"{base}/connexion")
        page.get_by_label("Identifiant").fill(EXTRA)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        accept_charter_if_asked(page)
        try:
            yield page
        finally:
            context.close()

    return extra()


def _answer(browser: Any, base: str, login: str, ease: int, recommend: int) -> None:
    from playwright.sync_api import expect

    with _signed_in(browser, base, login) as page:
        page.set_default_timeout(180_000)  # the first free text loads the privacy engine
        page.goto(f"{base}/")
        notice = page.get_by_role("region", name="Votre avis sur Civia (J+90)")
        expect(notice).to_be_visible()
        notice.get_by_role("link", name="Répondre à l'enquête").click()
        page.wait_for_url("**/satisfaction")
        page.get_by_role("group", name="Civia facilite-t-il votre travail ?").get_by_label(
            str(ease), exact=True
        ).check()
        group = page.get_by_role("group", name="Recommanderiez-vous Civia à un collègue ?")
        group.get_by_label(str(recommend), exact=True).focus()
        page.keyboard.press("Space")  # radio groups work with the keyboard
        expect(group.get_by_label(str(recommend), exact=True)).to_be_checked()
        page.get_by_label("Que faudrait-il améliorer ?").fill("Des modèles de courriers")
        page.get_by_role("button", name="Envoyer ma réponse").click()
        expect(page.get_by_text("Merci ! Votre réponse est enregistrée")).to_be_visible()
        page.goto(f"{base}/")
        page.wait_for_load_state("networkidle")  # the prompt's fragment has answered
        expect(page.locator("#survey-notice")).to_have_count(0)  # once per wave


def test_agents_answer_a_wave_and_pilotage_sees_it(
    browser: Any, civia_server: str, civia_data: Path
) -> None:
    from playwright.sync_api import expect

    base = civia_server
    _add_agent(civia_data)
    # « Plus tard » hides the prompt without a page change (the agent of another service)
    with signed_in(browser, base, "agent") as page:
        page.goto(f"{base}/")
        notice = page.get_by_role("region", name="Votre avis sur Civia (J+90)")
        notice.get_by_role("button", name="Plus tard").click()
        expect(page.get_by_text("C'est noté")).to_be_visible()
        page.reload()
        page.wait_for_load_state("networkidle")
        expect(page.locator("#survey-notice")).to_have_count(0)
    for login, ease, recommend in ANSWERS:
        _answer(browser, base, login, ease, recommend)
    with signed_in(browser, base, "pilotage") as page:
        page.goto(f"{base}/pilotage/satisfaction?donnees=reelles")
        table = page.get_by_role("table", name="Résultats par service et par vague")
        row = table.locator("tbody tr", has_text=SERVICE).filter(has_text="J+90")
        expect(row).to_contain_text("4 réponses sur 5 nécessaires")
    _answer(browser, base, *LAST)
    with signed_in(browser, base, "pilotage") as page:
        page.goto(f"{base}/pilotage/satisfaction?donnees=reelles")
        table = page.get_by_role("table", name="Résultats par service et par vague")
        row = table.locator("tbody tr", has_text=SERVICE).filter(has_text="J+90")
        cells = row.locator("td")
        expect(cells.nth(2)).to_have_text(re.compile(r"^5 sur \d+ comptes \(\d+ %\)$"))
        expect(cells.nth(3)).to_have_text("3,6")
        expect(cells.nth(4)).to_have_text("0")
        expect(cells.nth(5)).to_have_text("2 / 1 / 2")
        expect(page.get_by_text("Courriers (modèles) : 5 réponses")).to_be_visible()
        # the demo's fictitious answers are shown apart, with their notice
        page.goto(f"{base}/pilotage/satisfaction")
        expect(page.get_by_text("Données fictives de démonstration.")).to_be_visible()
