"""Daily counts of the public assistant, kept after the exchanges are purged: questions, how
they ended, ratings, messages passed to an agent. Read by `/pilotage/citoyens` (« qualité
perçue par les citoyens ») and `civia citizens stats`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from civia.citizens.models import CitizenDay, Outcome
from civia.db.base import utcnow

PARIS = ZoneInfo("Europe/Paris")
COLUMN_OF_OUTCOME = {
    Outcome.ANSWERED: "answered",
    Outcome.EXTRACTS: "answered",
    Outcome.NOT_FOUND: "not_found",
    Outcome.REFUSED: "refused",
    Outcome.ERROR: "errors",
}
COUNTERS = (
    "questions", "answered", "not_found", "refused", "errors", "useful", "not_useful", "to_agent",
)  # fmt: skip


def today() -> date:
    return utcnow().astimezone(PARIS).date()


def _row_id(db: Session, tenant_id: int, day: date) -> int:
    found = db.scalar(
        select(CitizenDay.id).where(CitizenDay.tenant_id == tenant_id, CitizenDay.day == day)
    )
    if found is not None:
        return found
    try:
        with db.begin_nested():
            row = CitizenDay(tenant_id=tenant_id, day=day)
            db.add(row)
        return row.id
    except IntegrityError:  # created at the same moment by another request
        found = db.scalar(
            select(CitizenDay.id).where(CitizenDay.tenant_id == tenant_id, CitizenDay.day == day)
        )
        assert found is not None
        return found


def bump(db: Session, tenant_id: int, *columns: str, by: int = 1) -> None:
    """Add `by` to today's counters (an UPDATE … SET x = x + 1: concurrent requests add up)."""
    row_id = _row_id(db, tenant_id, today())
    values = {c: getattr(CitizenDay, c) + by for c in columns}
    db.execute(update(CitizenDay).where(CitizenDay.id == row_id).values(**values))


def count(db: Session, tenant_id: int, outcome: str) -> None:
    bump(db, tenant_id, "questions", COLUMN_OF_OUTCOME[outcome])


@dataclass
class Figures:
    days: int
    questions: int
    answered: int
    not_found: int
    refused: int
    errors: int
    useful: int
    not_useful: int
    to_agent: int

    @property
    def rated(self) -> int:
        return self.useful + self.not_useful

    @property
    def satisfaction(self) -> float | None:
        """Share of the rated answers found useful (None before any rating)."""
        return self.useful / self.rated if self.rated else None

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.questions if self.questions else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "satisfaction": self.satisfaction, "answer_rate": self.answer_rate}


def figures(db: Session, tenant_id: int, days: int = 30) -> Figures:
    since = today() - timedelta(days=days - 1)
    sums = db.execute(
        select(*(func.coalesce(func.sum(getattr(CitizenDay, c)), 0) for c in COUNTERS)).where(
            CitizenDay.tenant_id == tenant_id, CitizenDay.day >= since
        )
    ).one()
    return Figures(days, *(int(v) for v in sums))
