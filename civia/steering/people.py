"""Distinct users and calls over any window, exactly, without scanning every call: whole days
summed in `steering_daily_users` (one row per user × day × service × assistant × model),
the window's partial first day and the days not summed yet (today) read live from the calls.
Both parts are stacked in one query and counted once (a user active in both counts once)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, literal_column, select, union_all
from sqlalchemy.orm import Session

from civia.steering.filters import Filters, events
from civia.steering.models import DailyActive, DailyUsage, DailyUser, RollupState
from civia.usage.models import UsageEvent

TICK = timedelta(microseconds=1)
MODEL_KEY = UsageEvent.provider_name + " · " + UsageEvent.model
KEYS: dict[str | None, tuple[Any, Any]] = {  # by → (summed column, live column)
    None: (literal_column("0"), literal_column("0")),
    "service": (DailyActive.service_id, UsageEvent.service_id),
    "assistant": (DailyUser.assistant_id, UsageEvent.assistant_id),
    "model": (DailyUser.model_key, MODEL_KEY),
}


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


def split(
    db: Session, f: Filters, since: datetime, until: datetime
) -> tuple[tuple[date, date] | None, list[tuple[datetime, datetime]]]:
    """The whole days [first, end) to read from the roll-ups, and the windows to read live."""
    state = db.get(RollupState, f.tenant_id)
    first = since.date() if since == midnight(since.date()) else since.date() + timedelta(days=1)
    end = min(until.date(), state.until_day) if state is not None else first
    if end <= first:
        return None, [(since, until)]
    live = [(since, midnight(first) - TICK)] if since < midnight(first) else []
    if midnight(end) <= until:
        live.append((midnight(end), until))
    return (first, end), live


def _summed(f: Filters, days: tuple[date, date], by: str | None) -> Any:
    """Per assistant or model: the wide roll-up; otherwise the narrow one (one row per agent
    and day)."""
    table: Any = DailyUser if by in ("assistant", "model") else DailyActive
    conds = [
        table.tenant_id == f.tenant_id,
        table.demo.is_(f.synthetic),
        table.day >= days[0],
        table.day < days[1],
    ]
    if f.service_id is not None:
        conds.append(table.service_id == f.service_id)
    return select(
        KEYS[by][0].label("key"), table.user_id.label("user_id"), table.calls.label("n")
    ).where(*conds)


def _live(f: Filters, since: datetime, until: datetime, by: str | None) -> Any:
    return select(
        KEYS[by][1].label("key"),
        UsageEvent.user_id.label("user_id"),
        literal_column("1").label("n"),
    ).where(events(f, since=since, until=until))


def count(
    db: Session, f: Filters, since: datetime, until: datetime, by: str | None = None
) -> dict[Any, tuple[int, int]]:
    """key → (distinct users, calls) between `since` and `until` (both included); with
    `by=None` the only key is 0."""
    days, live = split(db, f, since, until)
    parts = ([_summed(f, days, by)] if days else []) + [_live(f, a, b, by) for a, b in live]
    rows = parts[0].subquery() if len(parts) == 1 else union_all(*parts).subquery()
    stmt = select(
        rows.c.key, func.count(func.distinct(rows.c.user_id)), func.coalesce(func.sum(rows.c.n), 0)
    ).group_by(rows.c.key)
    return {key: (int(users), int(calls)) for key, users, calls in db.execute(stmt).all()}


def total(db: Session, f: Filters, since: datetime, until: datetime) -> tuple[int, int]:
    """(distinct users, calls) of the whole window."""
    return count(db, f, since, until).get(0, (0, 0))


def _aware(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite may return a computed datetime as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def first_use(db: Session, f: Filters) -> dict[int | None, datetime]:
    """Each service's first call up to `f.until`, whatever `f.since`: the first summed day of
    each service (from the small `steering_daily`), then its first call that day; services
    whose first call is not summed yet, live."""
    state = db.get(RollupState, f.tenant_id)
    summed_until = min(state.until_day, f.until.date()) if state is not None else None
    found: dict[int | None, datetime] = {}
    if summed_until is not None:
        conds = [
            DailyUsage.tenant_id == f.tenant_id,
            DailyUsage.demo.is_(f.synthetic),
            DailyUsage.day < summed_until,
        ]
        if f.service_id is not None:
            conds.append(DailyUsage.service_id == f.service_id)
        first_days = db.execute(
            select(DailyUsage.service_id, func.min(DailyUsage.day))
            .where(*conds)
            .group_by(DailyUsage.service_id)
        ).all()
        for key, day in first_days:
            at = db.scalar(
                select(func.min(DailyActive.first_at)).where(
                    DailyActive.tenant_id == f.tenant_id,
                    DailyActive.demo.is_(f.synthetic),
                    DailyActive.day == day,
                    DailyActive.service_id.is_(None)
                    if key is None
                    else DailyActive.service_id == key,
                )
            )
            if at is not None:
                found[key] = _aware(at)
    live_since = (
        midnight(summed_until) if summed_until is not None else datetime(2000, 1, 1, tzinfo=UTC)
    )
    live = select(UsageEvent.service_id, func.min(UsageEvent.created_at)).where(
        events(f, since=live_since, until=f.until)
    )
    for key, value in db.execute(live.group_by(UsageEvent.service_id)).all():
        if value is not None and key not in found:
            found[key] = _aware(value)
    return found


def rebuild_day(db: Session, f: Filters, day: date) -> None:
    """The rows of `day` (already deleted by the caller) from the calls `f` selects."""
    base = {"tenant_id": f.tenant_id, "day": day, "demo": f.synthetic}
    wide = [
        base | {"service_id": s, "assistant_id": a or "", "model_key": m or "", "user_id": u,
                "calls": n}
        for s, a, m, u, n in db.execute(
            select(UsageEvent.service_id, UsageEvent.assistant_id, MODEL_KEY,
                   UsageEvent.user_id, func.count(UsageEvent.id))
            .where(events(f))
            .group_by(UsageEvent.service_id, UsageEvent.assistant_id, UsageEvent.provider_name,
                      UsageEvent.model, UsageEvent.user_id)
        ).all()
    ]  # fmt: skip
    narrow = [
        base | {"service_id": s, "user_id": u, "calls": n, "first_at": at}
        for s, u, n, at in db.execute(
            select(UsageEvent.service_id, UsageEvent.user_id, func.count(UsageEvent.id),
                   func.min(UsageEvent.created_at))
            .where(events(f)).group_by(UsageEvent.service_id, UsageEvent.user_id)
        ).all()
    ]  # fmt: skip
    if wide:
        db.execute(insert(DailyUser), wide)
    if narrow:
        db.execute(insert(DailyActive), narrow)
