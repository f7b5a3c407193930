"""A user's portfolio marks in the GDPR export and erasure."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.governance import dsr
from civia.planning import diagnostics, portfolio
from civia.planning.grid import builtin
from civia.planning.models import CandidateScore, Diagnostic
from tests.conftest import Personas


def test_marks_exported_then_erased(client: TestClient, personas: Personas) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        pilot, dpo = db.merge(personas["pilotage"]), db.merge(personas["dpo"])
        admin = db.merge(personas["admin"])
        case = portfolio.create(db, user=pilot, title="Courriels récurrents")
        for who, impact in ((pilot, "4"), (admin, "2")):
            portfolio.rate(
                db, user=who, case=case, marks={"impact": impact, "ease": "3", "acceptability": "5"}
            )
        answers = {q.id: 1 for d in builtin().dimensions for q in d.questions}
        diagnostics.create(db, user=pilot, grid=builtin(), title="Diagnostic", answers=answers)
        hooks = client.app.state.registries.governance  # type: ignore[attr-defined]
        exported = dsr.export_user(db, pilot, hooks=hooks)
        assert exported["notes_du_portefeuille"] == [
            {"cas_candidat": "Courriels récurrents", "impact": 4, "facilite": 3, "acceptabilite": 5}
        ]
        counts = dsr.erase_user(db, dpo=dpo, person=pilot, hooks=hooks)
        assert counts["notes_du_portefeuille"] == 1
        remaining = db.scalars(select(CandidateScore)).all()
        assert [m.user_id for m in remaining] == [admin.id]  # others' marks stay
        assert db.scalars(select(Diagnostic)).one().created_by is None
        assert case.created_by is None
        db.rollback()
