"""The dashboard's figures, computed by SQL aggregates over the ledger and the assistant runs.
One function per table; every query is filtered by tenant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from civia.assistants.models import AssistantRun
from civia.db.models import Service, UsageEvent, User
from civia.steering.filters import MIN_GROUP, Filters, accounts, event_source, events, runs
from civia.steering.models import LedgerEntry

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


def _usage_columns() -> list[Any]:
    return [
        func.count(UsageEvent.id).label("calls"),
        func.count(func.distinct(UsageEvent.user_id)).label("users"),
        func.coalesce(func.sum(UsageEvent.prompt_tokens), 0).label("prompt_tokens"),
        func.coalesce(func.sum(UsageEvent.completion_tokens), 0).label("completion_tokens"),
        func.coalesce(func.sum(LedgerEntry.cost_eur), 0).label("cost_eur"),
        func.coalesce(func.sum(KWH_MID), 0).label("energy_kwh"),
        func.coalesce(func.sum(GWP_MIN), 0).label("gwp_min"),
        func.coalesce(func.sum(GWP_MAX), 0).label("gwp_max"),
        func.coalesce(func.sum(FAILED), 0).label("failures"),
        func.avg(UsageEvent.latency_ms).label("latency_ms"),
        func.avg(UsageEvent.ttft_ms).label("ttft_ms"),
    ]


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


def active_users(db: Session, f: Filters, days: int) -> int:
    cond = events(f, since=f.until - timedelta(days=days))
    stmt = select(func.count(func.distinct(UsageEvent.user_id)))
    return int(db.scalar(stmt.where(cond)) or 0)


def totals(db: Session, f: Filters) -> dict[str, float]:
    usage = db.execute(select(*_usage_columns()).select_from(event_source()).where(events(f))).one()
    runs_row = db.execute(select(*_run_columns()).where(runs(f))).one()
    out = _figures(usage) | _figures(runs_row)
    out["hours_saved"] = out["minutes_saved"] / 60
    out["validated_results"] = out["validated"]
    for days in (7, 30, 90):
        out[f"active_users_{days}d"] = active_users(db, f, days)
    rated = out["useful"] + out["not_useful"]
    out["useful_rate"] = out["useful"] / rated if rated else 0.0
    return out


def _merge(usage: dict[Any, Row], extra: Sequence[Any], label: Any) -> dict[Any, Row]:
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


def by_service(db: Session, f: Filters) -> list[Row]:
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
    usage = db.execute(
        select(UsageEvent.service_id.label("key"), *_usage_columns())
        .select_from(event_source()).where(events(f)).group_by(UsageEvent.service_id)
    ).all()  # fmt: skip
    runs_rows = db.execute(
        select(AssistantRun.service_id.label("key"), *_run_columns())
        .where(runs(f)).group_by(AssistantRun.service_id)
    ).all()  # fmt: skip

    def label(key: Any) -> str:
        return str(names.get(key, "Sans service"))

    rows = _merge(_merge({}, usage, label), runs_rows, label)
    for row in rows.values():
        row.figures["accounts"] = float(counts.get(row.key, 0))
    return _finish(rows)


def by_assistant(db: Session, f: Filters, labels: dict[str, str] | None = None) -> list[Row]:
    labels = labels or {}
    usage = db.execute(
        select(UsageEvent.assistant_id.label("key"), *_usage_columns())
        .select_from(event_source()).where(events(f)).group_by(UsageEvent.assistant_id)
    ).all()  # fmt: skip
    runs_rows = db.execute(
        select(AssistantRun.assistant_id.label("key"), *_run_columns(),
               func.count(func.distinct(AssistantRun.user_id)).label("run_users"))
        .where(runs(f)).group_by(AssistantRun.assistant_id)
    ).all()  # fmt: skip

    def label(key: Any) -> str:
        return labels.get(key or "", key or "Conversation libre")

    rows = _merge(_merge({}, usage, label), runs_rows, label)
    for row in rows.values():  # runs without calls (imported results) still count their users
        row.figures["users"] = max(row.figures.get("users", 0), row.figures.get("run_users", 0))
    return _finish(rows)


def by_model(db: Session, f: Filters) -> list[Row]:
    usage = db.execute(
        select(MODEL_KEY.label("key"), *_usage_columns())
        .select_from(event_source()).where(events(f))
        .group_by(UsageEvent.provider_name, UsageEvent.model)
    ).all()  # fmt: skip
    rows = _merge({}, usage, str)
    out = _finish(rows)
    for row in out:
        row.hidden = False  # a model is not a person: its totals are always shown
    return out


def weekly(db: Session, f: Filters, weeks: int = 13) -> list[dict[str, Any]]:
    """Calls and active users per week, the most recent last (for the trend and the signals)."""
    out = []
    span = min(weeks, max(1, f.days // 7))
    for i in range(span, 0, -1):
        until = f.until - timedelta(days=7 * (i - 1))
        since = until - timedelta(days=7)
        stmt = select(
            func.count(UsageEvent.id), func.count(func.distinct(UsageEvent.user_id))
        ).where(events(f, since=since, until=until))
        calls, users = db.execute(stmt).one()
        out.append({"since": since, "until": until, "calls": int(calls), "users": int(users)})
    return out
