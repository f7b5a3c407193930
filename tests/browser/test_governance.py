"""Governance in chromium, one user journey per test, on the demo collectivité (no model call).

The tests share the module's server, so they run in order: the charter test first (demo users
have not accepted any charter yet); later logins accept it when asked."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import docx
import pytest

from tests.governance import fria_files

pytestmark = pytest.mark.browser

ACCEPT = "J'ai lu la charte et je m'engage à la respecter."


@contextmanager
def signed_in(browser: Any, base: str, login: str) -> Iterator[Any]:
    """A fresh browser context (its own cookies) logged in as `login`."""
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm prompts
    page.goto(f"{base}/connexion")
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(f"{login}-demo-civia")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    accept_charter_if_asked(page)
    try:
        yield page
    finally:
        context.close()


def accept_charter_if_asked(page: Any) -> None:
    if "/charte" in page.url:
        page.get_by_label(ACCEPT).check()
        page.get_by_role("button", name="J'accepte la charte").click()
        page.wait_for_load_state()


def fill_card(page: Any, base: str, assistant: str, title: str, *, risk: str = "Risque minimal",
              training: bool = False, complete: bool = True) -> None:  # fmt: skip
    page.goto(f"{base}/gouvernance/cas-usage/nouveau")
    page.get_by_label("Assistant concerné").select_option(assistant)
    page.get_by_label("Titre").fill(title)
    if complete:
        page.get_by_label("Finalité").fill("Orienter les demandes des usagers vers le bon service.")
        page.get_by_label("Service responsable").select_option(label="Population et citoyenneté")
        page.get_by_label("Utilisateurs (qui l'utilise").fill("Les agents d'accueil (6).")
        page.get_by_label("Identité, coordonnées").check()
        page.get_by_label("Contrôle humain (qui relit").fill("Un agent valide chaque orientation.")
        page.get_by_label("Bénéfice attendu").fill("Une heure par jour à l'accueil.")
        page.get_by_label(risk).check()
    if training:
        page.get_by_label("Réservé aux agents qui ont terminé le module d'acculturation").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/gouvernance/cas-usage/*")


def click(page: Any, name: str) -> None:
    """Press a form's button and wait for the page it leads to (a next click on the page still
    shown would be lost when the answer arrives)."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_charter_at_first_login_and_again_after_a_new_version(
    browser: Any, civia_server: str
) -> None:
    from playwright.sync_api import expect

    base = civia_server
    context = browser.new_context(locale="fr-FR")
    agent = context.new_page()
    agent.goto(f"{base}/connexion")
    agent.get_by_label("Identifiant").fill("agent")
    agent.get_by_label("Mot de passe").fill("agent-demo-civia")
    agent.get_by_role("button", name="Se connecter").click()
    agent.wait_for_url("**/charte**")
    expect(agent.get_by_role("heading", level=1)).to_contain_text("Charte")
    agent.get_by_role("button", name="J'accepte la charte").click()  # box not ticked: refused
    assert "/charte" in agent.url
    agent.get_by_label(ACCEPT).check()
    agent.get_by_role("button", name="J'accepte la charte (version 1)").click()
    agent.wait_for_url(f"{base}/")

    with signed_in(browser, base, "admin") as admin:
        admin.goto(f"{base}/gouvernance/charte")
        body = admin.get_by_label("Texte")
        body.fill(body.input_value() + "\n\n## Ajout\n\nNe jamais publier un texte non relu.")
        click(admin, "Publier une nouvelle version")
        admin.wait_for_url("**/charte**")  # the author accepts the new version too
        expect(admin.locator("p.meta")).to_contain_text("Version 2")

    agent.goto(f"{base}/")
    agent.wait_for_url("**/charte**")
    expect(agent.get_by_role("note")).to_contain_text("La charte a changé")
    expect(agent.locator("article")).to_contain_text("Ne jamais publier un texte non relu.")
    agent.get_by_label(ACCEPT).check()
    agent.get_by_role("button", name="J'accepte la charte (version 2)").click()
    agent.wait_for_url(f"{base}/")
    context.close()


def test_training_gate_then_the_quiz(browser: Any, civia_server: str) -> None:
    from playwright.sync_api import expect

    base = civia_server
    with signed_in(browser, base, "referent") as referent:
        fill_card(referent, base, "swot", "Analyses SWOT", training=True, complete=False)
        expect(referent.locator("dl")).to_contain_text("Oui")
    with signed_in(browser, base, "agent") as agent:
        agent.goto(f"{base}/assistants/swot")
        expect(agent.get_by_text("réservé aux agents qui ont terminé le module")).to_be_visible()
        agent.goto(f"{base}/formation")
        for question in agent.locator("fieldset").all():
            question.get_by_role("radio").nth(1).check()  # every right answer is "b"
        click(agent, "Valider mes réponses")
        expect(agent.get_by_role("status").first).to_be_visible()
        agent.goto(f"{base}/assistants/swot")
        expect(agent.get_by_role("heading", level=1)).to_contain_text("SWOT")
        expect(agent.get_by_text("réservé aux agents")).to_have_count(0)


def test_review_of_a_high_risk_case_up_to_the_kill_switch(browser: Any, civia_server: str) -> None:
    from playwright.sync_api import expect

    base = civia_server
    title = "Tri des demandes d'aide sociale"
    with signed_in(browser, base, "referent") as referent:
        fill_card(referent, base, "tri-demandes", title, risk="Haut risque (annexe III)")
        case_url = referent.url.split("?")[0]
        expect(referent.get_by_role("note")).to_contain_text("l'analyse d'impact")
        click(referent, "Soumettre au comité")
        expect(referent.get_by_role("status")).to_contain_text("Soumis au comité")

    with signed_in(browser, base, "comite") as comite:
        comite.goto(case_url)
        click(comite, "Ouvrir l'examen")
        comite.get_by_label("Ajouter un commentaire").fill(
            "Quelles voies de recours pour l'usager ?"
        )
        click(comite, "Commenter")
        comite.get_by_label("Favorable", exact=True).check()
        click(comite, "Voter")
        click(comite, "Approuver")  # high risk, no Art. 27 assessment, nobody named
        expect(
            comite.get_by_text("joignez l'analyse d'impact sur les droits fondamentaux")
        ).to_be_visible()
        comite.goto(case_url)
        comite.get_by_label("Motif — Demander des modifications").fill(
            "Joindre l'AIPD, nommer un contrôleur."
        )
        click(comite, "Demander des modifications")
        expect(comite.get_by_role("status")).to_contain_text("Modifications demandées")

        # Self-approval: a case the comité member wrote has no review button, and a forged
        # request is refused with the reason, then audited.
        fill_card(comite, base, "faq", "FAQ de l'état civil")
        click(comite, "Soumettre au comité")
        expect(comite.get_by_role("note").last).to_contain_text("un autre membre du comité")
        expect(comite.get_by_role("button", name="Ouvrir l'examen")).to_have_count(0)
        own_url = comite.url.split("?")[0]
        token = comite.locator("input[name=csrf_token]").first.input_value()
        forged = comite.request.post(
            f"{own_url}/transition", form={"csrf_token": token, "action": "review"}
        )
        assert forged.status == 403 and "un autre membre du comité doit" in forged.text()

    with signed_in(browser, base, "referent") as referent:
        referent.goto(case_url)
        referent.get_by_label("Joindre l'analyse d'impact").set_input_files(
            files=[
                {
                    "name": "AIPD tri des demandes.pdf",
                    "mimeType": "application/pdf",
                    "buffer": fria_files.pdf("AIPD"),
                }
            ]
        )
        click(referent, "Joindre le fichier")
        expect(referent.get_by_role("status")).to_contain_text("Analyse d'impact jointe")
        referent.get_by_role("link", name="Modifier la fiche").click()
        referent.get_by_label("Personnes nommées chargées du contrôle humain").fill("Marie Exemple")
        click(referent, "Enregistrer")
        click(referent, "Soumettre au comité")

    with signed_in(browser, base, "comite") as comite:
        comite.goto(case_url)
        click(comite, "Ouvrir l'examen")
        with comite.expect_download() as download:
            comite.get_by_role("link", name="AIPD tri des demandes.pdf").first.click()
        assert download.value.suggested_filename == "AIPD tri des demandes.pdf"
        comite.get_by_label("Favorable", exact=True).check()
        click(comite, "Voter")
        click(comite, "Approuver")
        expect(comite.get_by_role("status")).to_contain_text("Approuvé")

        public = browser.new_page()
        public.goto(f"{base}/transparence/demoville")
        expect(public.get_by_text(title)).to_be_visible()

        comite.goto(case_url)
        comite.get_by_label("Motif — Suspendre immédiatement").fill(
            "Orientation discriminante signalée."
        )
        click(comite, "Suspendre immédiatement")
        expect(
            comite.get_by_role("status").filter(has_text="Assistant suspendu le")
        ).to_be_visible()

        public.reload()
        expect(public.get_by_text(title)).to_have_count(0)
        public.close()

    with signed_in(browser, base, "agent") as agent:
        agent.goto(f"{base}/assistants/tri-demandes")
        expect(agent.get_by_text("suspendu par le comité d'éthique")).to_be_visible()


def test_dpo_audit_retention_exports_and_erasures(browser: Any, civia_server: str) -> None:
    from playwright.sync_api import expect

    base = civia_server
    with signed_in(browser, base, "agent") as agent:
        agent.goto(f"{base}/compte/mes-donnees")
        with agent.expect_download() as download:
            agent.get_by_role("link", name="Télécharger mes données (JSON)").click()
        data = json.loads(download.value.path().read_text("utf-8"))
        assert data["compte"]["identifiant"] == "agent" and data["charte"]
        agent.goto(f"{base}/incidents/nouveau")
        agent.get_by_label("Fuite ou exposition de données personnelles").check()
        agent.get_by_label("Description").fill(
            "La réponse cite Mme Jeanne Dupont, 12 rue des Lilas."
        )
        click(agent, "Envoyer le signalement")

    with signed_in(browser, base, "dpo") as dpo:
        dpo.goto(f"{base}/gouvernance/journal")
        dpo.get_by_label("Action").select_option("usecase.transition")
        click(dpo, "Filtrer")
        rows = dpo.locator("tbody tr")
        expect(rows.first).to_contain_text("Cas d'usage : changement d'état")
        with dpo.expect_download() as download:
            dpo.get_by_role("link", name="Exporter en CSV").click()
        text = download.value.path().read_text("utf-8-sig")  # French Excel: BOM and `;`
        exported = list(csv.DictReader(io.StringIO(text), delimiter=";"))
        assert exported and {r["action"] for r in exported} == {"usecase.transition"}
        dpo.get_by_role("link", name="Vérifier l'intégrité du journal").click()
        expect(dpo.get_by_role("status")).to_contain_text("la chaîne d'empreintes est intacte")

        dpo.goto(f"{base}/gouvernance/parametres")
        dpo.get_by_label("Conversations (jours)").fill("90")
        dpo.get_by_label("Contact public").fill(
            "Délégué à la protection des données : dpo@demoville.example"
        )
        click(dpo, "Enregistrer")
        expect(dpo.get_by_role("status")).to_contain_text("Paramètres enregistrés")
        expect(dpo.get_by_label("Conversations (jours)")).to_have_value("90")

        dpo.goto(f"{base}/gouvernance/droits/personne-citee")
        dpo.get_by_label("Nom de famille").fill("dupont")
        dpo.get_by_label("Prénom(s)").fill("Jeanne")
        dpo.get_by_label("Adresse postale").fill("12 rue des Lilas")
        click(dpo, "Rechercher")
        expect(dpo.get_by_role("heading", name="1 passage(s) trouvé(s)")).to_be_visible()
        expect(dpo.locator("table")).to_contain_text("[M… J… D…]")
        with dpo.expect_download() as download:  # her access request (GDPR Art. 15) first
            dpo.get_by_role("button", name="Préparer la réponse à une demande d'accès").click()
        assert download.value.suggested_filename == "demande-d-acces.docx"
        answer = docx.Document(str(download.value.path()))
        text = "\n".join(p.text for p in answer.paragraphs)
        assert "Réponse à une demande d'accès (RGPD, article 15)" in text
        assert "Jeanne Dupont, 12 rue des Lilas" in text  # the incident's text, as written
        click(dpo, "Effacer les passages cochés")
        expect(dpo.get_by_role("status")).to_contain_text("2 mention(s) remplacée(s)")

        dpo.goto(f"{base}/gouvernance/droits")
        dpo.get_by_label("Identifiant de la personne").fill("pilotage")
        click(dpo, "Rechercher")
        dpo.get_by_label("saisissez l'identifiant « pilotage »").fill("pilotage")
        click(dpo, "Effacer définitivement")
        expect(dpo.get_by_role("status")).to_contain_text("compte anonymisé")

    public = browser.new_page()  # no login
    public.goto(f"{base}/transparence/demoville")
    expect(public.locator("#contester ~ p strong").first).to_contain_text("dpo@demoville.example")
    with public.expect_download() as download:
        public.get_by_role("link", name="Registre au format CSV").click()
    header = download.value.path().read_text("utf-8").lstrip("\ufeff").splitlines()[0]
    assert header.startswith("identifiant;titre;finalite;classe_de_risque")  # French Excel
    response = public.request.get(f"{base}/transparence/demoville.json")
    register = response.json()
    assert response.ok and register["contact_pour_contester"].endswith("dpo@demoville.example")
    titles = [case["titre"] for case in register["cas_d_usage"]]
    assert "Tri des demandes d'aide sociale" not in titles  # suspended: no longer public
    public.close()
