"""The platform operator: lifecycle of collectivités and their admins, figures without content;
a suspended collectivité's users cannot log in; an admin sees no other collectivité."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts import api_tokens
from civia.accounts.models import Tenant, User
from civia.chat.models import Conversation
from civia.db.engine import session_scope
from civia.tenants import platform
from civia.usage.models import UsageEvent
from tests.conftest import PASSWORD, Personas, login

OPERATOR_PASSWORD = "operator-password-1"


def _operator(client: TestClient) -> None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        platform.create_operator(db, login="ops", password=OPERATOR_PASSWORD)


def _login_form(client: TestClient, user: str, password: str) -> object:
    page = client.get("/connexion")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    return client.post(
        "/connexion",
        data={"login": user, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )


def test_operator_sees_figures_not_content(client: TestClient, personas: Personas) -> None:
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    with session_scope(sessions) as db:
        conv = Conversation(
            tenant_id=personas.other_tenant.id,
            user_id=personas["carol"].id,
            title="Budget confidentiel de la crèche",
        )
        db.add(conv)
        db.add(
            UsageEvent(
                request_id="r1",
                tenant_id=personas.other_tenant.id,
                provider_name="p",
                model="m",
                source="web",
                prompt_tokens=70,
                completion_tokens=30,
                outcome="ok",
            )
        )
        db.flush()
        conv_id = conv.id
    _operator(client)
    _login_form(client, "ops", OPERATOR_PASSWORD)
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/plateforme"
    page = client.get("/plateforme")
    assert page.status_code == 200
    assert "Autreville" in page.text and "Commune de Démoville" in page.text
    assert re.search(r"<td>1</td>\s*<td>100</td>", page.text)  # one call, 100 tokens
    assert "Plateforme mutualisée" not in page.text.split("<table")[1]  # not a collectivité
    assert "Budget confidentiel" not in page.text
    for path in (
        f"/conversations/{conv_id}",
        "/conversations/liste",
        "/documents",
        "/reunions",
        "/admin/utilisateurs",
        "/gouvernance/journal",
    ):
        resp = client.get(path, follow_redirects=False)
        assert resp.status_code == 403, path
        assert "Budget confidentiel" not in resp.text
        assert "opérateurs de la plateforme" in resp.text
    with session_scope(sessions) as db:
        ops = db.scalar(select(User).where(User.login == "ops"))
        assert ops is not None
        token, _ = api_tokens.create(db, user=ops, name="t")
    api = client.get("/v1/models", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401


def test_operator_creates_appoints_suspends(client: TestClient, personas: Personas) -> None:
    _operator(client)
    _login_form(client, "ops", OPERATOR_PASSWORD)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/plateforme").text)
    assert csrf
    token = csrf.group(1)
    bad = client.post(
        "/plateforme/collectivites", data={"slug": "Bad Slug", "name": "X Y", "csrf_token": token}
    )
    assert bad.status_code == 422 and "Identifiant court" in bad.text
    made = client.post(
        "/plateforme/collectivites",
        data={"slug": "bourg", "name": "Commune de Bourg", "csrf_token": token},
    )
    assert made.status_code == 200 and "Commune de Bourg" in made.text
    appointed = client.post(
        "/plateforme/collectivites/bourg/administrateur",
        data={"login": "chef-bourg", "password": PASSWORD, "csrf_token": token},
    )
    assert "chef-bourg administre" in appointed.text
    taken = client.post(  # a login of another collectivité is never moved across
        "/plateforme/collectivites/bourg/administrateur",
        data={"login": "carol", "csrf_token": token},
    )
    assert taken.status_code == 422
    sirets = client.post(
        "/plateforme/collectivites/bourg/siret", data={"sirets": "123", "csrf_token": token}
    )
    assert sirets.status_code == 422 and "SIRET invalide" in sirets.text

    quota = client.post(
        "/plateforme/collectivites/bourg/quota",
        data={"requests_per_minute": "40", "tokens_per_day": "", "csrf_token": token},
    )
    assert "Quota de « Commune de Bourg » enregistré" in quota.text
    assert 'name="requests_per_minute" type="number" min="1" value="40"' in quota.text
    off = client.post(
        "/plateforme/collectivites/bourg/mots-de-passe",
        data={"enabled": "non", "csrf_token": token},
    )
    assert "désactivés" in off.text
    assert _login_form(TestClient(client.app), "chef-bourg", PASSWORD).status_code == 403  # type: ignore[attr-defined]
    client.post(
        "/plateforme/collectivites/bourg/mots-de-passe",
        data={"enabled": "oui", "csrf_token": token},
    )
    admin = TestClient(client.app)
    login(admin, "chef-bourg")
    assert admin.get("/admin/utilisateurs").status_code == 200
    assert admin.get("/plateforme").status_code == 403

    gone = client.post(
        "/plateforme/collectivites/bourg/statut", data={"status": "suspended", "csrf_token": token}
    )
    assert "suspendue" in gone.text
    assert admin.get("/", follow_redirects=False).status_code == 303  # session closed
    refused = _login_form(TestClient(client.app), "chef-bourg", PASSWORD)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert "collectivité est suspendue" in refused.text  # type: ignore[attr-defined]
    wrong = _login_form(TestClient(client.app), "chef-bourg", "wrong-password-1")
    assert wrong.status_code == 401  # type: ignore[attr-defined]  # nothing told to a guesser
    client.post(
        "/plateforme/collectivites/bourg/statut", data={"status": "active", "csrf_token": token}
    )
    assert _login_form(TestClient(client.app), "chef-bourg", PASSWORD).status_code == 303  # type: ignore[attr-defined]


def test_admin_sees_no_other_collectivite(client: TestClient, personas: Personas) -> None:
    login(client, "admin")
    assert client.get("/plateforme").status_code == 403
    for path in (
        "/",
        "/admin/utilisateurs",
        "/admin/services",
        "/admin/fournisseurs",
        "/gouvernance",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "Autreville" not in page.text, path


def test_cli_lifecycle(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from civia.cli import main
    from civia.settings import get_settings

    monkeypatch.setenv("CIVIA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CIVIA_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    cli = CliRunner()
    try:

        def run(*args: str) -> str:
            result = cli.invoke(main, list(args), catch_exceptions=False)
            assert result.exit_code == 0, result.output
            return result.output

        run("db", "upgrade")
        run("platform", "create", "val-vert", "Commune du Val-Vert")
        run("platform", "admin", "val-vert", "admin-vv", "--password", PASSWORD)
        run("platform", "sirets", "val-vert", "21990002300019")
        run("platform", "suspend", "val-vert")
        out = run("platform", "list")
        assert "val-vert\tsuspended\tCommune du Val-Vert\tusers=1" in out
        bad = cli.invoke(main, ["platform", "create", "val-vert", "Encore"])
        assert bad.exit_code == 1 and "déjà pris" in bad.output
        from civia.db.engine import make_engine, make_sessionmaker

        engine = make_engine(get_settings().db_url)
        with session_scope(make_sessionmaker(engine)) as db:
            tenant = db.scalar(select(Tenant).where(Tenant.slug == "val-vert"))
            assert tenant is not None and tenant.sirets == ["21990002300019"]
        engine.dispose()
    finally:
        get_settings.cache_clear()


def test_operator_declares_sso_providers(client: TestClient, personas: Personas) -> None:
    _operator(client)
    _login_form(client, "ops", OPERATOR_PASSWORD)
    page = client.get("/plateforme/sso")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    form = {
        "name": "proconnect",
        "label": "ProConnect",
        "client_id": "civia",
        "csrf_token": token.group(1),
        "claims": "siret=siret\nlogin=email",
        "roles": "",
        "client_secret_env": "PROCONNECT_SECRET",
    }
    bad = client.post("/plateforme/sso", data={**form, "issuer": "http://idp.example"})
    assert bad.status_code == 422 and "https://" in bad.text
    wrong = client.post(
        "/plateforme/sso", data={**form, "issuer": "https://idp.example", "claims": "couleur=x"}
    )
    assert wrong.status_code == 422 and "inconnus : couleur" in wrong.text
    assert 'value="PROCONNECT_SECRET"' in wrong.text  # the form comes back as typed
    assert ">siret=siret\nlogin=email\ncouleur=x</textarea>" not in wrong.text
    assert ">couleur=x</textarea>" in wrong.text
    role = client.post(
        "/plateforme/sso",
        data={**form, "issuer": "https://idp.example", "roles": "agents=Référent IA",
              "tenant": "autreville"},
    )  # fmt: skip
    text = html.unescape(role.text)
    assert role.status_code == 422 and "Rôle inconnu : « Référent IA »" in text
    assert "referent (Référent IA)" in text  # the accepted names are given
    assert '<option value="autreville" selected>' in role.text
    for lookalike in ("http://127.0.0.1.idp.example", "http://localhost.idp.example/x"):
        refused = client.post("/plateforme/sso", data={**form, "issuer": lookalike})
        assert refused.status_code == 422 and "https://" in refused.text, lookalike
    made = client.post("/plateforme/sso", data={**form, "issuer": "https://idp.example"})
    assert made.status_code == 200 and "siret = siret" in made.text
    # What the operator must register at the provider: Civia's return address.
    assert "<code>http://testserver/sso/proconnect/retour</code>" in made.text
    assert "Se connecter avec ProConnect" in TestClient(client.app).get("/connexion").text
    gone = client.post("/plateforme/sso/proconnect/retirer", data={"csrf_token": token.group(1)})
    assert "Fournisseur retiré" in gone.text
    admin = TestClient(client.app)
    login(admin, "admin")
    assert admin.get("/plateforme/sso").status_code == 403


def test_demo_second_collectivite_and_operator(client: TestClient, personas: Personas) -> None:
    from civia.tenants import demo

    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        demo.load(db)
        demo.load(db)  # idempotent
        from civia.governance import charter

        admin_b = db.scalar(select(User).where(User.login == "admin-b"))
        assert admin_b is not None
        charter.accept(db, admin_b, version=1)
    assert _login_form(client, "operateur", "operateur-demo-civia").status_code == 303  # type: ignore[attr-defined]
    assert "Commune de Bourg-Témoin" in client.get("/plateforme").text
    admin = TestClient(client.app)
    assert _login_form(admin, "admin-b", "admin-b-demo-civia").status_code == 303  # type: ignore[attr-defined]
    users = admin.get("/admin/utilisateurs", follow_redirects=True)
    assert "agent-b" in users.text
    assert "Démoville" not in users.text and "bob" not in users.text


def test_refused_forms_keep_what_was_typed(client: TestClient, personas: Personas) -> None:
    _operator(client)
    _login_form(client, "ops", OPERATOR_PASSWORD)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/plateforme").text)
    assert csrf
    token = csrf.group(1)
    bad = client.post(
        "/plateforme/collectivites",
        data={"slug": "Val Joli", "name": "Commune de Val-Joli", "csrf_token": token},
    )
    assert bad.status_code == 422 and "Identifiant court" in bad.text
    assert 'value="Commune de Val-Joli"' in bad.text and 'value="Val Joli"' in bad.text

    short = client.post(
        "/plateforme/collectivites/autreville/administrateur",
        data={"login": "chef-autre", "display_name": "Chef Autre", "password": "court",
              "csrf_token": token},
    )  # fmt: skip
    assert short.status_code == 422 and "10 caractères" in short.text
    section = short.text.split('id="t-autreville"')[1]
    assert 'value="chef-autre"' in section and 'value="Chef Autre"' in section
    assert 'value="court"' not in short.text  # never the password
    other = short.text.split('id="t-demoville"')[1].split("</section>")[0]
    assert 'value="chef-autre"' not in other  # only in the form it was typed in
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        assert db.scalar(select(User).where(User.login == "chef-autre")) is None
