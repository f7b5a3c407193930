"""Distinct users and calls over any window, exactly, without scanning every call.

Whole summed days come from the roll-ups: each agent's active days as a bitmap per service ×
assistant × model (`steering_active_days`, a few thousand rows for a thousand agents), the
calls per day from `steering_daily`. A window's partial first and last days and the days not
summed yet (today) are read live from the calls. `Activity` reads the bitmaps once and the live
edges of every window it is told about in one query, then counts each window in Python: a user
active in several parts of a window counts once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, literal_column, select, union_all
from sqlalchemy.orm import Session

from civia.steering.filters import Filters, events
from civia.steering.models import ActiveDays, DailyActive, DailyUsage, DailyUser, RollupState
from civia.usage.models import UsageEvent

TICK = timedelta(microseconds=1)
MODEL_KEY = UsageEvent.provider_name + " · " + UsageEvent.model
BY = (None, "service", "assistant", "model")
WIDE = ("assistant", "model")  # counts by these need the live calls per assistant and model
Key = tuple[Any, str, str, int | None]  # service, assistant, model, user
Span = tuple[datetime, datetime]
Window = tuple[datetime, datetime, str | None]  # since, until (both included), by


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


def split(until_day: date | None, since: datetime, until: datetime) -> tuple[
    tuple[date, date] | None, list[Span]
]:  # fmt: skip
    """The whole days [first, end) summed before `until_day`, and the spans to read live."""
    first = since.date() if since == midnight(since.date()) else since.date() + timedelta(days=1)
    end = min(until.date(), until_day) if until_day is not None else first
    if end <= first:
        return None, [(since, until)]
    live = [(since, midnight(first) - TICK)] if since < midnight(first) else []
    if midnight(end) <= until:
        live.append((midnight(end), until))
    return (first, end), live


def _pick(by: str | None, key: tuple[Any, ...]) -> Any:
    return 0 if by is None else key[("service", "assistant", "model").index(by)]


class Activity:
    """Who called when, for one collectivité and filters: the bitmaps of summed days and the
    live spans, read once; `count` answers any window from them (reading what is missing)."""

    def __init__(self, db: Session, f: Filters, windows: Iterable[Window] = ()) -> None:
        self.db, self.f = db, f
        state = db.get(RollupState, f.tenant_id)
        self.until_day = state.until_day if state is not None else None
        self.origin: int | None = None  # ordinal of bit 0 of the bitmaps read; None: not read
        self.bits: dict[Key, int] = {}
        self.calls: dict[tuple[Any, str, str], dict[int, int]] = {}
        self.live: dict[tuple[Span, bool], list[tuple[Key, int]]] = {}
        self.folded: dict[str | None, dict[tuple[Any, int], int]] = {}
        windows = list(windows)
        firsts = [days[0] for s, u, _ in windows if (days := split(self.until_day, s, u)[0])]
        if firsts:
            self._read_days(min(firsts))
        self._read_live([(span, by in WIDE) for s, u, by in windows
                         for span in split(self.until_day, s, u)[1]])  # fmt: skip

    def _read_days(self, first: date) -> None:
        """Bitmaps of agents active on or after `first`, and the calls of each day."""
        f, origin = self.f, first.toordinal()
        rows = self.db.execute(
            select(ActiveDays.service_id, ActiveDays.assistant_id, ActiveDays.model_key,
                   ActiveDays.user_id, ActiveDays.first_day, ActiveDays.days)
            .where(ActiveDays.tenant_id == f.tenant_id, ActiveDays.demo.is_(f.synthetic),
                   ActiveDays.last_day >= first,
                   *([ActiveDays.service_id == f.service_id] if f.service_id is not None else []))
        ).all()  # fmt: skip
        self.bits, self.folded, self.origin = {}, {}, origin
        for service, assistant, model, user, day, data in rows:
            shift = day.toordinal() - origin
            value = int.from_bytes(data, "little")
            self.bits[service, assistant, model, user] = (
                value << shift if shift >= 0 else value >> -shift
            )
        stmt = select(DailyUsage.service_id, DailyUsage.assistant_id, DailyUsage.model_key,
                      DailyUsage.day, DailyUsage.calls).where(
            DailyUsage.tenant_id == f.tenant_id, DailyUsage.demo.is_(f.synthetic),
            DailyUsage.day >= first)  # fmt: skip
        if f.service_id is not None:
            stmt = stmt.where(DailyUsage.service_id == f.service_id)
        self.calls = {}
        for service, assistant, model, day, calls in self.db.execute(stmt).all():
            per_day = self.calls.setdefault((service, assistant, model), {})
            per_day[day.toordinal()] = per_day.get(day.toordinal(), 0) + round(calls)

    def _read_live(self, spans: Iterable[tuple[Span, bool]]) -> None:
        """(service, assistant, model, user) → calls in each span not read yet, one query."""
        missing = list(dict.fromkeys(s for s in spans if s not in self.live))
        if not missing:
            return
        parts = []
        for i, ((since, until), wide) in enumerate(missing):
            shown: list[Any] = [literal_column("''"), literal_column("''")]
            groups: list[Any] = [UsageEvent.service_id, UsageEvent.user_id]
            if wide:
                shown = [UsageEvent.assistant_id, MODEL_KEY]
                groups += [UsageEvent.assistant_id, UsageEvent.provider_name, UsageEvent.model]
            parts.append(
                select(literal_column(str(i)), UsageEvent.service_id, *shown,
                       UsageEvent.user_id, func.count(UsageEvent.id))
                .where(events(self.f, since=since, until=until))
                .group_by(*groups)
            )  # fmt: skip
        for span in missing:
            self.live[span] = []
        stmt: Any = parts[0] if len(parts) == 1 else union_all(*parts)
        for i, service, assistant, model, user, calls in self.db.execute(stmt).all():
            self.live[missing[int(i)]].append(((service, assistant, model, user), int(calls)))

    def _fold(self, by: str | None) -> dict[tuple[Any, int], int]:
        """(key, user) → the union of its bitmaps, users without an id left out."""
        if by not in self.folded:
            out: dict[tuple[Any, int], int] = defaultdict(int)
            for key, value in self.bits.items():
                if key[3] is not None:
                    out[_pick(by, key), key[3]] |= value
            self.folded[by] = dict(out)
        return self.folded[by]

    def count(self, since: datetime, until: datetime, by: str | None = None) -> dict[
        Any, tuple[int, int]
    ]:  # fmt: skip
        """key → (distinct users, calls) between `since` and `until` (both included); with
        `by=None` the only key is 0."""
        days, live = split(self.until_day, since, until)
        wide = by in WIDE
        self._read_live((span, wide) for span in live)
        users: dict[Any, set[int]] = defaultdict(set)
        calls: dict[Any, int] = defaultdict(int)
        if days is not None:
            if self.origin is None or days[0].toordinal() < self.origin:
                self._read_days(days[0])
            assert self.origin is not None
            lo, hi = days[0].toordinal(), days[1].toordinal()
            mask = ((1 << (hi - lo)) - 1) << (lo - self.origin)
            for (key, user), value in self._fold(by).items():
                if value & mask:
                    users[key].add(user)
            for group, per_day in self.calls.items():
                n = sum(v for d, v in per_day.items() if lo <= d < hi)
                if n:
                    calls[_pick(by, group)] += n
        for span in live:
            for key, n in self.live[span, wide]:
                picked = _pick(by, key)
                calls[picked] += n
                if key[3] is not None:
                    users[picked].add(key[3])
        return {key: (len(users.get(key, ())), calls[key]) for key in calls.keys() | users.keys()}

    def total(self, since: datetime, until: datetime) -> tuple[int, int]:
        """(distinct users, calls) of the whole window."""
        return self.count(since, until).get(0, (0, 0))


def count(
    db: Session, f: Filters, since: datetime, until: datetime, by: str | None = None
) -> dict[Any, tuple[int, int]]:
    """One window: key → (distinct users, calls), as `Activity.count`."""
    return Activity(db, f, [(since, until, by)]).count(since, until, by)


def total(db: Session, f: Filters, since: datetime, until: datetime) -> tuple[int, int]:
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


def rebuild_bits(db: Session, tenant_id: int, start: date, end: date) -> None:
    """Each agent's bits of the days [start, end) from `steering_daily_users` (already rebuilt
    for those days), what those days said before cleared: idempotent like the daily rows."""
    for demo in (False, True):
        rows = {
            (r.service_id, r.assistant_id, r.model_key, r.user_id): r
            for r in db.scalars(
                select(ActiveDays).where(ActiveDays.tenant_id == tenant_id,
                                         ActiveDays.demo.is_(demo))
            )
        }  # fmt: skip
        base = min([start.toordinal()] + [r.first_day.toordinal() for r in rows.values()])
        redone = ~(((1 << (end.toordinal() - start.toordinal())) - 1) << (start.toordinal() - base))
        bits = {
            key: (int.from_bytes(r.days, "little") << (r.first_day.toordinal() - base)) & redone
            for key, r in rows.items()
        }
        found = db.execute(
            select(DailyUser.service_id, DailyUser.assistant_id, DailyUser.model_key,
                   DailyUser.user_id, DailyUser.day)
            .where(DailyUser.tenant_id == tenant_id, DailyUser.demo.is_(demo),
                   DailyUser.day >= start, DailyUser.day < end)
        ).all()  # fmt: skip
        for service, assistant, model, user, day in found:
            key = (service, assistant, model, user)
            bits[key] = bits.get(key, 0) | 1 << (day.toordinal() - base)
        added = []
        for key, value in bits.items():
            row = rows.get(key)
            if not value:
                if row is not None:
                    db.delete(row)
                continue
            low = (value & -value).bit_length() - 1
            value >>= low
            first = date.fromordinal(base + low)
            last = date.fromordinal(base + low + value.bit_length() - 1)
            data = value.to_bytes((value.bit_length() + 7) // 8, "little")
            if row is None:
                added.append({"tenant_id": tenant_id, "demo": demo, "service_id": key[0],
                              "assistant_id": key[1], "model_key": key[2], "user_id": key[3],
                              "first_day": first, "last_day": last, "days": data})  # fmt: skip
            elif (row.first_day, row.last_day, row.days) != (first, last, data):
                row.first_day, row.last_day, row.days = first, last, data
        if added:
            db.execute(insert(ActiveDays), added)
