"""Single sign-on against a real OpenID provider on 127.0.0.1 (oidc-provider-mock): login, JIT
accounts, role/service/tenant mapping, SIRET, replayed state, wrong issuer or nonce, logout."""

from __future__ import annotations

import base64
import html
import json
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts.models import Tenant, User
from civia.db.engine import session_scope
from civia.tenants import oidc, sso
from civia.tenants.models import SsoIdentity, SsoProvider
from civia.tenants.oidc import SsoError
from tests.conftest import Personas
from tests.servers import oidc_provider

pytestmark = pytest.mark.oidc


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    """A real OpenID provider serving on 127.0.0.1 for the module (about 50 ms to start)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on the loopback only
    mp.setenv("CIVIA_SSO_TEST_SECRET", "client-secret-of-the-test")
    with oidc_provider() as url:
        yield url
    mp.undo()


def _user_at_provider(issuer: str, sub: str, claims: dict[str, object]) -> None:
    httpx.put(f"{issuer}/users/{sub}", json=claims).raise_for_status()


def _provider(client: TestClient, issuer: str, name: str, **kwargs: object) -> None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        tenant = kwargs.pop("tenant_slug", None)
        found = db.scalar(select(Tenant).where(Tenant.slug == tenant)) if tenant else None
        sso.add_provider(
            db,
            name=name,
            label=name.title(),
            issuer=kwargs.pop("iss", issuer),  # type: ignore[arg-type]
            client_id="civia",
            client_secret_env="CIVIA_SSO_TEST_SECRET",
            tenant=found,
            **kwargs,
        )  # type: ignore[arg-type]


def _sign_in(client: TestClient, name: str, sub: str) -> tuple[httpx.Response, str]:
    """Start at Civia, consent at the provider as `sub`, come back; the callback URL too."""
    leave = client.get(f"/sso/{name}/connexion", follow_redirects=False)
    assert leave.status_code == 303, leave.text
    authorize = leave.headers["location"]
    query = parse_qs(urlparse(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["state"][0]
    consent = httpx.post(authorize, data={"sub": sub})
    assert consent.status_code == 302, consent.text
    callback = consent.headers["location"]
    assert callback.startswith("http://testserver/sso/")
    return client.get(callback, follow_redirects=False), callback  # type: ignore[return-value]


def test_login_jit_mapping_replay_logout(
    client: TestClient, personas: Personas, issuer: str
) -> None:
    _provider(
        client,
        issuer,
        "keycloak",
        claims={"role": "realm_access.roles", "tenant": "org.slug", "service": "org.service"},
        roles={"civia-admins": "admin", "civia-dpo": "dpo"},
    )
    _user_at_provider(
        issuer,
        "kc-1",
        {
            "preferred_username": "jean.dupont",
            "email": "jean@autreville.example",
            "name": "Jean Dupont",
            "realm_access": {"roles": ["staff", "civia-admins"]},
            "org": {"slug": "autreville", "service": "Accueil"},
        },
    )
    login_page = client.get("/connexion")
    assert "Se connecter avec Keycloak" in login_page.text

    back, callback = _sign_in(client, "keycloak", "kc-1")
    assert back.status_code == 303 and back.headers["location"] == "/"
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.login == "jean.dupont"))
        assert user is not None
        assert (user.tenant_id, user.role, user.email) == (
            personas.other_tenant.id,
            "admin",
            "jean@autreville.example",
        )
        assert user.service is not None and user.service.name == "Accueil"
        assert db.scalar(select(SsoIdentity).where(SsoIdentity.subject == "kc-1"))
    home = client.get("/", follow_redirects=False)  # the session is open (charter next)
    assert home.status_code == 303 and home.headers["location"].startswith("/charte")

    # The same answer replayed, even with the browser's state cookie: the state is spent.
    state = parse_qs(urlparse(callback).query)["state"][0]
    replay = TestClient(client.app)
    again = replay.get(
        callback, headers={"Cookie": f"civia_sso_state={state}"}, follow_redirects=False
    )
    assert again.status_code == 400 and "déjà été utilisée" in again.text
    stranger = TestClient(client.app).get(callback, follow_redirects=False)  # no state cookie
    assert stranger.status_code == 400

    # Second login: same account (no duplicate), role follows the provider.
    _user_at_provider(
        issuer,
        "kc-1",
        {
            "preferred_username": "jean.dupont",
            "realm_access": {"roles": ["civia-dpo"]},
            "org": {"slug": "autreville"},
        },
    )
    second = TestClient(client.app)
    assert _sign_in(second, "keycloak", "kc-1")[0].status_code == 303
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        users = db.scalars(select(User).where(User.login.like("jean.dupont%"))).all()
        assert [(u.login, u.role) for u in users] == [("jean.dupont", "dpo")]

    page = client.get("/charte")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    out = client.post("/deconnexion", data={"csrf_token": csrf}, follow_redirects=False)
    # A page moving on to the provider, not a redirect: the browser applies the sign-out
    # form's `form-action 'self'` to redirects, so it would block one to the provider.
    assert out.status_code == 200 and "déconnecté de Civia" in out.text
    assert "form-action 'self'" in out.headers["content-security-policy"]
    target = html.unescape(out.text.split('<a href="')[1].split('"')[0])
    assert f'content="0; url={target}"'.replace("&", "&amp;") in out.text
    assert target.startswith(f"{issuer}/oauth2/end_session?")
    assert parse_qs(urlparse(target).query)["id_token_hint"][0].count(".") == 2
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/connexion")


def test_siret_maps_tenant_and_unknown_is_refused(
    client: TestClient, personas: Personas, issuer: str
) -> None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        db.get(Tenant, personas.tenant.id).sirets = ["21990001200015"]  # type: ignore[union-attr]
    _provider(client, issuer, "proconnect", claims={"siret": "siret", "login": "email"})
    _user_at_provider(
        issuer, "pc-1", {"email": "marie@demoville.example", "siret": "21990001200015"}
    )
    assert _sign_in(client, "proconnect", "pc-1")[0].status_code == 303
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        marie = db.scalar(select(User).where(User.login == "marie"))
        assert marie is not None and marie.tenant_id == personas.tenant.id
        assert marie.role == "agent"

    _user_at_provider(issuer, "pc-2", {"email": "x@ailleurs.example", "siret": "11111111111111"})
    refused, _ = _sign_in(TestClient(client.app), "proconnect", "pc-2")
    assert refused.status_code == 403
    assert "SIRET 11111111111111" in refused.text and "aucune collectivité" in refused.text
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        assert db.scalar(select(User).where(User.login == "x")) is None


def test_wrong_issuer_nonce_and_expired_token_refused(
    client: TestClient, personas: Personas, issuer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Metadata naming another issuer than the declared one (mix-up): refused before leaving.
    _provider(client, issuer, "melange", iss=issuer + "/", tenant_slug="demoville")
    mixed = client.get("/sso/melange/connexion", follow_redirects=False)
    assert mixed.status_code == 502 and "invalide" in mixed.text

    _provider(client, issuer, "kc", tenant_slug="demoville")
    _user_at_provider(issuer, "kc-9", {"preferred_username": "zoe"})
    assert _sign_in(client, "kc", "kc-9")[0].status_code == 303
    raw = client.cookies["civia_sso_hint"]
    payload = json.loads(base64.urlsafe_b64decode(raw.split(".")[1] + "=="))
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        provider = sso.get_provider(db, "kc")
        assert provider is not None
        meta = oidc.discover(provider)
        assert oidc.verify_id_token(provider, meta, raw, payload["nonce"])["sub"] == "kc-9"
        with pytest.raises(SsoError):
            oidc.verify_id_token(provider, meta, raw, "another-nonce")
        later = time.time() + 2 * 3600  # the provider's tokens live one hour
        with monkeypatch.context() as m:
            m.setattr(time, "time", lambda: later)
            with pytest.raises(SsoError):
                oidc.verify_id_token(provider, meta, raw, payload["nonce"])
        provider.issuer = "https://idp.ailleurs.example"
        with pytest.raises(SsoError):
            oidc.verify_id_token(provider, meta, raw, payload["nonce"])
        db.rollback()


def test_passwords_off_leaves_sso_only(client: TestClient, personas: Personas) -> None:
    from tests.conftest import PASSWORD

    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        db.get(Tenant, personas.tenant.id).local_passwords = False  # type: ignore[union-attr]
    page = client.get("/connexion")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    resp = client.post(
        "/connexion",
        data={"login": "agent", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert resp.status_code == 403 and "authentification unique" in resp.text
    other = client.post(
        "/connexion",
        data={"login": "carol", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert other.status_code == 303


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("javascript:alert(document.cookie)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("http://idp.example.fr/logout", None),  # plain http off this machine
        (["https://idp.example.fr/logout"], None),
        ("https://idp.example.fr/logout", "https://idp.example.fr/logout?id_token_hint="),
        (
            "https://idp.example.fr/logout?ui=fr",
            "https://idp.example.fr/logout?ui=fr&id_token_hint=",
        ),
        ("https://idp.example.fr/logout#fin", "https://idp.example.fr/logout?id_token_hint="),
    ],
)
def test_logout_goes_only_to_a_web_address_of_the_provider(
    monkeypatch: pytest.MonkeyPatch, endpoint: object, expected: str | None
) -> None:
    """The logout page sends the browser to the metadata's `end_session_endpoint`: a provider
    (or whoever answers for it) must not be able to run script in Civia's origin through it."""
    provider = SsoProvider(name="idp", issuer="https://idp.example.fr", client_id="civia")
    monkeypatch.setattr(oidc, "discover", lambda _p: {"end_session_endpoint": endpoint})
    url = oidc.end_session_url(provider, "hint", "https://civia.example.fr/connexion")
    if expected is None:
        assert url is None
    else:
        assert url is not None and url.startswith(expected)
        assert url.endswith("#fin") == str(endpoint).endswith("#fin")  # the fragment stays last
