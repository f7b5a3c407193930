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
from itertools import accumulate
from typing import Any

from sqlalchemy import func, insert, literal_column, select, union_all
from sqlalchemy.orm import Session

from civia.db.base import aware
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
PerKey = tuple[dict[Any, int], dict[Any, set[int]]]  # key → calls, key → users


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


KEY_INDEX = {"service": 0, "assistant": 1, "model": 2}
SUMMED_KEY: dict[str, Any] = {
    "service": DailyUsage.service_id,
    "assistant": DailyUsage.assistant_id,
    "model": DailyUsage.model_key,
}


class Activity:
    """Who called when, for one collectivité and filters: the bitmaps of summed days and the
    live spans, read once; `count` answers any window from them (reading what is missing)."""

    def __init__(self, db: Session, f: Filters, windows: Iterable[Window] = ()) -> None:
        self.db, self.f = db, f
        state = db.get(RollupState, f.tenant_id)
        self.until_day = state.until_day if state is not None else None
        self.origin: int | None = None  # ordinal of bit 0 of the bitmaps read; None: not read
        self.bits: dict[Key, int] = {}
        self.folded: dict[str | None, dict[tuple[Any, int], int]] = {}
        # by → (ordinal of the first day read, key → calls summed up to each day since)
        self.calls: dict[str | None, tuple[int, dict[Any, list[int]]]] = {}
        self.live: dict[tuple[Span, bool], list[tuple[Key, int]]] = {}
        self.live_by: dict[tuple[Span, bool, str | None], PerKey] = {}
        self.firsts: dict[str | None, date] = {}  # earliest whole day each `by` will count
        spans = []
        for since, until, by in windows:
            days, live = split(self.until_day, since, until)
            if days is not None:
                self.firsts[by] = min(days[0], self.firsts.get(by, days[0]))
            spans += [(span, by in WIDE) for span in live]
        if self.firsts:
            self._read_bits(min(self.firsts.values()))
        self._read_live(spans)

    def _read_bits(self, first: date) -> None:
        """Bitmaps of the agents active on or after `first`, bit 0 being `first`."""
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

    def _fold(self, by: str | None) -> dict[tuple[Any, int], int]:
        """(key, user) → the union of its bitmaps, users without an id left out."""
        if by not in self.folded:
            out: dict[tuple[Any, int], int] = defaultdict(int)
            index = KEY_INDEX.get(by or "")
            for key, value in self.bits.items():
                if key[3] is not None:
                    out[0 if index is None else key[index], key[3]] |= value
            self.folded[by] = dict(out)
        return self.folded[by]

    def _summed_calls(self, by: str | None, first: date) -> tuple[int, dict[Any, list[int]]]:
        """The calls of each summed day from `first` (`steering_daily`), as running sums."""
        found = self.calls.get(by)
        if found is not None and found[0] <= first.toordinal():
            return found
        first = min(first, self.firsts.get(by, first))
        f, origin = self.f, first.toordinal()
        assert self.until_day is not None  # whole days are summed only when a roll-up ran
        width = self.until_day.toordinal() - origin
        keys = [SUMMED_KEY[by]] if by is not None else []  # a literal key: SQLite's position
        stmt: Any = (
            select(*(keys or [literal_column("0")]), DailyUsage.day, func.sum(DailyUsage.calls))
            .where(DailyUsage.tenant_id == f.tenant_id, DailyUsage.demo.is_(f.synthetic),
                   DailyUsage.day >= first)
            .group_by(*keys, DailyUsage.day)
        )  # fmt: skip
        if f.service_id is not None:
            stmt = stmt.where(DailyUsage.service_id == f.service_id)
        per_day: dict[Any, list[int]] = {}
        for group, day, calls in self.db.execute(stmt).all():
            offset = day.toordinal() - origin
            if offset < width:
                per_day.setdefault(group, [0] * width)[offset] += round(calls or 0)
        running = {group: list(accumulate(days, initial=0)) for group, days in per_day.items()}
        self.calls[by] = (origin, running)
        return self.calls[by]

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
                       UsageEvent.user_id, func.count())  # count(*): PostgreSQL's index only
                .where(events(self.f, since=since, until=until))
                .group_by(*groups)
            )  # fmt: skip
        for span in missing:
            self.live[span] = []
        stmt: Any = parts[0] if len(parts) == 1 else union_all(*parts)
        for i, service, assistant, model, user, calls in self.db.execute(stmt).all():
            self.live[missing[int(i)]].append(((service, assistant, model, user), int(calls)))

    def _live(self, span: Span, wide: bool, by: str | None) -> PerKey:
        """A live span's calls and users per key."""
        found = self.live_by.get((span, wide, by))
        if found is None:
            self._read_live([(span, wide)])
            index = KEY_INDEX.get(by or "")
            calls: dict[Any, int] = defaultdict(int)
            users: dict[Any, set[int]] = defaultdict(set)
            for key, n in self.live[span, wide]:
                picked = 0 if index is None else key[index]
                calls[picked] += n
                if key[3] is not None:
                    users[picked].add(key[3])
            found = self.live_by[span, wide, by] = (calls, users)
        return found

    def count(self, since: datetime, until: datetime, by: str | None = None, *,
              calls_too: bool = True) -> dict[Any, tuple[int, int]]:  # fmt: skip
        """key → (distinct users, calls) between `since` and `until` (both included); with
        `by=None` the only key is 0. `calls_too=False`: the summed days' calls are not read
        (counted 0), for callers that want the users only."""
        days, live = split(self.until_day, since, until)
        users: dict[Any, set[int]] = defaultdict(set)
        calls: dict[Any, int] = defaultdict(int)
        if days is not None:
            lo, hi = days[0].toordinal(), days[1].toordinal()
            if self.origin is None or lo < self.origin:
                self._read_bits(min(days[0], *self.firsts.values()))
            assert self.origin is not None
            mask = ((1 << (hi - lo)) - 1) << (lo - self.origin)
            for (key, user), value in self._fold(by).items():
                if value & mask:
                    users[key].add(user)
            origin, running = self._summed_calls(by, days[0]) if calls_too else (lo, {})
            for key, sums in running.items():
                calls[key] += sums[hi - origin] - sums[lo - origin]
        for span in live:
            span_calls, span_users = self._live(span, by in WIDE, by)
            for key, n in span_calls.items():
                calls[key] += n
            for key, found in span_users.items():
                users[key] |= found
        return {
            key: (len(users.get(key, ())), calls.get(key, 0))
            for key in calls.keys() | users.keys()
            if calls.get(key) or users.get(key)
        }

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
        first_days = (
            select(DailyUsage.service_id, func.min(DailyUsage.day).label("day"))
            .where(*conds)
            .group_by(DailyUsage.service_id)
            .subquery()
        )
        first_at = (
            select(func.min(DailyActive.first_at))
            .where(DailyActive.tenant_id == f.tenant_id, DailyActive.demo.is_(f.synthetic),
                   DailyActive.day == first_days.c.day,
                   DailyActive.service_id.is_not_distinct_from(first_days.c.service_id))
            .scalar_subquery()
        )  # fmt: skip
        for key, at in db.execute(select(first_days.c.service_id, first_at)).all():
            if at is not None:
                found[key] = aware(at)
    live_since = (
        midnight(summed_until) if summed_until is not None else datetime(2000, 1, 1, tzinfo=UTC)
    )
    live = select(UsageEvent.service_id, func.min(UsageEvent.created_at)).where(
        events(f, since=live_since, until=f.until)
    )
    for key, value in db.execute(live.group_by(UsageEvent.service_id)).all():
        if value is not None and key not in found:
            found[key] = aware(value)
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
