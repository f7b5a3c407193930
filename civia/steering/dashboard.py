"""Everything the dashboard page, its CSV and `civia steering summary` show, from one function."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.steering import metrics, people, signals
from civia.steering import quality as quality_block
from civia.steering.filters import MIN_GROUP, Filters, accounts
from civia.usage.models import SteeringSettings

SUMMARY_KEYS = (
    "calls", "prompt_tokens", "completion_tokens", "cost_eur", "energy_kwh", "gwp_kgco2eq",
    "gwp_min", "gwp_max", "active_users_7d", "active_users_30d", "active_users_90d",
    "hours_saved", "validated_results", "useful", "not_useful", "failures",
)  # fmt: skip


@dataclass
class Dashboard:
    filters: Filters
    totals: dict[str, float]
    hidden: bool  # the selected service is below MIN_GROUP active users: no figure shown
    services: list[metrics.Row]
    assistants: list[metrics.Row]
    models: list[metrics.Row]
    weeks: list[dict[str, Any]]
    signals: dict[str, list[signals.Signal]]
    accounts: int
    targeted: int  # agents targeted by the deployment (set by pilotage), else the accounts
    quality: list[quality_block.Quality] = field(default_factory=list)
    quality_total: quality_block.Quality | None = None

    def summary(self) -> dict[str, float]:
        return {key: self.totals.get(key, 0.0) for key in SUMMARY_KEYS}


def _accounts(db: Session, f: Filters) -> int:
    return int(db.scalar(select(func.count(User.id)).where(accounts(f))) or 0)


def targets(db: Session, tenant_id: int) -> dict[int, int]:
    """Targeted agents per service, as pilotage declared them (service id → count)."""
    row = db.get(SteeringSettings, tenant_id)
    found = (row.targeted_agents or {}) if row is not None else {}
    return {int(k): int(v) for k, v in found.items() if str(k).isdigit() and int(v) > 0}


def build(db: Session, f: Filters, assistant_labels: dict[str, str] | None = None) -> Dashboard:
    groups = metrics.usage_groups(db, f)
    # every window of the page (period, 7/30/90 days, weeks, signals) counted from one read
    activity = people.Activity(db, f, metrics.windows(f) + signals.windows(f))
    totals = metrics.totals(db, f, groups, activity)
    services = metrics.by_service(db, f, groups, activity)
    declared = targets(db, f.tenant_id)
    for row in services:
        row.figures["targeted"] = float(declared.get(row.key, 0) or row.figures.get("accounts", 0))
    hidden = f.service_id is not None and totals["users"] < MIN_GROUP
    # a small group's signals would tell about a few people: only services shown get them
    shown = {
        row.key: int(row.figures["targeted"])
        for row in services
        if row.key is not None
        and not row.hidden
        and (f.service_id is None or row.key == f.service_id)
    }
    by_id = signals.for_services(db, f, shown, activity) if shown else {}
    labels = {row.key: row.label for row in services}
    if f.service_id is not None:  # the quality table shows the chosen service only
        services_shown = [row for row in services if row.key == f.service_id]
    else:
        services_shown = services
    found = {labels[sid]: by_id[sid] for sid in sorted(by_id, key=lambda k: labels[k])}
    return Dashboard(
        filters=f,
        totals=totals,
        hidden=hidden,
        services=services,
        assistants=metrics.by_assistant(db, f, assistant_labels, groups, activity),
        models=metrics.by_model(db, f, groups, activity),
        weeks=metrics.weekly(db, f, activity=activity),
        signals=found,
        accounts=_accounts(db, f),
        targeted=_targeted(db, f, declared),
        quality=quality_block.by_service(db, f, services_shown),
        quality_total=quality_block.total(db, f, totals),
    )


def _targeted(db: Session, f: Filters, declared: dict[int, int]) -> int:
    """The declared target of each service in scope, or its accounts when none is declared."""
    counts = dict(
        db.execute(
            select(User.service_id, func.count(User.id))
            .where(accounts(f))
            .group_by(User.service_id)
        ).all()
    )
    ids = [f.service_id] if f.service_id is not None else list(set(counts) | set(declared))
    return sum(
        declared.get(sid, 0) or int(counts.get(sid, 0)) for sid in ids if sid is not None
    ) + (int(counts.get(None, 0)) if f.service_id is None else 0)
