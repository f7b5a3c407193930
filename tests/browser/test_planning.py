"""Diagnose and plan in chromium, as pilotage on the demo collectivité (no model call): a
diagnostic compared with the earlier one, a survey answered from its link by several people
in fresh browser contexts (nothing shown under 5 answers), free texts grouped into a case,
the case placed in a circle and turned into an assistant draft and its register card."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_governance import signed_in

pytestmark = pytest.mark.browser

WISHES = [
    "Préparer les réponses aux courriels des usagers",
    "Trier les courriels du matin",
    "Un brouillon de réponse pour les courriels répétitifs",
    "Résumer les longs courriels",
    "Classer les courriels par service",
]


def _answer(browser: Any, link: str, wish: str) -> None:
    """One agent, in a fresh context (no cookie, no account: a private window)."""
    from playwright.sync_api import expect

    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(180_000)  # the first answer loads the privacy engine's models
    page.goto(link)
    expect(page.get_by_text("Votre anonymat est garanti")).to_be_visible()
    page.get_by_label("Répondre aux courriels récurrents des usagers").check()
    page.get_by_label("Combien d'heures par semaine").fill("5")
    page.get_by_label("Jamais").check()
    page.get_by_label("Qu'aimeriez-vous qu'un assistant fasse pour vous").fill(wish)
    page.get_by_role("button", name="Envoyer ma réponse anonyme").click()
    expect(page.get_by_text("réponse anonyme est enregistrée")).to_be_visible()
    context.close()


def test_diagnose_survey_and_plan_as_pilotage(browser: Any, civia_server: str) -> None:
    from playwright.sync_api import expect

    base = civia_server
    with signed_in(browser, base, "pilotage") as page:
        # A diagnostic, its radar, level and recommendation, compared with the earlier one.
        page.goto(f"{base}/pilotage/diagnostic/nouveau")
        page.get_by_label("Titre").fill("Diagnostic de décembre")
        for fieldset in page.locator("form fieldset").all():
            fieldset.get_by_role("radio").nth(2).check()
        page.get_by_role("button", name="Calculer et enregistrer le diagnostic").click()
        page.wait_for_url("**/pilotage/diagnostic/*")
        expect(page.get_by_role("heading", level=1)).to_have_text("Diagnostic de décembre")
        expect(page.locator("#res-h")).to_contain_text("/100")
        expect(page.get_by_text("Recommandation")).to_be_visible()
        expect(page.get_by_text("Dimension la plus faible")).to_be_visible()
        expect(page.locator("figure.chart-figure > svg")).to_have_count(1)  # the radar
        page.get_by_label("Comparer avec").select_option(index=1)
        page.get_by_role("button", name="Comparer").click()
        page.wait_for_load_state()
        radar = page.get_by_role("table", name="Scores par dimension (sur 100)")
        expect(radar.locator("thead th")).to_have_count(3)  # dimension + two diagnostics
        expect(radar.locator("thead")).to_contain_text("Diagnostic de décembre")

        # A survey, answered from its link by five people; nothing shown under five.
        page.goto(f"{base}/pilotage/enquetes")
        page.get_by_label("Titre de la nouvelle enquête").fill("Vos besoins de décembre")
        page.get_by_role("button", name="Ouvrir l'enquête").click()
        page.wait_for_url("**/pilotage/enquetes/*")
        survey_url = page.url
        link = page.get_by_label("Lien de l'enquête (sans compte)").input_value()
        assert link.startswith(f"{base}/enquete/")
        for wish in WISHES[:4]:
            _answer(browser, link, wish)
        page.reload()
        expect(page.get_by_text("4 réponses.")).to_be_visible()
        expect(page.get_by_text("à partir de 5 réponses (encore 1 à recevoir)")).to_be_visible()
        expect(page.get_by_role("heading", name="Irritants cités")).to_have_count(0)
        expect(page.get_by_text("Préparer les réponses aux courriels")).to_have_count(0)
        _answer(browser, link, WISHES[4])
        page.goto(survey_url)
        expect(page.get_by_role("heading", name="Irritants cités")).to_be_visible()
        irritants = page.get_by_role("table", name="Irritants (chaque agent en cite trois au plus)")
        expect(irritants).to_contain_text("Répondre aux courriels récurrents des usagers")
        expect(irritants.locator("tbody tr").first).to_contain_text("5")

        # The free texts grouped into a candidate use case, renamed and accepted.
        page.get_by_role("button", name="Proposer par mots-clés partagés").click()
        page.wait_for_load_state()
        expect(page.get_by_text("1 regroupement proposé")).to_be_visible()
        group = page.locator("article", has_text="5 réponses · mots-clés partagés")
        group.get_by_label("Titre du cas candidat").fill("Réponses aux courriels des usagers")
        group.get_by_role("button", name="Retenir comme cas candidat").click()
        page.wait_for_url("**/pilotage/portefeuille/*")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Réponses aux courriels des usagers"
        )
        case_url = page.url.split("?")[0]

        # The case scored, moved to the first circle, then drafted and carded in one click.
        for criterion, mark in (("Impact", "5"), ("Facilité", "4"), ("Acceptabilité", "4")):
            page.get_by_role("group", name=criterion).get_by_label(mark, exact=True).check()
        page.get_by_role("button", name="Enregistrer ma notation").click()
        page.wait_for_load_state()
        page.get_by_label("Expérimentation sécurisée").check()
        page.get_by_label("Service concerné").select_option(label="Population et citoyenneté")
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        page.wait_for_url("**/pilotage/portefeuille?**")
        expect(page.get_by_role("status").first).to_contain_text(
            "« Réponses aux courriels des usagers » : Expérimentation sécurisée."
        )
        circle = page.locator("section[aria-labelledby='circle-1']")
        expect(circle).to_contain_text("Réponses aux courriels des usagers")
        matrix = page.locator("svg[aria-labelledby='matrix-t matrix-d']")
        expect(matrix).to_contain_text("Réponses aux courriels des usagers : facilité 4.0")
        page.goto(case_url)
        page.get_by_role("button", name="Créer le brouillon d'assistant et sa fiche").click()
        page.wait_for_load_state()
        expect(page.get_by_role("status").first).to_contain_text("Brouillon d'assistant «")
        card_link = page.get_by_role("link", name="n°", exact=False).last
        card_link.click()
        page.wait_for_url("**/gouvernance/cas-usage/*")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Réponses aux courriels des usagers"
        )
        expect(page.locator(".meta").first).to_contain_text("Brouillon")
        page.get_by_role("link", name="Portefeuille de cas d'usage, cas n°").click()
        page.wait_for_url(case_url)
