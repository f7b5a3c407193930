"""In chromium, shared services: the operator creates a collectivité (Val-Nouveau), appoints its admin and
declares a provider key for it; that admin brands it (logo upload, colours) and picks the key
for a provider without ever seeing a variable; Démoville sees nothing of the newcomer."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

pytestmark = [pytest.mark.browser]
SERVER_ENV = {"CIVIA_LOCAL_MODEL_ENABLED": "false"}


def _sign_in(page, base: str, login: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/connexion")
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    if "/charte" in page.url:  # first login: the AI charter must be accepted
        page.get_by_label("J'ai lu la charte et je m'engage à la respecter.").check()
        page.get_by_role("button", name="J'accepte la charte", exact=False).click()
        page.wait_for_load_state()


def _sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()


def test_operator_admin_branding_provider_and_isolation(
    page, civia_server: str, civia_data: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    env = {**os.environ, "CIVIA_DATA_DIR": str(civia_data), "CIVIA_MODE": "demo"}
    env.pop("CIVIA_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "civia.cli", "platform", "operator", "ops", "--password",
         "operateur-mdp-long"], env=env, check=True, capture_output=True,
    )  # fmt: skip
    base = civia_server

    # The operator creates the collectivité, appoints its admin, declares a key for it.
    _sign_in(page, base, "ops", "operateur-mdp-long")
    page.goto(f"{base}/plateforme")
    page.get_by_label("Nom (par exemple « Commune de Bourg-Témoin »)").fill(
        "Commune de Val-Nouveau"
    )
    page.get_by_label("Identifiant court (minuscules, chiffres, tirets)").fill("val-nouveau")
    page.get_by_role("button", name="Créer la collectivité").click()
    expect(page.get_by_role("status")).to_contain_text("Commune de Val-Nouveau » créée")
    page.locator("#ad-val-nouveau").fill("admin-vn")
    page.locator("#adn-val-nouveau").fill("Admin Val")
    page.locator("#adp-val-nouveau").fill("admin-vn-mdp-long")
    page.locator("#ad-val-nouveau").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("admin-vn administre désormais")
    page.get_by_role("link", name="Clés d'accès aux fournisseurs").click()
    page.get_by_label("Identifiant (minuscules, chiffres, tirets)").fill("albert-vn")
    page.get_by_label("Libellé montré aux administrateurs").fill("Albert pour Val-Nouveau")
    page.get_by_label("Variable d'environnement du serveur").fill("ALBERT_VN_KEY")
    page.get_by_label("URL de base autorisées (une par ligne)").fill("https://albert.example/v1")
    page.get_by_label("Commune de Val-Nouveau").check()
    page.get_by_role("button", name="Enregistrer la clé").click()
    expect(page.get_by_role("status")).to_contain_text("Clé « Albert pour Val-Nouveau »")
    _sign_out(page)

    # Its admin brands it, then picks the key for a provider.
    _sign_in(page, base, "admin-vn", "admin-vn-mdp-long")
    page.goto(f"{base}/admin/identite")
    page.get_by_label("Nom affiché sur les documents").fill("Ville de Val-Nouveau")
    page.get_by_label("Signataire (nom et qualité)").fill("Le Maire, Paul Nouveau")
    page.get_by_label("Couleur principale").fill("#FFFF00")  # unreadable on white
    page.get_by_role("button", name="Enregistrer l'identité").click()
    expect(page.get_by_role("alert")).to_contain_text("contraste")
    logo = io.BytesIO()
    Image.new("RGB", (60, 30), (0, 80, 40)).save(logo, format="PNG")
    (tmp_path / "logo.png").write_bytes(logo.getvalue())
    page.get_by_label("Couleur principale").fill("#005028")
    page.get_by_label("Logo (PNG ou JPEG", exact=False).set_input_files(str(tmp_path / "logo.png"))
    page.get_by_role("button", name="Enregistrer l'identité").click()
    expect(page.get_by_role("status")).to_contain_text("Identité de la collectivité enregistrée")
    expect(page.get_by_role("img", name="Logo actuel de la collectivité")).to_be_visible()

    page.goto(f"{base}/admin/fournisseurs")
    form = page.locator("form").filter(has=page.locator("#cred-new-chat"))
    form.get_by_label("Nom").fill("Albert")
    form.get_by_label("URL de base (avec /v1)").fill("https://albert.example/v1")
    form.get_by_label("Clé d'accès").select_option(label="Albert pour Val-Nouveau")
    form.get_by_label("Modèles (un par ligne)").fill("albert-large")
    form.get_by_label("Hébergement").select_option("fr_sovereign")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Fournisseur « Albert » enregistré.")
    assert "ALBERT_VN_KEY" not in page.content()
    _sign_out(page)

    # The other collectivités' admins see nothing of Val-Nouveau: not its key, not its name.
    for login, password in (("admin", "admin-demo-civia"), ("admin-b", "admin-b-demo-civia")):
        _sign_in(page, base, login, password)
        for path in ("/admin/fournisseurs", "/admin/identite", "/actes/partage", "/admin/quotas"):
            page.goto(f"{base}{path}")
            assert "Val-Nouveau" not in page.content(), (login, path)
        page.goto(f"{base}/admin/fournisseurs")
        options = page.locator("#cred-new-chat option").all_inner_texts()
        assert options == ["Aucune (serveur sans clé)"], login
        _sign_out(page)
