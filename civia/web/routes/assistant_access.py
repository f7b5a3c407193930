"""Which assistants and results a user reaches: 404 for the others (one helper for the
assistant pages and their launch routes)."""

from __future__ import annotations

from fastapi import HTTPException
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants import builder, runs
from civia.assistants.models import AssistantRun
from civia.assistants.spec import AssistantSpec

NO_ASSISTANT = "Cet assistant n'existe pas ou n'est pas disponible."
NO_RESULT = "Ce résultat n'existe pas."


def spec_or_404(db: Session, user: User, assistant_id: str) -> AssistantSpec:
    """An assistant the user may open: a built-in, one published to them, or their draft."""
    spec = builder.find_for_owner(db, user, assistant_id)  # owners also try their drafts
    if spec is None:
        raise HTTPException(404, NO_ASSISTANT)
    return spec


def run_or_404(db: Session, user: User, run_id: int) -> AssistantRun:
    """One of the user's own results."""
    found = runs.get_owned(db, user=user, run_id=run_id)
    if found is None:
        raise HTTPException(404, NO_RESULT)
    return found
