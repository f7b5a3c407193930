"""Governance fixtures: a database with the personas on SQLite and PostgreSQL (`people`, `db`),
and the app with the governance routes installed on top of `create_app` (`client`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

import civia.governance.models  # noqa: F401  (registers the governance tables on Base.metadata)
from civia.accounts.models import User
from civia.accounts.sessions import open_session
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.governance import charter
from civia.settings import Settings
from civia.web.deps import SESSION_COOKIE
from tests.conftest import Personas, build_app, make_personas


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def people(factory: sessionmaker[Session], password_hash: str) -> Personas:
    with session_scope(factory) as db:
        return make_personas(db, password_hash, accept_charter=False)


@pytest.fixture
def db(factory: sessionmaker[Session], people: Personas) -> Iterator[Session]:
    session = factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def user(db: Session, login: str) -> User:
    found = db.scalar(select(User).where(User.login == login))
    assert found is not None
    return found


def accept_all(factory: sessionmaker[Session]) -> None:
    with session_scope(factory) as db:
        for u in db.scalars(select(User)):
            charter.accept(db, u, version=charter.current(db, u.tenant_id).version)


def _app(settings: Settings, password_hash: str) -> Iterator[tuple[TestClient, Personas]]:
    client, personas = build_app(settings, password_hash)
    accept_all(client.app.state.sessions)  # type: ignore[attr-defined]
    with client:
        yield client, personas
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def app_and_personas(
    settings: Settings, password_hash: str
) -> Iterator[tuple[TestClient, Personas]]:
    yield from _app(settings, password_hash)


@pytest.fixture
def any_db_client(
    db_url: str, tmp_path, password_hash: str
) -> Iterator[tuple[TestClient, Personas]]:
    """The app on SQLite and on PostgreSQL, for end-to-end flows."""
    settings = Settings(data_dir=tmp_path, database_url=db_url, max_tokens=8)
    yield from _app(settings, password_hash)


def sign_in(client: TestClient, login: str) -> dict[str, str]:
    """A session opened directly (no password hashing): the CSRF header for that user.

    `tests.conftest.login_as` goes through the real form; this is the fast path for the many
    role checks below."""
    client.cookies.clear()
    factory = client.app.state.sessions  # type: ignore[attr-defined]
    with session_scope(factory) as db:
        found = db.scalar(select(User).where(User.login == login))
        assert found is not None
        token, ws = open_session(db, found, hours=1)
        csrf = ws.csrf_token
    client.cookies.set(SESSION_COOKIE, token)
    return {"X-CSRF-Token": csrf}


def session(client: TestClient) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = client.app.state.sessions  # type: ignore[attr-defined]
    return factory


def text_of(resp) -> str:  # type: ignore[no-untyped-def]
    """The page's visible text, whitespace collapsed (matches sentences across tags)."""
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(resp.text, "html.parser").get_text(" ").split())


def add_user(client: TestClient, login: str, role: str, tenant_id: int) -> None:
    """An extra account (e.g. a second comité member) who accepted the charter."""
    with session_scope(session(client)) as db:
        extra = User(
            login=login,
            display_name=login.title(),
            role=role,
            tenant_id=tenant_id,
            password_hash="x",
        )
        db.add(extra)
        db.flush()
        charter.accept(db, extra, version=charter.current(db, tenant_id).version)
