"""A user's data in the planning area, for the GDPR export and erasure. Survey answers are
anonymous (no link to anyone), so there is nothing of theirs to find there. Erasure deletes the
user's portfolio marks and removes them as author of diagnostics, surveys, grids and cases,
which stay (they belong to the collectivité)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.db.engine import affected
from civia.planning.models import Candidate, CandidateScore, Diagnostic, PlanningGrid, Survey

AUTHORED = (Diagnostic, Survey, PlanningGrid, Candidate)


def export_marks(db: Session, user: User) -> list[dict[str, Any]]:
    rows = db.execute(
        select(Candidate.title, CandidateScore)
        .join(Candidate, Candidate.id == CandidateScore.candidate_id)
        .where(CandidateScore.user_id == user.id, CandidateScore.tenant_id == user.tenant_id)
        .order_by(CandidateScore.id)
    )
    return [
        {
            "cas_candidat": title,
            "impact": mark.impact,
            "facilite": mark.ease,
            "acceptabilite": mark.acceptability,
        }
        for title, mark in rows
    ]


def erase(db: Session, user: User) -> int:
    """How many marks were deleted (authorship links are removed as well)."""
    options = {"synchronize_session": False}
    marks = affected(
        db.execute(
            delete(CandidateScore).where(CandidateScore.user_id == user.id),
            execution_options=options,
        )
    )
    for model in AUTHORED:
        db.execute(update(model).where(model.created_by == user.id).values(created_by=None))
    return marks
