"""In chromium, the admin's journey: a model provider typed in, tested against a real
OpenAI-compatible server (first with a wrong address, then the right one), saved, and tested
again from its own form."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.test_governance import signed_in
from tests.servers import free_port, llama_server

pytestmark = [pytest.mark.browser, pytest.mark.llama_server]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with llama_server() as (base, _proc):
        yield base


def test_admin_adds_and_tests_a_provider(browser: Any, civia_server: str, server: str) -> None:
    from playwright.sync_api import expect

    with signed_in(browser, civia_server, "admin") as admin:
        admin.get_by_role("link", name="Modèles").click()
        form = admin.locator("form", has=admin.locator("#name-new-chat"))
        form.get_by_label("Nom").fill("Serveur llama.cpp du SIG")
        form.get_by_label("Type").select_option("openai_compat")
        form.get_by_label("URL de base (avec /v1)").fill(f"http://127.0.0.1:{free_port()}/v1")
        form.get_by_label("Modèles (un par ligne)").fill("qwen-local")
        form.get_by_label("Hébergement").select_option("local")
        form.get_by_role("button", name="Tester la connexion").click()
        result = admin.locator("#test-new-chat")
        expect(result).to_contain_text("Échec du test de connexion")
        expect(result).to_contain_text("Connexion impossible")

        form = admin.locator("form", has=admin.locator("#name-new-chat"))  # as typed
        expect(form.get_by_label("Nom")).to_have_value("Serveur llama.cpp du SIG")
        form.get_by_label("URL de base (avec /v1)").fill(server)
        form.get_by_role("button", name="Tester la connexion").click()
        result = admin.locator("#test-new-chat")
        expect(result).to_contain_text("Connexion réussie en")
        expect(result).to_contain_text("Modèles servis : qwen-local")

        form = admin.locator("form", has=admin.locator("#name-new-chat"))
        form.get_by_role("button", name="Enregistrer").click()
        expect(admin.get_by_role("status").first).to_contain_text(
            "Fournisseur « Serveur llama.cpp du SIG » enregistré."
        )
        section = admin.locator("section.card", has_text="Serveur llama.cpp du SIG")
        section.get_by_role("button", name="Tester la connexion").click()
        section = admin.locator("section.card", has_text="Serveur llama.cpp du SIG")
        expect(section.get_by_role("status")).to_contain_text("Connexion réussie en")
