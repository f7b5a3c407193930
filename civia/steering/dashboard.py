"""Everything the dashboard page, its CSV and `civia steering summary` show, from one function."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.db.models import Service, User
from civia.steering import metrics, signals
from civia.steering.filters import MIN_GROUP, Filters, accounts

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

    def summary(self) -> dict[str, float]:
        return {key: self.totals.get(key, 0.0) for key in SUMMARY_KEYS}


def _accounts(db: Session, f: Filters) -> int:
    return int(db.scalar(select(func.count(User.id)).where(accounts(f))) or 0)


def build(db: Session, f: Filters, assistant_labels: dict[str, str] | None = None) -> Dashboard:
    totals = metrics.totals(db, f)
    services = metrics.by_service(db, f)
    hidden = f.service_id is not None and totals["users"] < MIN_GROUP
    found: dict[str, list[signals.Signal]] = {}
    service_ids = db.scalars(select(Service.id).where(Service.tenant_id == f.tenant_id)).all()
    accounts_by_service = {row.key: int(row.figures.get("accounts", 0)) for row in services}
    for sid in service_ids:
        if f.service_id is not None and sid != f.service_id:
            continue
        row = next((r for r in services if r.key == sid), None)
        if row is None or row.hidden:
            continue  # a small group's signals would tell about a few people
        found[row.label] = signals.for_service(
            db, replace(f, service_id=sid), accounts_by_service.get(sid, 0)
        )
    return Dashboard(
        filters=f,
        totals=totals,
        hidden=hidden,
        services=services,
        assistants=metrics.by_assistant(db, f, assistant_labels),
        models=metrics.by_model(db, f),
        weeks=metrics.weekly(db, f),
        signals=found,
        accounts=_accounts(db, f),
    )
