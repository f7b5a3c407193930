"""Early signals from known event series: each fires when its rule holds, stays quiet otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from civia.db.engine import make_engine, make_sessionmaker
from civia.db.migrate import upgrade
from civia.steering import signals
from civia.steering.filters import period
from civia.usage import rates
from tests.conftest import Personas, make_personas
from tests.steering.helpers import NOW, call, run

SERVICE_A = ("agent", "referent", "comite", "dpo", "pilotage", "admin")


@pytest.fixture
def world(sqlite_url: str, password_hash: str) -> Iterator[tuple[Session, Personas]]:
    rates.clear()
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as db:
        yield db, make_personas(db, password_hash)
    engine.dispose()


def _titles(db: Session, p: Personas, accounts: int = 6) -> set[str]:
    f = period(p.tenant.id, days=30, now=NOW, service_id=p.service_a.id)
    return {s.title for s in signals.for_service(db, f, accounts)}


def test_steady_use_raises_no_alarm(world: tuple[Session, Personas]) -> None:
    db, p = world
    for day in range(0, 40):
        for login in SERVICE_A:  # every agent, every day, 6 weeks
            call(db, p[login], days_ago=day + 0.1)
    titles = _titles(db, p)
    assert not {"Adoption faible", "Décrochage", "Service à l'arrêt"} & titles
    assert "Utilisateurs en hausse" not in titles  # as many this week as the week before


def test_drop_off_and_stop(world: tuple[Session, Personas]) -> None:
    db, p = world
    for day in range(7, 40):  # used for weeks, then nothing in the last 7 days...
        call(db, p["agent"], days_ago=day + 0.1)
        call(db, p["referent"], days_ago=day + 0.1)
    assert "Décrochage" in _titles(db, p)  # 0 calls vs ~14 a week before
    assert "Service à l'arrêt" not in _titles(db, p)  # calls 7-14 days ago
    later = period(p.tenant.id, days=30, now=NOW + timedelta(days=7), service_id=p.service_a.id)
    stopped = {s.title: s for s in signals.for_service(db, later, 6)}
    assert "Service à l'arrêt" in stopped
    assert "14 jours" in stopped["Service à l'arrêt"].reason


def test_low_adoption_after_a_month(world: tuple[Session, Personas]) -> None:
    db, p = world
    for day in range(0, 35):
        call(db, p["agent"], days_ago=day + 0.1)  # 1 active agent out of 10 accounts
    found = {s.title: s for s in signals.for_service(
        db, period(p.tenant.id, days=30, now=NOW, service_id=p.service_a.id), 10)}  # fmt: skip
    assert "Adoption faible" in found and "1 agents actifs" in found["Adoption faible"].reason
    assert "Adoption faible" not in _titles(db, p, accounts=3)  # 1 of 3: above 30 %


def test_growth_savings_and_not_useful_ratings(world: tuple[Session, Personas]) -> None:
    db, p = world
    for login in SERVICE_A[:2]:
        call(db, p[login], days_ago=10)  # two users the week before
    for login in SERVICE_A:
        call(db, p[login], days_ago=1)  # six this week
    for i in range(10):
        run(db, p[SERVICE_A[i % 6]], days_ago=2, minutes=10, rating="useful")
    titles = _titles(db, p)
    assert {"Utilisateurs en hausse", "Gains de temps mesurables"} <= titles
    assert "Avis « pas utile » nombreux" not in titles
    for i in range(8):
        run(db, p[SERVICE_A[i % 6]], days_ago=3, validated=False, rating="not_useful")
    assert "Avis « pas utile » nombreux" in _titles(db, p)  # 8 of 18 ratings: 44 %
