"""Acts fixtures: a fresh database per test (SQLite, then PostgreSQL through `db_url`), three
collectivités (Démoville and Autreville, plus a centre de gestion), and the SCDL files of
tests/data/acts imported through the real importer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import Role, Tenant, User
from civia.db.engine import make_sessionmaker
from civia.documents.acts.access import Scope, scope_for
from civia.documents.acts.importer import create_import, run_import
from civia.documents.acts.models import ActImport

DATA = Path(__file__).resolve().parents[2] / "data" / "acts"
SAINT_AUBIN = "saint-aubin-cp1252.csv"
BELLECOMBE = "bellecombe-utf8-bom.csv"


@dataclass
class ActsWorld:
    sessions: sessionmaker[Session]
    tenants: dict[str, int]  # slug → id
    users: dict[str, int]  # login → id

    def user(self, db: Session, login: str) -> User:
        found = db.get(User, self.users[login])
        assert found is not None
        return found

    def scope(self, db: Session, login: str) -> Scope:
        return scope_for(db, self.user(db, login))

    def import_bytes(
        self, tenant: str, data: bytes, name: str = "actes.csv", *, batch_size: int | None = None
    ) -> ActImport:
        with self.sessions() as db:
            row = create_import(
                db, tenant_id=self.tenants[tenant], user_id=None, filename=name, data=data
            )
            db.commit()
            import_id = row.id
        return run_import(self.sessions, import_id=import_id, batch_size=batch_size)

    def import_file(self, tenant: str, name: str, **kwargs: int) -> ActImport:
        return self.import_bytes(tenant, (DATA / name).read_bytes(), name, **kwargs)


@pytest.fixture
def acts_world(engine: Engine) -> Iterator[ActsWorld]:
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        tenants = [
            Tenant(slug="demoville", name="Commune de Démoville"),
            Tenant(slug="autreville", name="Commune d'Autreville"),
            Tenant(slug="cdg", name="Centre de gestion"),
        ]
        db.add_all(tenants)
        db.flush()
        people = [
            User(tenant_id=tenants[0].id, login="agent", role=Role.AGENT.value),
            User(tenant_id=tenants[0].id, login="referent", role=Role.REFERENT.value),
            User(tenant_id=tenants[1].id, login="carol", role=Role.AGENT.value),
            User(tenant_id=tenants[2].id, login="gina", role=Role.AGENT.value),
        ]
        for person in people:
            person.display_name, person.password_hash = person.login.title(), "x"
        db.add_all(people)
        db.commit()
        world = ActsWorld(
            sessions, {t.slug: t.id for t in tenants}, {u.login: u.id for u in people}
        )
    yield world


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()
