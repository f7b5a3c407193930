"""Windowed distinct users and calls from the per-agent bitmaps and the live edges: every window
(edges at any time of day, on a call, at midnight) and every key agree with a count made by
hand from the calls, on SQLite and PostgreSQL, before and after the roll-ups; a day summed
again clears what it said before."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.db.migrate import upgrade
from civia.steering import people, rollup
from civia.steering.filters import Filters
from civia.steering.models import ActiveDays
from civia.usage import rates
from civia.usage.models import LedgerEntry, UsageEvent
from tests.conftest import make_personas
from tests.steering.helpers import NOW, call

LOGINS = ("agent", "referent", "comite", "dpo", "pilotage", "admin", "bob")


Call = tuple[datetime, dict[str | None, Any], int | None]  # when, key by `by`, user


def _by_hand(calls: list[Call], since: datetime, until: datetime,
             by: str | None) -> dict[Any, tuple[int, int]]:  # fmt: skip
    users: dict[Any, set[int]] = {}
    counts: dict[Any, int] = {}
    for at, keys, user in calls:
        if since <= at <= until:
            counts[keys[by]] = counts.get(keys[by], 0) + 1
            users.setdefault(keys[by], set()).update([user] if user is not None else [])
    return {key: (len(users[key]), n) for key, n in counts.items()}


def _windows(calls: list[Call], rng: random.Random) -> list[tuple[datetime, datetime]]:
    out = [(NOW - timedelta(days=d), NOW) for d in (7, 30, 90)]
    out += [(NOW - timedelta(days=a), NOW - timedelta(days=b)) for a, b in ((14, 7), (28, 7))]
    midnight = people.midnight(NOW.date())
    out += [(midnight - timedelta(days=20), midnight - timedelta(days=3, microseconds=1))]
    for _ in range(12):
        a, b = sorted(rng.uniform(0, 45) for _ in range(2))
        out.append((NOW - timedelta(days=b), NOW - timedelta(days=a)))
    at = [c[0] for c in calls[:6]]  # edges exactly on a call: both ends included
    return out + [(min(x, y), max(x, y)) for x, y in zip(at, reversed(at), strict=True)]


def _calls(db: Any, f: Filters) -> list[Call]:
    found = db.scalars(
        select(UsageEvent)
        .where(UsageEvent.tenant_id == f.tenant_id, UsageEvent.source != "demo")
        .order_by(UsageEvent.id)
    )
    return [
        (c.created_at if c.created_at.tzinfo else c.created_at.replace(tzinfo=UTC),
         {None: 0, "service": c.service_id, "assistant": c.assistant_id,
          "model": f"{c.provider_name} · {c.model}"}, c.user_id)
        for c in found
        if f.service_id is None or c.service_id == f.service_id
    ]  # fmt: skip


def _check(db: Any, f: Filters, windows: list[tuple[datetime, datetime]]) -> None:
    calls = _calls(db, f)
    declared = [(s, u, by) for s, u in windows for by in people.BY]
    activity = people.Activity(db, f, declared[: len(declared) // 2])  # the rest read lazily
    for since, until, by in declared:
        expected = _by_hand(calls, since, until, by)
        assert activity.count(since, until, by) == expected, (since, until, by)
        assert people.count(db, f, since, until, by) == expected, (since, until, by)


def test_windows_match_the_calls(db_url: str, password_hash: str) -> None:
    rates.clear()
    upgrade(db_url)
    engine = make_engine(db_url)
    rng = random.Random(7)
    with session_scope(make_sessionmaker(engine)) as db:
        p = make_personas(db, password_hash)
        for _ in range(160):
            login = rng.choice(LOGINS)
            call(db, p[login], days_ago=rng.uniform(0, 50),
                 assistant=rng.choice(("chat", "courrier", "resume")))  # fmt: skip
        anonymous = call(db, p["agent"], days_ago=2.5)  # an API key's call: no user
        anonymous.user_id = None
        call(db, p["bob"], days_ago=3, synthetic=True)
        call(db, p["carol"], days_ago=3)  # another collectivité
        db.flush()
        tid = p.tenant.id
        f = Filters(tid, NOW - timedelta(days=30), NOW)
        first = _calls(db, f)
        windows = _windows(first, rng)
        _check(db, f, windows)  # no roll-up: everything live
        rollup.rebuild(db, tid, today=NOW.date())
        assert db.scalar(select(ActiveDays.id).limit(1)) is not None
        _check(db, f, windows)
        _check(db, Filters(tid, f.since, f.until, service_id=p.service_a.id), windows)
        # a day summed again forgets a call deleted since (its agent's bit is cleared)
        late = select(UsageEvent.id).where(
            UsageEvent.tenant_id == tid, UsageEvent.created_at >= NOW - timedelta(days=2),
            UsageEvent.user_id.is_not(None))  # fmt: skip
        db.execute(delete(LedgerEntry).where(LedgerEntry.usage_event_id.in_(late)))
        db.execute(delete(UsageEvent).where(UsageEvent.id.in_(late)))
        rows = {r.id: (r.first_day, r.days) for r in db.scalars(select(ActiveDays))}
        rollup.rebuild(db, tid, today=NOW.date())
        assert {r.id: (r.first_day, r.days) for r in db.scalars(select(ActiveDays))} != rows
        _check(db, f, windows)
        again = {r.id: (r.first_day, r.days) for r in db.scalars(select(ActiveDays))}
        rollup.rebuild(db, tid, today=NOW.date())  # idempotent
        assert {r.id: (r.first_day, r.days) for r in db.scalars(select(ActiveDays))} == again
    engine.dispose()
