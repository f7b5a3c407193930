"""In chromium: log in, send a message, watch the real local model's answer stream in."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.model]


def login(page, base: str, user: str = "agent") -> None:
    page.goto(f"{base}/connexion")
    page.get_by_label("Identifiant").fill(user)
    page.get_by_label("Mot de passe").fill(f"{user}-demo-civia")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    if "/charte" in page.url:  # first login: the AI charter must be accepted
        page.get_by_label("J'ai lu la charte et je m'engage à la respecter.").check()
        page.get_by_role("button", name="J'accepte la charte", exact=False).click()
    page.wait_for_url(f"{base}/")


def test_login_chat_stream_rename(page, civia_server: str) -> None:
    from playwright.sync_api import expect

    login(page, civia_server)
    expect(page.get_by_role("heading", name="Assistants disponibles")).to_be_visible()
    expect(page.get_by_text("il invente des faits")).to_be_visible()
    page.get_by_role("link", name="Utiliser Assistant généraliste").click()

    box = page.get_by_label("Votre message")
    box.fill("Reformule poliment : nous ne pouvons pas venir demain.")
    # Record how the answer grows: streaming means several distinct partial texts.
    page.evaluate("""() => { window.__seen = new Set();
      new MutationObserver(() => { const b = document.querySelectorAll('.msg.assistant .body');
        if (b.length) window.__seen.add(b[b.length-1].textContent); })
      .observe(document.getElementById('messages'), {subtree: true, childList: true, characterData: true}); }""")
    box.press("Enter")
    expect(page.get_by_text("Réponse terminée.")).to_be_attached(timeout=120_000)
    answer = page.locator(".msg.assistant .body").last
    assert answer.inner_text().strip()
    assert page.evaluate("() => window.__seen.size") >= 3  # token-by-token, not one block
    assert re.search(r"/conversations/\d+$", page.url)
    expect(page.locator("#conv-list")).to_contain_text("Reformule poliment")

    page.get_by_text("Gérer la conversation").click()
    page.get_by_label("Nouveau titre").fill("Réponse à M. Martin")
    page.get_by_role("button", name="Renommer").click()
    expect(page.get_by_role("heading", name="Réponse à M. Martin")).to_be_visible()


def test_wrong_password_message(page, civia_server: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{civia_server}/connexion")
    page.get_by_label("Identifiant").fill("agent")
    page.get_by_label("Mot de passe").fill("mauvais")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect.")
