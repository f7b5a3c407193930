"""The dashboard's figures, computed by SQL aggregates over the ledger and the assistant runs.
One function per table; every query is filtered by tenant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from civia.accounts.models import Service, User
from civia.assistants.models import AssistantRun
from civia.steering import people
from civia.steering.filters import MIN_GROUP, Filters, accounts, event_source, events, runs
from civia.usage.models import LedgerEntry, UsageEvent

KWH_MID = (
    func.coalesce(LedgerEntry.energy_kwh_min, 0) + func.coalesce(LedgerEntry.energy_kwh_max, 0)
) / 2
GWP_MIN = func.coalesce(LedgerEntry.gwp_kgco2eq_min, 0)
GWP_MAX = func.coalesce(LedgerEntry.gwp_kgco2eq_max, 0)
FAILED = case((UsageEvent.outcome.in_(("ok", "stopped")), 0), else_=1)
VALIDATED = case((AssistantRun.status == "validated", 1), else_=0)
SAVED = case((AssistantRun.status == "validated", AssistantRun.time_saved_minutes), else_=0)
MODEL_KEY = UsageEvent.provider_name + " · " + UsageEvent.model
USEFUL = case((AssistantRun.rating == "useful", 1), else_=0)
NOT_USEFUL = case((AssistantRun.rating == "not_useful", 1), else_=0)


@dataclass
class Row:
    """One line of a table: a label and its figures; `hidden` for groups below MIN_GROUP."""

    key: Any
    label: str
    figures: dict[str, float] = field(default_factory=dict)
    hidden: bool = False


SUMS = (
    "calls", "prompt_tokens", "completion_tokens", "cost_eur", "energy_kwh", "gwp_min",
    "gwp_max", "failures", "latency_sum", "latency_n", "ttft_sum", "ttft_n",
)  # fmt: skip
Groups = list[tuple[Any, Any, Any, dict[str, float]]]  # (service, assistant, model, sums)


def usage_groups(db: Session, f: Filters) -> Groups:
    """The period's sums by service × assistant × model: every table of the page is rolled up
    from them. Whole past days come from the daily roll-ups when they exist."""
    from civia.steering import rollup  # rollup builds on raw_groups below

    return rollup.groups(db, f)


def raw_groups(db: Session, f: Filters) -> Groups:
    """One pass over the period's calls and their ledger rows (the joins are the costly part)."""
    stmt = (
        select(
            UsageEvent.service_id, UsageEvent.assistant_id, MODEL_KEY,
            func.count(UsageEvent.id),
            func.coalesce(func.sum(UsageEvent.prompt_tokens), 0),
            func.coalesce(func.sum(UsageEvent.completion_tokens), 0),
            func.coalesce(func.sum(LedgerEntry.cost_eur), 0),
            func.coalesce(func.sum(KWH_MID), 0),
            func.coalesce(func.sum(GWP_MIN), 0),
            func.coalesce(func.sum(GWP_MAX), 0),
            func.coalesce(func.sum(FAILED), 0),
            func.coalesce(func.sum(UsageEvent.latency_ms), 0),
            func.count(UsageEvent.latency_ms),
            func.coalesce(func.sum(UsageEvent.ttft_ms), 0),
            func.count(UsageEvent.ttft_ms),
        )
        .select_from(event_source())
        .where(events(f))
        .group_by(UsageEvent.service_id, UsageEvent.assistant_id, UsageEvent.provider_name,
                  UsageEvent.model)
    )  # fmt: skip
    return [
        (row[0], row[1], row[2], {k: float(v or 0) for k, v in zip(SUMS, row[3:], strict=True)})
        for row in db.execute(stmt).all()
    ]


def _rollup(groups: Groups, index: int | None) -> dict[Any, dict[str, float]]:
    out: dict[Any, dict[str, float]] = {}
    for group in groups:
        key = None if index is None else group[index]
        target = out.setdefault(key, dict.fromkeys(SUMS, 0.0))
        for name, value in group[3].items():
            target[name] += value
    for fig in out.values():
        fig["latency_ms"] = fig["latency_sum"] / fig["latency_n"] if fig["latency_n"] else 0.0
        fig["ttft_ms"] = fig["ttft_sum"] / fig["ttft_n"] if fig["ttft_n"] else 0.0
        fig["gwp_kgco2eq"] = (fig["gwp_min"] + fig["gwp_max"]) / 2
    return out


ACTIVE_DAYS = (7, 30, 90)


def windows(f: Filters) -> list[people.Window]:
    """Every window the tables below count users in: declared, one read serves them all."""
    out: list[people.Window] = [(f.since, f.until, by) for by in people.BY]
    out += [(f.until - timedelta(days=days), f.until, None) for days in ACTIVE_DAYS]
    return out + [(since, until, None) for since, until in _weeks(f)]


def _activity(db: Session, f: Filters, activity: people.Activity | None) -> people.Activity:
    return people.Activity(db, f) if activity is None else activity


def _users(db: Session, f: Filters, by: str, activity: people.Activity | None) -> dict[Any, float]:
    """Distinct users per key over the period (from the daily roll-ups, edges live)."""
    found = _activity(db, f, activity).count(f.since, f.until, by, calls_too=False)
    return {k: float(users) for k, (users, _calls) in found.items()}


def _usage_rows(db: Session, f: Filters, groups: Groups | None, index: int,
                by: str, activity: people.Activity | None) -> dict[Any, Row]:  # fmt: skip
    groups = usage_groups(db, f) if groups is None else groups
    users = _users(db, f, by, activity)
    rows = {}
    for key, fig in _rollup(groups, index).items():
        rows[key] = Row(key, "", fig | {"users": users.get(key, 0.0)})
    return rows


def _run_columns() -> list[Any]:
    return [
        func.count(AssistantRun.id).label("runs"),
        func.coalesce(func.sum(VALIDATED), 0).label("validated"),
        func.coalesce(func.sum(SAVED), 0).label("minutes_saved"),
        func.coalesce(func.sum(USEFUL), 0).label("useful"),
        func.coalesce(func.sum(NOT_USEFUL), 0).label("not_useful"),
    ]


def _figures(row: Any) -> dict[str, float]:
    out = {k: float(v or 0) for k, v in row._mapping.items() if k != "key"}
    if "gwp_min" in out:
        out["gwp_kgco2eq"] = (out["gwp_min"] + out["gwp_max"]) / 2
    return out


def active_users(db: Session, f: Filters, days: int,
                 activity: people.Activity | None = None) -> int:  # fmt: skip
    return _activity(db, f, activity).total(f.until - timedelta(days=days), f.until)[0]


def totals(db: Session, f: Filters, groups: Groups | None = None,
           activity: people.Activity | None = None) -> dict[str, float]:  # fmt: skip
    groups = usage_groups(db, f) if groups is None else groups
    activity = _activity(db, f, activity)
    usage = _rollup(groups, None).get(None) or _rollup([(None, None, None, {})], None)[None]
    users = activity.total(f.since, f.until)[0]
    runs_row = db.execute(select(*_run_columns()).where(runs(f))).one()
    out = usage | {"users": float(users or 0)} | _figures(runs_row)
    out["hours_saved"] = out["minutes_saved"] / 60
    out["validated_results"] = out["validated"]
    for days in ACTIVE_DAYS:
        out[f"active_users_{days}d"] = active_users(db, f, days, activity)
    rated = out["useful"] + out["not_useful"]
    out["useful_rate"] = out["useful"] / rated if rated else 0.0
    return out


def _merge(usage: dict[Any, Row], extra: Sequence[Any], label: Any) -> dict[Any, Row]:
    for row in usage.values():
        row.label = row.label or label(row.key)
    for row in extra:
        found = usage.setdefault(row.key, Row(row.key, label(row.key)))
        found.figures |= _figures(row)
    return usage


def _finish(rows: dict[Any, Row]) -> list[Row]:
    for row in rows.values():
        fig = row.figures
        for name in ("calls", "users", "cost_eur", "energy_kwh", "gwp_kgco2eq", "runs",
                     "validated", "minutes_saved", "useful", "not_useful"):  # fmt: skip
            fig.setdefault(name, 0.0)
        fig["hours_saved"] = fig["minutes_saved"] / 60
        row.hidden = fig["users"] < MIN_GROUP
    return sorted(rows.values(), key=lambda r: (-r.figures["calls"], r.label))


def by_service(db: Session, f: Filters, groups: Groups | None = None,
               activity: people.Activity | None = None) -> list[Row]:  # fmt: skip
    names = dict(
        db.execute(select(Service.id, Service.name).where(Service.tenant_id == f.tenant_id)).all()
    )
    counts = dict(
        db.execute(
            select(User.service_id, func.count(User.id))
            .where(accounts(f))
            .group_by(User.service_id)
        ).all()
    )
    usage = _usage_rows(db, f, groups, 0, "service", activity)
    runs_rows = db.execute(
        select(AssistantRun.service_id.label("key"), *_run_columns())
        .where(runs(f)).group_by(AssistantRun.service_id)
    ).all()  # fmt: skip

    def label(key: Any) -> str:
        return str(names.get(key, "Sans service"))

    rows = _merge(usage, runs_rows, label)
    for row in rows.values():
        row.figures["accounts"] = float(counts.get(row.key, 0))
    return _finish(rows)


def by_assistant(
    db: Session, f: Filters, labels: dict[str, str] | None = None, groups: Groups | None = None,
    activity: people.Activity | None = None,
) -> list[Row]:  # fmt: skip
    labels = labels or {}
    usage = _usage_rows(db, f, groups, 1, "assistant", activity)
    runs_rows = db.execute(
        select(AssistantRun.assistant_id.label("key"), *_run_columns(),
               func.count(func.distinct(AssistantRun.user_id)).label("run_users"))
        .where(runs(f)).group_by(AssistantRun.assistant_id)
    ).all()  # fmt: skip

    def label(key: Any) -> str:
        return labels.get(key or "", key or "Conversation libre")

    rows = _merge(usage, runs_rows, label)
    for row in rows.values():  # runs without calls (imported results) still count their users
        row.figures["users"] = max(row.figures.get("users", 0), row.figures.get("run_users", 0))
    return _finish(rows)


def by_model(db: Session, f: Filters, groups: Groups | None = None,
             activity: people.Activity | None = None) -> list[Row]:  # fmt: skip
    usage = _usage_rows(db, f, groups, 2, "model", activity)
    rows = _merge(usage, [], str)
    out = _finish(rows)
    for row in out:
        row.hidden = False  # a model is not a person: its totals are always shown
    return out


def _weeks(f: Filters, weeks: int = 13) -> list[tuple[datetime, datetime]]:
    span = min(weeks, max(1, f.days // 7))
    ends = [f.until - timedelta(days=7 * (i - 1)) for i in range(span, 0, -1)]
    return [(until - timedelta(days=7), until) for until in ends]


def weekly(db: Session, f: Filters, weeks: int = 13,
           activity: people.Activity | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Calls and active users per week, the most recent last (for the trend and the signals)."""
    activity = _activity(db, f, activity)
    out = []
    for since, until in _weeks(f, weeks):
        users, calls = activity.total(since, until)
        out.append({"since": since, "until": until, "calls": int(calls), "users": int(users)})
    return out
