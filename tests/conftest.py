"""Shared fixtures: an isolated database per test (SQLite, and PostgreSQL for `db_url` users),
personas in two services and two tenants, and an app bound to them."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from civia.accounts.models import Role, Service, Tenant, User
from civia.app import create_app
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.plugins import loader
from civia.plugins.registries import Governance
from civia.plugins.tables import metadata
from civia.providers.model_files import MODEL_ID
from civia.providers.models import HostingClass, Provider
from civia.settings import Settings

PG_URL = os.environ.get(
    "CIVIA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "persona-password-1"
metadata()  # every plugin's tables on Base.metadata, for the fixtures that create a schema


# Tests that keep the 2 cores busy (the local model, Whisper, chromium, several civia
# processes) run one after another on one xdist worker (`-n 2 --dist loadgroup`, README's test
# command) while the other worker takes the rest: two of them at once would only fight for the
# cores (llama.cpp's threads degrade badly when oversubscribed).
HEAVY = ("model", "llama_server", "browser", "nginx")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(name) for name in HEAVY):
            item.add_marker(pytest.mark.xdist_group("heavy"))


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Files made at collection (a PDF carries a random ID) would name a test differently in
    each xdist worker, which then refuses to run: bytes are named by their argument."""
    return argname if isinstance(val, bytes) else None


@pytest.fixture(scope="session")
def password_hash() -> str:
    """The personas' password, hashed with argon2id at its lowest cost. The app verifies a hash
    with the parameters stored in it, so a login costs 0.1 ms instead of 100-250 ms (the suite
    logs in thousands of times); the hashes the app makes keep RFC 9106's parameters."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


def _postgres_available() -> bool:
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_ok() -> bool:
    ok = _postgres_available()
    if not ok and os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI but {PG_URL} is unreachable")
    return ok


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty schema: a temp SQLite file, or a throw-away PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'civia.db'}"
        return
    if not request.getfixturevalue("postgres_ok"):
        pytest.skip("PostgreSQL not reachable")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def governance_hooks(data_dir: Path) -> Governance:
    """Every area's retention purgers, data-rights sections and text stores, for `data_dir`."""
    return loader.load(Settings(data_dir=data_dir, database_url="sqlite://")).governance


@pytest.fixture
def hooks(tmp_path: Path) -> Governance:
    return governance_hooks(tmp_path)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'civia.db'}"


@dataclass
class Personas:
    """agent/referent/comite/dpo/pilotage/admin in Démoville's service A; bob (agent) in service B;
    carol (agent) and olivia (admin) in another collectivité."""

    tenant: Tenant
    other_tenant: Tenant
    service_a: Service
    service_b: Service
    users: dict[str, User]

    def __getitem__(self, login: str) -> User:
        return self.users[login]


def make_personas(db: Session, password_hash: str, *, accept_charter: bool = True) -> Personas:
    tenant = Tenant(slug="demoville", name="Commune de Démoville")
    other = Tenant(slug="autreville", name="Commune d'Autreville")
    db.add_all([tenant, other])
    db.flush()
    a = Service(tenant_id=tenant.id, name="Population")
    b = Service(tenant_id=tenant.id, name="Urbanisme")
    c = Service(tenant_id=other.id, name="Accueil")
    db.add_all([a, b, c])
    db.flush()
    specs = [(r.value, r.value, tenant, a) for r in Role]
    specs += [
        ("bob", "agent", tenant, b),
        ("carol", "agent", other, c),
        ("olivia", "admin", other, c),
    ]
    users = {}
    for login, role, t, s in specs:
        users[login] = User(
            login=login,
            display_name=login.title(),
            role=role,
            tenant_id=t.id,
            service_id=s.id,
            password_hash=password_hash,
        )
    db.add_all(users.values())
    db.flush()
    from civia.governance import charter

    for user in users.values() if accept_charter else ():
        charter.accept(db, user, version=1)
    for t in (tenant, other):
        db.add(
            Provider(
                tenant_id=t.id,
                name="Modèle local",
                kind="local_llama",
                hosting_class=HostingClass.LOCAL.value,
                models=[MODEL_ID],
                is_default=True,
            )
        )
    db.flush()
    return Personas(tenant, other, a, b, users)


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=sqlite_url,
        max_tokens=8,
        login_rate_limit="5/minute",
        retention_sweep_hours=0,
        model_seed=1234,
        jobs_in_process=False,  # tests run jobs with Worker.run_once, or start a worker
    )


def build_app(settings: Settings, password_hash: str) -> tuple[TestClient, Personas]:
    engine = make_engine(settings.db_url)
    Base.metadata.create_all(engine)
    with session_scope(make_sessionmaker(engine)) as db:
        personas = make_personas(db, password_hash)
    engine.dispose()
    return TestClient(create_app(settings)), personas


@pytest.fixture
def app_and_personas(
    settings: Settings, password_hash: str
) -> Iterator[tuple[TestClient, Personas]]:
    client, personas = build_app(settings, password_hash)
    with client:
        yield client, personas
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def client(app_and_personas: tuple[TestClient, Personas]) -> TestClient:
    return app_and_personas[0]


@pytest.fixture
def personas(app_and_personas: tuple[TestClient, Personas]) -> Personas:
    return app_and_personas[1]


def login(client: TestClient, user: str, password: str = PASSWORD) -> str:
    """Log in through the real form; return the session's CSRF token."""
    page = client.get("/connexion")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    resp = client.post(
        "/connexion",
        data={"login": user, "password": password, "csrf_token": token.group(1), "suivant": "/"},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    home = client.get("/")
    csrf = re.search(r'data-csrf="([^"]+)"', home.text)
    assert csrf
    return csrf.group(1)


def page_text(resp) -> str:
    """The response's HTML with entities decoded, for matching French messages."""
    import html

    return html.unescape(resp.text)


def login_as(client: TestClient, user: str) -> dict[str, str]:
    """Headers carrying the CSRF token for a logged-in user."""
    return {"X-CSRF-Token": login(client, user)}
