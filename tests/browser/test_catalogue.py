"""In chromium, pooling by consent: Démoville's référent duplicates a built-in assistant and
publishes it to the shared catalogue, named; Bourg-Témoin's admin (`admin-b`) finds it, previews
and adopts it: a draft of Bourg-Témoin with its lineage, not usable before its own comité. Then
Démoville withdraws it: gone from the catalogue, Bourg-Témoin's copy stays."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_governance import signed_in

pytestmark = [pytest.mark.browser]
SERVER_ENV = {"CIVIA_LOCAL_MODEL_ENABLED": "false"}  # no model call in this journey


def test_demoville_publishes_and_bourg_temoin_adopts_a_draft(
    browser: Any, civia_server: str
) -> None:
    from playwright.sync_api import expect

    base = civia_server
    with signed_in(browser, base, "referent") as page:
        page.goto(f"{base}/atelier/nouveau?depuis=reformulation")
        page.locator("#i-id").fill("reformulation-demoville")
        page.locator("#i-name").fill("Reformulation en langage clair")
        page.get_by_role("button", name="Créer le brouillon").first.click()
        expect(page.get_by_role("status")).to_contain_text("Assistant créé")
        page.get_by_role("link", name="Catalogue partagé").click()
        page.get_by_role("link", name="Publier un élément de ma collectivité").click()
        page.get_by_label("Assistant à publier").select_option("reformulation-demoville")
        page.get_by_label("Présentation pour les autres collectivités").first.fill(
            "Réécrit un courrier administratif en langage clair."
        )
        page.get_by_label("Afficher « Commune de Démoville »").check()
        page.get_by_role("button", name="Publier dans le catalogue").first.click()
        expect(page.get_by_role("status")).to_contain_text("Fiche publiée")
        entry_url = page.url.split("?")[0]

    with signed_in(browser, base, "admin-b") as page:
        page.get_by_role("link", name="Catalogue partagé").click()
        page.get_by_role("link", name="Reformulation en langage clair").click()
        expect(page.locator("main")).to_contain_text("publiée par Commune de Démoville")
        expect(page.locator("main")).to_contain_text("Réécrit un courrier administratif")
        page.get_by_role("button", name="Adopter en brouillon").click()
        expect(page.get_by_role("status")).to_contain_text("adopté du catalogue partagé")
        main = page.locator("main")
        expect(main).to_contain_text("Brouillon")
        expect(main).to_contain_text(
            "Adapté du catalogue partagé : « Reformulation en langage clair »"
        )
        expect(main).to_contain_text("publiée par Commune de Démoville")

    with signed_in(browser, base, "referent") as page:
        page.goto(f"{base}/catalogue")
        page.get_by_role(
            "button", name="Retirer « Reformulation en langage clair » du catalogue"
        ).click()
        expect(page.get_by_role("status")).to_contain_text("Fiche retirée")

    with signed_in(browser, base, "admin-b") as page:
        response = page.goto(entry_url)
        assert response is not None and response.status == 404
        page.goto(f"{base}/atelier")
        expect(page.locator("main")).to_contain_text("Reformulation en langage clair")
