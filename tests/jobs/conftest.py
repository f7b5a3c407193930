"""A fresh database per test (SQLite, then PostgreSQL) with one tenant and user, and job kinds
registered for the queue's own tests."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import Tenant, User
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker
from civia.jobs import registry
from civia.jobs.worker import JobContext, JobError
from civia.plugins import loader
from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import JobKind, Registries
from civia.settings import Settings

RELEASE = threading.Event()


# Kinds used by these tests only: they exercise the queue, not an area's work.
@registry.register("test.echo", queue="test", label="Écho")
def _echo(ctx: JobContext) -> dict[str, object]:
    for step in range(4):
        ctx.progress((step + 1) / 4, f"étape {step + 1}")
    return {"echo": ctx.payload.get("value"), "attempt": ctx.attempt}


@registry.register("test.refuse", queue="test")
def _refuse(ctx: JobContext) -> None:
    raise JobError("Ce fichier ne contient pas de son.")


@registry.register("test.crash", queue="test")
def _crash(ctx: JobContext) -> None:
    raise RuntimeError("bug")


@registry.register("test.wait", queue="test")
def _wait(ctx: JobContext) -> dict[str, object]:
    while not RELEASE.wait(0.05):
        ctx.progress(0.5, "attente")
    return {}


@registry.register("test.once", queue="test", resumable=False)
def _once(ctx: JobContext) -> None:
    return None


class QueueTestKinds:
    """A plugin bringing the kinds above to the registries of these tests' workers."""

    @hookimpl
    def register_job_kinds(self) -> list[JobKind]:
        return registry.kinds_in(sys.modules[__name__])


@dataclass
class JobWorld:
    sessions: sessionmaker[Session]
    settings: Settings
    tenant_id: int
    user_id: int
    registries: Registries


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> Iterator[JobWorld]:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        tenant = Tenant(slug="t", name="T")
        db.add(tenant)
        db.flush()
        user = User(tenant_id=tenant.id, login="u", display_name="U", password_hash="x")
        db.add(user)
        db.commit()
        ids = tenant.id, user.id
    settings = Settings(
        data_dir=tmp_path, database_url=db_url, jobs_heartbeat_s=0.1, jobs_stale_after_s=30
    )
    RELEASE.clear()
    pm = loader.plugin_manager()
    pm.register(QueueTestKinds())
    yield JobWorld(sessions, settings, *ids, registries=loader.load(settings, pm))
    RELEASE.set()
    engine.dispose()
