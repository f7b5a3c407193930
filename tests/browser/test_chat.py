"""In chromium: log in, send a message, watch the real local model's answer stream in."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.model]
# The second user's place in line shows only while the first answer streams: at the suite's
# 24 tokens a quiet machine finished that answer (about 1 s) before the second question
# arrived, and nobody waited. 96 tokens keep the first answer going for a few seconds.
SERVER_ENV = {"CIVIA_MAX_TOKENS": "96"}


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


def test_second_user_waits_in_line_and_sees_it(page, browser, civia_server: str) -> None:
    """Two users ask at once: the second answer says « En file d'attente … » (a polite status)
    while the model serves the first, then the notice gives way to the streamed answer."""
    from playwright.sync_api import expect

    other = browser.new_context(locale="fr-FR").new_page()
    try:
        for p, user in ((page, "agent"), (other, "referent")):
            login(p, civia_server, user)
            p.get_by_role("link", name="Utiliser Assistant généraliste").click()
            p.get_by_label("Votre message").fill("Écris trois phrases sur la mairie.")
        other.evaluate("""() => { window.__queued = [];
          new MutationObserver(() => { const q = document.querySelector('.msg.assistant .queued');
            if (q && q.getAttribute('role') === 'status') window.__queued.push(q.textContent); })
          .observe(document.getElementById('messages'), {subtree: true, childList: true, characterData: true}); }""")
        page.get_by_label("Votre message").press("Enter")
        expect(page.locator("#stop")).to_be_visible()
        other.get_by_label("Votre message").press("Enter")
        for p in (page, other):
            expect(p.get_by_text("Réponse terminée.")).to_be_attached(timeout=180_000)
        assert "En file d'attente : 1 demande avant la vôtre" in other.evaluate(
            "() => window.__queued"
        )
        expect(other.locator(".msg.assistant .queued")).to_have_count(0)  # gone once it answers
        assert other.locator(".msg.assistant .body").last.inner_text().strip()
    finally:
        other.context.close()
