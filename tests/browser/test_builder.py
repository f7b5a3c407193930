"""In chromium, the référent's and the comité's journeys: a référent duplicates a built-in,
saves a draft, tries it on the real model, submits it for publication and writes its card; two
comité members review and approve the card; an admin publishes the assistant; the public page
and the agents' home show it."""

import pytest

from tests.browser.test_chat import login
from tests.browser.test_governance import click, fill_card, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.model]
TITLE = "Correction des actes d'état civil"


def test_referent_builds_tries_submits_and_the_comite_approves(browser, civia_server: str) -> None:
    from playwright.sync_api import expect

    base = civia_server
    with signed_in(browser, base, "referent") as page:
        page.get_by_role("link", name="Atelier").click()
        page.get_by_role("link", name="Dupliquer Correction orthographique et grammaticale").click()
        page.locator("#i-id").fill("correction-etat-civil")
        page.locator("#i-name").fill("Correction état civil")
        page.get_by_role("button", name="Créer le brouillon").first.click()
        expect(page.get_by_role("heading", name="Essayer la version 1")).to_be_visible()

        page.locator("#t-texte").fill("Les acte de naissance sont delivré en mairie.")
        page.get_by_role("button", name="Essayer").click()
        expect(page.get_by_text("Brouillon à relire.")).to_be_visible(timeout=180_000)

        page.goto(f"{base}/atelier/correction-etat-civil")
        page.get_by_role("button", name="Soumettre pour publication").click()
        expect(page.get_by_text("En attente de publication").first).to_be_visible()
        page.get_by_role("link", name="Rédiger sa fiche").click()  # from the assistant's page
        fill_card(page, base, "correction-etat-civil", TITLE)
        case_url = page.url.split("?")[0]
        click(page, "Soumettre au comité")
        expect(page.get_by_role("status")).to_contain_text("Soumis au comité")

    with signed_in(browser, base, "admin") as admin:  # not before the comité's decision
        admin.goto(f"{base}/atelier/correction-etat-civil")
        admin.get_by_role("button", name="Publier").click()
        expect(admin.get_by_text("approuvé par le comité")).to_be_visible()

    with signed_in(browser, base, "comite-elu") as elu:
        elu.goto(case_url)
        click(elu, "Ouvrir l'examen")
        elu.get_by_label("Favorable", exact=True).check()
        click(elu, "Voter")
    with signed_in(browser, base, "comite-personnel") as member:
        member.goto(case_url)
        expect(member.locator("main")).to_contain_text("Élise Élue")  # the first vote is there
        member.get_by_label("Favorable", exact=True).check()
        click(member, "Voter")
        click(member, "Approuver")
        expect(member.get_by_role("status")).to_contain_text("Approuvé")
        covered = member.locator("section", has=member.locator("#sous-fiche"))
        expect(covered).to_contain_text("Correction état civil")  # the card names its assistant

    with signed_in(browser, base, "admin") as admin:
        admin.goto(f"{base}/atelier/correction-etat-civil")
        expect(admin.locator("#fiche")).to_contain_text(f"{TITLE} (Approuvé)")
        admin.get_by_role("button", name="Publier").click()
        expect(admin.get_by_text("Assistant publié : il est proposé aux agents")).to_be_visible()

    public = browser.new_page()  # no login
    public.goto(f"{base}/transparence/demoville")
    card = public.locator("section.card", has_text=TITLE)
    expect(card).to_contain_text("Correction état civil")
    builtins = public.locator("section.card", has_text="Assistants intégrés de Civia")
    expect(builtins).to_contain_text("Courrier")  # the built-ins, under their standing card
    expect(public.get_by_text("pas encore examinés")).to_have_count(0)
    public.close()

    agent = browser.new_context(locale="fr-FR").new_page()
    login(agent, base, "agent")
    expect(agent.get_by_role("heading", name="Correction état civil")).to_be_visible()
    expect(agent.get_by_text("Pas encore examiné par le comité")).to_have_count(0)
    agent.context.close()
