"""The dashboard's filters (period, service, demo data) and the SQL conditions they make."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants.models import AssistantRun
from civia.usage.models import LedgerEntry, UsageEvent

SYNTHETIC_LOGIN_PREFIX = "demo-fictif-"  # the demo's synthetic agents (see steering.demo)
PERIODS = {"7": 7, "30": 30, "90": 90}
MIN_GROUP = 5  # a service's figures are hidden below this many active users
DEMO_SOURCE = "demo"  # UsageEvent.source of the synthetic demo activity


@dataclass(frozen=True)
class Filters:
    tenant_id: int
    since: datetime
    until: datetime
    service_id: int | None = None
    synthetic: bool = False  # demo data only, or real data only: never both

    @property
    def days(self) -> int:
        return max(1, round((self.until - self.since).total_seconds() / 86400))


def period(
    tenant_id: int,
    *,
    days: int | None = 30,
    start: date | None = None,
    end: date | None = None,
    service_id: int | None = None,
    synthetic: bool = False,
    now: datetime | None = None,
) -> Filters:
    """Last `days` days up to now, or from `start` to the end of `end` (UTC), or since launch."""
    now = now or datetime.now(UTC)
    until = datetime.combine(end, time.max, UTC) if end else now
    if start is not None:
        since = datetime.combine(start, time.min, UTC)
    elif days:
        since = until - timedelta(days=days)
    else:
        since = datetime(2000, 1, 1, tzinfo=UTC)  # since launch
    return Filters(tenant_id, since, until, service_id, synthetic)


def events(f: Filters, *, since: datetime | None = None, until: datetime | None = None) -> Any:
    """Conditions on UsageEvent (outer-joined with LedgerEntry) for these filters."""
    conds = [
        UsageEvent.tenant_id == f.tenant_id,
        UsageEvent.created_at >= (since or f.since),
        UsageEvent.created_at <= (until or f.until),
    ]
    if f.service_id is not None:
        conds.append(UsageEvent.service_id == f.service_id)
    # demo events carry source "demo" (set with their ledger mark): no join needed to tell them
    conds.append(
        UsageEvent.source == DEMO_SOURCE if f.synthetic else UsageEvent.source != DEMO_SOURCE
    )
    return and_(*conds)


def event_source() -> Any:
    """Calls with their ledger row, for sums of € and footprint (counts need no join)."""
    return UsageEvent.__table__.outerjoin(
        LedgerEntry.__table__, LedgerEntry.usage_event_id == UsageEvent.id
    )


def accounts(f: Filters) -> Any:
    """Conditions on User: the active accounts on the same side (demo or real) as the filters."""
    marked = User.login.startswith(SYNTHETIC_LOGIN_PREFIX)
    conds = [
        User.tenant_id == f.tenant_id,
        User.active.is_(True),
        marked if f.synthetic else ~marked,
    ]
    if f.service_id is not None:
        conds.append(User.service_id == f.service_id)
    return and_(*conds)


def synthetic_users(tenant_id: int) -> Any:
    return select(User.id).where(
        User.tenant_id == tenant_id, User.login.startswith(SYNTHETIC_LOGIN_PREFIX)
    )


def runs(f: Filters, *, since: datetime | None = None, until: datetime | None = None) -> Any:
    """Conditions on AssistantRun: runs started in the period (validated or not)."""
    conds = [
        AssistantRun.tenant_id == f.tenant_id,
        AssistantRun.created_at >= (since or f.since),
        AssistantRun.created_at <= (until or f.until),
    ]
    if f.service_id is not None:
        conds.append(AssistantRun.service_id == f.service_id)
    marked = AssistantRun.user_id.in_(synthetic_users(f.tenant_id))
    conds.append(marked if f.synthetic else ~marked)
    return and_(*conds)


def has_synthetic(db: Session, tenant_id: int) -> bool:
    return (
        db.scalar(
            select(LedgerEntry.id)
            .where(LedgerEntry.tenant_id == tenant_id, LedgerEntry.synthetic.is_(True))
            .limit(1)
        )
        is not None
    )
