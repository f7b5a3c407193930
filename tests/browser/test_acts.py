"""In chromium: import an SCDL file, follow its progress, search with a filter, open an act,
see its similar acts, and start an arrêté from them on the pre-filled assistant form."""

import pytest

from tests.browser.test_chat import login
from tests.documents.acts.conftest import DATA, SAINT_AUBIN

pytestmark = [pytest.mark.browser]


def test_import_search_similar_then_draft(page, civia_server: str) -> None:
    from playwright.sync_api import expect

    login(page, civia_server, "referent")
    page.get_by_role("link", name="Actes", exact=True).click()
    page.get_by_role("link", name="Importer des actes").click()
    page.get_by_label("Fichier CSV").set_input_files(str(DATA / SAINT_AUBIN))
    page.get_by_role("button", name="Importer le fichier").click()
    expect(page.get_by_role("heading", name=f"Import du fichier « {SAINT_AUBIN} »")).to_be_visible()
    # The progress bar polls the job; when it is done the page reloads with the report.
    expect(page.get_by_role("row", name="Actes créés 17")).to_be_visible(timeout=120_000)
    expect(page.get_by_role("cell", name="VOTE_POUR « vingt et un »", exact=False)).to_be_visible()

    page.get_by_role("link", name="Actes", exact=True).click()
    page.get_by_label("Mots recherchés").fill("brocante")
    page.get_by_label("Arrêté", exact=True).check()
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("status").filter(has_text="2 actes contenant ces mots")).to_be_visible()
    page.get_by_role("link", name="Arrêté portant réglementation temporaire", exact=False).click()

    expect(page.get_by_role("heading", name="Actes similaires")).to_be_visible()
    expect(
        page.get_by_role("link", name="brocante annuelle du 1er mai 2023", exact=False)
    ).to_be_visible()
    page.get_by_role("button", name="Rédiger à partir de ces actes").click()

    expect(page.get_by_role("heading", name="Arrêté municipal")).to_be_visible()
    objet = page.get_by_label("Objet de l'arrêté")
    assert "brocante du 1er mai 2024" in objet.input_value()
    mesures = page.get_by_label("Mesures (quoi, où, quand)")
    assert "Arrêté n° AR-2023-102 du 10 avril 2023" in mesures.input_value()
    expect(page.get_by_role("button", name="Générer le brouillon")).to_be_enabled()
