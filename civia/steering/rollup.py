"""Daily roll-ups: past days' calls summed by service × assistant × model, so the dashboard
reads a few rows per day instead of every call. Rebuilt idempotently by a periodic task (the
last days are redone each run: a call recorded late still lands); today is always read live."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import Tenant
from civia.db.engine import session_scope
from civia.settings import Settings
from civia.steering import metrics, people
from civia.steering.filters import Filters
from civia.steering.models import ActiveDays, DailyActive, DailyUsage, DailyUser, RollupState
from civia.usage.models import UsageEvent

REDO_DAYS = 2
# Everything derived from the calls: emptied, these are rebuilt from scratch by `rebuild`.
TABLES = (DailyUsage, DailyUser, DailyActive, ActiveDays, RollupState)
TICK = timedelta(microseconds=1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


def rebuild(db: Session, tenant_id: int, *, today: date | None = None) -> int:
    """Sum every day before `today` not yet summed (and the last REDO_DAYS again); returns the
    number of days written."""
    today = today or datetime.now(UTC).date()
    state = db.get(RollupState, tenant_id)
    if state is None:
        first = db.scalar(select(func.min(UsageEvent.created_at)).where(
            UsageEvent.tenant_id == tenant_id))  # fmt: skip
        start = first.date() if first is not None else today
        state = RollupState(tenant_id=tenant_id, until_day=start)
        db.add(state)
    else:
        start = state.until_day - timedelta(days=REDO_DAYS)
    day, written = start, 0
    while day < today:
        for table in (DailyUsage, DailyUser, DailyActive):
            db.execute(delete(table).where(table.tenant_id == tenant_id, table.day == day))
        for demo in (False, True):
            f = Filters(tenant_id, _midnight(day), _midnight(day + timedelta(days=1)) - TICK,
                        synthetic=demo)  # fmt: skip
            for service_id, assistant_id, model_key, sums in metrics.raw_groups(db, f):
                db.add(DailyUsage(tenant_id=tenant_id, day=day, demo=demo, service_id=service_id,
                                  assistant_id=assistant_id or "", model_key=model_key or "",
                                  **sums))  # fmt: skip
            people.rebuild_day(db, f, day)
        written += 1
        day += timedelta(days=1)
    if start < today:
        people.rebuild_bits(db, tenant_id, start, today)
    state.until_day = max(state.until_day, today)
    db.flush()
    return written


def rebuild_all(sessions: sessionmaker[Session], _settings: Settings | None = None) -> int:
    with session_scope(sessions) as db:
        tenants = db.scalars(select(Tenant.id)).all()
    written = 0
    for tenant_id in tenants:
        with session_scope(sessions) as db:
            written += rebuild(db, tenant_id)
    return written


def groups(db: Session, f: Filters) -> metrics.Groups:
    """The period's sums: whole summed days from the roll-ups, the edges and today live."""
    state = db.get(RollupState, f.tenant_id)
    first_full = f.since.date() if f.since == _midnight(f.since.date()) else (
        f.since.date() + timedelta(days=1))  # fmt: skip
    end = min(f.until.date(), state.until_day) if state is not None else first_full
    if end <= first_full:
        return metrics.raw_groups(db, f)
    keys = (DailyUsage.service_id, DailyUsage.assistant_id, DailyUsage.model_key)
    stmt = (
        select(*keys, *(func.sum(getattr(DailyUsage, name)) for name in metrics.SUMS))
        .where(
            DailyUsage.tenant_id == f.tenant_id,
            DailyUsage.day >= first_full,
            DailyUsage.day < end,
            DailyUsage.demo.is_(f.synthetic),
        )
        .group_by(*keys)
    )
    if f.service_id is not None:
        stmt = stmt.where(DailyUsage.service_id == f.service_id)
    out: metrics.Groups = [
        (row[0], row[1], row[2],
         {name: float(v or 0) for name, v in zip(metrics.SUMS, row[3:], strict=True)})
        for row in db.execute(stmt).all()
    ]  # fmt: skip
    if f.since < _midnight(first_full):
        out += metrics.raw_groups(db, replace(f, until=_midnight(first_full) - TICK))
    out += metrics.raw_groups(db, replace(f, since=_midnight(end)))
    return out
