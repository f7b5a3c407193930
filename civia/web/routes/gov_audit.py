"""The audit journal for the DPO, the comité and admins: filters, integrity check, CSV export."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.db.engine import session_scope
from civia.web.deps import AuditorUser, Db
from civia.web.render import render
from civia.web.routes.gov_gate import day

router = APIRouter()


def _filters(action: str, login: str, du: str, au: str) -> audit.Filters:
    return audit.Filters(
        action=action.strip(), login=login.strip(), since=day(du), until=day(au, end=True)
    )


@router.get("/gouvernance/journal")
def journal(
    request: Request,
    db: Db,
    user: AuditorUser,
    action: str = "",
    login: str = "",
    du: str = "",
    au: str = "",
    verifier: bool = False,
) -> Response:
    filters = _filters(action, login, du, au)
    entries, total = audit.search(db, tenant_id=user.tenant_id, filters=filters)
    problems = audit.verify(db, chain=user.tenant_id) if verifier else None
    return render(
        request,
        "governance/audit.html",
        entries=entries,
        who=audit.who(db, entries),
        total=total,
        actions=audit.ACTIONS,
        form={"action": action, "login": login, "du": du, "au": au},
        query=request.url.query,
        problems=problems,
        json=json,
    )


@router.get("/gouvernance/journal.csv")
def journal_csv(
    request: Request,
    db: Db,
    user: AuditorUser,
    action: str = "",
    login: str = "",
    du: str = "",
    au: str = "",
) -> Response:
    filters = _filters(action, login, du, au)
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="audit.exported",
        target="journal",
        # The filtered account by id, never its login: the chain outlives an erasure.
        details={"action": action, "utilisateur": _user_id(db, user, login), "du": du, "au": au},
    )
    db.commit()  # the export is itself in the export
    name = f"journal-audit-{user.tenant.slug}.csv"
    return StreamingResponse(
        _rows(request.app.state.sessions, user.tenant_id, filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _rows(factory: sessionmaker[Session], tenant_id: int, filters: audit.Filters) -> Iterator[str]:
    # Its own session: the request's one is closed before the body streams.
    with session_scope(factory) as db:
        stmt = audit.query(db, tenant_id=tenant_id, filters=filters)
        yield from audit.csv_rows(db, db.scalars(stmt.execution_options(yield_per=500)))


def _user_id(db: Session, user: User, login: str) -> int | None:
    if not login.strip():
        return None
    return db.scalar(
        select(User.id).where(User.login == login.strip().lower(), User.tenant_id == user.tenant_id)
    )
