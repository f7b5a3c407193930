"""In chromium, shared services end to end: the platform operator creates a collectivité, appoints
its admin, opens a provider key and declares an OpenID provider for it; the admin brands it, adds
a user and picks the provider; an agent signs in through the real OpenID provider's form and
lands in the collectivité with the mapped role; a quota of one request a minute answers 429; the
monthly statement downloads, as CSV and PDF, with the collectivité's call in it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from pypdf import PdfReader

from tests.browser.test_tenants import _sign_in, _sign_out
from tests.servers import llama_server, oidc_provider

pytestmark = [pytest.mark.browser, pytest.mark.oidc, pytest.mark.llama_server]
SECRET_ENV = "CIVIA_SSO_VN_SECRET"
SERVER_ENV = {
    "CIVIA_LOCAL_MODEL_ENABLED": "false",
    "AUTHLIB_INSECURE_TRANSPORT": "1",  # the provider serves plain http on the loopback only
    SECRET_ENV: "secret-of-val-nouveau-connect",
    "ALBERT_VN_KEY": "key-the-llama-server-ignores",
}


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with oidc_provider() as url:
        yield url


@pytest.fixture(scope="module")
def model_server() -> Iterator[str]:
    with llama_server() as (base, _proc):
        yield base


def _operator(civia_data: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "CIVIA_DATA_DIR": str(civia_data), "CIVIA_MODE": "demo"}
    env.pop("CIVIA_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "civia.cli", "platform", "operator", "ops", "--password",
         "operateur-mdp-long"], env=env, check=True, capture_output=True,
    )  # fmt: skip


def _download(page: Any, link: Any) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def test_operator_admin_sso_agent_quota_statement(
    browser: Any,
    civia_server: str,
    civia_data: Path,
    issuer: str,
    model_server: str,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    base = civia_server
    _operator(civia_data)
    page = browser.new_context(locale="fr-FR", accept_downloads=True).new_page()

    # 1. The operator creates the collectivité and its admin, opens a key to it and declares
    # the OpenID provider of its agents.
    _sign_in(page, base, "ops", "operateur-mdp-long")
    page.goto(f"{base}/plateforme")
    page.get_by_label("Nom (par exemple « Commune de Bourg-Témoin »)").fill("Commune de Val-Joli")
    page.get_by_label("Identifiant court (minuscules, chiffres, tirets)").fill("val-joli")
    page.get_by_role("button", name="Créer la collectivité").click()
    expect(page.get_by_role("status")).to_contain_text("Commune de Val-Joli » créée")
    section = page.get_by_role("region", name="Commune de Val-Joli")
    section.get_by_label("Identifiant de l'administrateur").fill("admin-vj")
    section.get_by_label("Nom affiché (nouveau compte)").fill("Claire Admin")
    section.get_by_label("Mot de passe initial (nouveau compte)").fill("admin-vj-mdp-long")
    section.get_by_role("button", name="Nommer administrateur").click()
    expect(page.get_by_role("status")).to_contain_text("admin-vj administre désormais")

    page.get_by_role("link", name="Clés d'accès aux fournisseurs").click()
    page.get_by_label("Identifiant (minuscules, chiffres, tirets)").fill("albert-vj")
    page.get_by_label("Libellé montré aux administrateurs").fill("Albert pour Val-Joli")
    page.get_by_label("Variable d'environnement du serveur").fill("ALBERT_VN_KEY")
    page.get_by_label("URL de base autorisées (une par ligne)").fill(model_server)
    page.get_by_label("Commune de Val-Joli").check()
    page.get_by_role("button", name="Enregistrer la clé").click()
    expect(page.get_by_role("status")).to_contain_text("Clé « Albert pour Val-Joli »")

    page.get_by_role("link", name="Authentification unique").click()
    page.get_by_label("Nom court", exact=False).fill("vj-connect")
    page.get_by_label("Libellé du bouton de connexion").fill("Val-Joli Connect")
    page.get_by_label("Émetteur (https://…)").fill(issuer)
    page.get_by_label("Identifiant client").fill("civia-val-joli")
    page.get_by_label("Variable d'environnement du secret client", exact=False).fill(SECRET_ENV)
    page.get_by_label("Correspondances, une par ligne", exact=False).fill(
        "role=groups\nservice=direction\nlogin=preferred_username\nname=name"
    )
    page.get_by_label("Rôles, un par ligne", exact=False).fill("vj-referents=referent")
    page.get_by_label("Collectivité par défaut", exact=False).select_option(
        label="Commune de Val-Joli"
    )
    page.get_by_role("button", name="Déclarer").click()
    expect(page.get_by_role("status")).to_contain_text("Fournisseur ajouté")
    expect(page.get_by_role("row", name="vj-connect")).to_contain_text(issuer)
    expect(page.get_by_role("row", name="vj-connect")).to_contain_text(
        f"{base}/sso/vj-connect/retour"  # the return address to register at the provider
    )
    _sign_out(page)

    # 2. Its admin brands it, adds a service and a user, picks the key for a provider.
    _sign_in(page, base, "admin-vj", "admin-vj-mdp-long")
    page.get_by_role("link", name="Identité").click()
    page.get_by_label("Nom affiché sur les documents").fill("Ville de Val-Joli")
    page.get_by_label("Adresse postale (en-tête)").fill("1 place de la Mairie, 99000 Val-Joli")
    page.get_by_label("Ligne complémentaire de l'en-tête").fill("Direction générale des services")
    page.get_by_label("Signataire (nom et qualité)").fill("La Maire, Anne Joli")
    page.get_by_label("Couleur principale").fill("#1F4E79")
    logo = io.BytesIO()
    Image.new("RGB", (60, 30), (31, 78, 121)).save(logo, format="PNG")
    (tmp_path / "logo.png").write_bytes(logo.getvalue())
    page.get_by_label("Logo (PNG ou JPEG", exact=False).set_input_files(str(tmp_path / "logo.png"))
    page.get_by_role("button", name="Enregistrer l'identité").click()
    expect(page.get_by_role("status")).to_contain_text("Identité de la collectivité enregistrée")
    expect(page.get_by_role("img", name="Logo actuel de la collectivité")).to_be_visible()

    page.get_by_role("link", name="Services").click()
    page.get_by_label("Nom du service ou de la direction").fill("Urbanisme")
    page.get_by_role("button", name="Créer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Service créé")

    page.get_by_role("link", name="Utilisateurs").click()
    new = page.locator('form[action="/admin/utilisateurs"]')
    new.get_by_label("Identifiant").fill("paul-vj")
    new.get_by_label("Nom affiché").fill("Paul Joli")
    new.get_by_label("Mot de passe (10 caractères minimum)").fill("court")
    new.get_by_label("Service").select_option(label="Urbanisme")
    new.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("alert")).to_contain_text("10 caractères")
    new = page.locator('form[action="/admin/utilisateurs"]')  # nothing typed is lost
    expect(new.get_by_label("Identifiant")).to_have_value("paul-vj")
    expect(new.get_by_label("Nom affiché")).to_have_value("Paul Joli")
    new.get_by_label("Mot de passe (10 caractères minimum)").fill("paul-vj-mdp-long")
    new.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("status")).to_contain_text("Utilisateur créé")
    expect(page.get_by_role("row", name="paul-vj")).to_contain_text("Paul Joli")

    page.get_by_role("link", name="Modèles").click()
    form = page.locator("form").filter(has=page.locator("#cred-new-chat"))
    form.get_by_label("Nom").fill("Albert")
    form.get_by_label("URL de base (avec /v1)").fill(model_server)
    form.get_by_label("Clé d'accès").select_option(label="Albert pour Val-Joli")
    form.get_by_label("Modèles (un par ligne)").fill("qwen-local")
    form.get_by_label("Hébergement").select_option("local")
    form.get_by_label("Par défaut").check()
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").first).to_contain_text("Fournisseur « Albert » enregistré.")
    assert "ALBERT_VN_KEY" not in page.content()
    _sign_out(page)

    # 3. An agent of Val-Joli signs in through the OpenID provider's own form: account created
    # just in time, in Val-Joli, service Urbanisme, role « Référent IA » from the groups claim.
    httpx.put(
        f"{issuer}/users/sub-lea",
        json={
            "preferred_username": "lea.martin",
            "name": "Léa Martin",
            "groups": ["agents", "vj-referents"],
            "direction": "Urbanisme",
        },
    ).raise_for_status()
    page.goto(f"{base}/connexion")
    page.get_by_role("link", name="Se connecter avec Val-Joli Connect").click()
    page.wait_for_url(f"{issuer}/**")
    page.get_by_placeholder("sub").fill("sub-lea")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/charte**")
    page.get_by_label("J'ai lu la charte et je m'engage à la respecter.").check()
    page.get_by_role("button", name="J'accepte la charte", exact=False).click()
    page.wait_for_url(f"{base}/")
    expect(page.locator("header .who")).to_contain_text(
        "Léa Martin · Référent IA · Urbanisme · Commune de Val-Joli"
    )
    expect(page.get_by_role("link", name="Atelier")).to_be_visible()  # a référent's page
    sso_context = page.context
    lea = page

    # 4. The admin sees the new account and gives it a quota of one request a minute.
    admin = browser.new_context(locale="fr-FR", accept_downloads=True).new_page()
    _sign_in(admin, base, "admin-vj", "admin-vj-mdp-long")
    admin.goto(f"{base}/admin/utilisateurs")
    row = admin.get_by_role("row", name="lea.martin")
    expect(row).to_contain_text("Léa Martin")
    expect(row.get_by_label("Rôle")).to_have_value("referent")
    expect(row.get_by_label("Service")).to_have_value(
        row.get_by_label("Service").locator("option", has_text="Urbanisme").get_attribute("value")
    )
    admin.get_by_role("link", name="Quotas").click()
    admin.get_by_label("Service ou utilisateur").select_option(label="Utilisateur lea.martin")
    admin.get_by_label("Requêtes par minute (facultatif)").fill("1")
    admin.get_by_role("button", name="Enregistrer").click()
    expect(admin.get_by_role("status")).to_contain_text("Quota enregistré")
    expect(admin.get_by_role("row", name="Utilisateur lea.martin")).to_contain_text("1")

    # 5. Léa's first question is answered by the provider the admin picked; the second, in
    # the same minute, is refused with the French message and Retry-After.
    lea.get_by_role("link", name="Utiliser Assistant généraliste").click()
    box = lea.get_by_label("Votre message")
    box.fill("Dis bonjour en trois mots.")
    box.press("Enter")
    expect(lea.get_by_text("Réponse terminée.")).to_be_attached(timeout=180_000)
    assert lea.locator(".msg.assistant .body").last.inner_text().strip()
    box.fill("Et au revoir ?")
    with lea.expect_response(lambda r: r.request.method == "POST" and r.status == 429) as info:
        box.press("Enter")
    refused = info.value
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    error = lea.locator("#chat-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Quota personnel atteint (requêtes par minute) : réessayez dans")
    expect(box).to_have_value("Et au revoir ?")  # the refused message stays in the box

    # Signing out of Civia ends the session at the provider too, and comes back to Civia.
    lea.get_by_role("button", name="Se déconnecter").click()
    lea.wait_for_url(f"{issuer}/oauth2/end_session**")
    lea.get_by_role("button", name="End session").click()
    lea.wait_for_url(f"{base}/connexion**")
    lea.goto(f"{base}/")
    assert lea.url.startswith(f"{base}/connexion")
    sso_context.close()

    # 6. The monthly statement downloads from the admin's page and the operator's, with the
    # call of Urbanisme in it.
    month = datetime.now(UTC).strftime("%Y-%m")
    admin.goto(f"{base}/admin/quotas")
    data = _download(admin, admin.locator(f'a[href="/admin/quotas/releve/{month}.csv"]'))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    by_service = {r[0]: r for r in rows[1:]}
    assert by_service["Urbanisme"][1] == "1" and by_service["Total"][1] == "1", rows
    assert int(by_service["Urbanisme"][3]) > 0  # completion tokens of the real answer
    admin.context.close()

    _sign_in(page := browser.new_context(locale="fr-FR", accept_downloads=True).new_page(),
             base, "ops", "operateur-mdp-long")  # fmt: skip
    page.goto(f"{base}/plateforme")
    section = page.get_by_role("region", name="Commune de Val-Joli")
    link = section.locator(f'a[href$="/releve/{month}.pdf"]')
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(_download(page, link))).pages)
    assert "Ville de Val-Joli" in text and "Urbanisme" in text, text
    assert "La Maire, Anne Joli" in text or "Direction générale des services" in text, text
    page.context.close()
