"""The use-case register: list, create and edit cards (the review itself is in gov_review)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy import select
from starlette.datastructures import FormData

from civia.accounts.models import Service, User
from civia.governance import usecases
from civia.governance.models import UseCase
from civia.governance.usecases import Card, CardError, WorkflowError
from civia.web.deps import CaseEditor, CaseViewer, Db
from civia.web.render import render
from civia.web.routes.gov_gate import back

router = APIRouter(prefix="/gouvernance/cas-usage")
LABELS: dict[str, Any] = {
    "usecases": usecases,
    "STATUS_LABELS": usecases.STATUS_LABELS,
    "RISK_LABELS": usecases.RISK_LABELS,
    "RISK_HELP": usecases.RISK_HELP,
    "DATA_CATEGORIES": usecases.DATA_CATEGORIES,
}


def case_of(db: Db, user: User, case_id: int) -> UseCase:
    case = usecases.get(db, user.tenant_id, case_id)
    if case is None:
        raise HTTPException(404, "Cas d'usage introuvable.")
    return case


def refuse(
    request: Request, db: Db, user: User, case_id: int | None, attempted: str, exc: WorkflowError
) -> Response:
    """Undo the attempt, audit the refusal (committed with the response) and explain it."""
    db.rollback()
    usecases.record_refusal(
        db, tenant_id=user.tenant_id, actor=user, case_id=case_id, attempted=attempted, error=exc
    )
    return render(request, "error.html", status_code=exc.status, message=str(exc))


def _services(db: Db, user: User) -> list[Service]:
    stmt = select(Service).where(Service.tenant_id == user.tenant_id).order_by(Service.name)
    return list(db.scalars(stmt))


@router.get("")
def register(
    request: Request, db: Db, user: CaseViewer, statut: str = "", ok: str = ""
) -> Response:
    cases = usecases.for_tenant(db, user.tenant_id, statut)
    services = {s.id: s.name for s in _services(db, user)}
    return render(
        request,
        "governance/usecases.html",
        cases=cases,
        services=services,
        counts=usecases.counts(db, user.tenant_id),
        assistants=usecases.assistant_choices(db, user.tenant_id),
        statut=statut,
        ok=ok,
        **LABELS,
    )


def _form(
    request: Request,
    db: Db,
    user: User,
    *,
    card: Card,
    case: UseCase | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "governance/usecase_form.html",
        status_code=422 if errors else 200,
        card=card,
        case=case,
        errors=errors or {},
        services=_services(db, user),
        assistants=usecases.assistant_choices(db, user.tenant_id),
        **LABELS,
    )


@router.get("/nouveau")
def new(request: Request, db: Db, user: CaseEditor, assistant: str = "") -> Response:
    card = Card(assistant_id=assistant, title="", owner_service_id=user.service_id)
    return _form(request, db, user, card=card)


def card_from(form: FormData) -> Card:
    def text(name: str, limit: int = 5000) -> str:
        value = form.get(name)
        return value[:limit] if isinstance(value, str) else ""

    errors: dict[str, str] = {}

    def number(name: str) -> int | None:
        value = text(name, 20).strip()
        if not value:
            return None
        if not value.isdigit():
            errors[name] = "Indiquez un nombre entier."
            return None
        return int(value)

    card = Card(
        assistant_id=text("assistant_id", 100),
        title=text("title", 200),
        purpose=text("purpose"),
        owner_service_id=number("owner_service_id"),
        users_description=text("users_description"),
        data_categories=[v for v in form.getlist("data_categories") if isinstance(v, str)],
        hosting_class=text("hosting_class", 20),
        human_oversight=text("human_oversight"),
        overseers=text("overseers", 2000),
        expected_benefit=text("expected_benefit"),
        risk_class=text("risk_class", 20),
        risk_notes=text("risk_notes"),
        fria=text("fria", 50_000),
        training_required=text("training_required", 10) == "true",
        retention_days=number("retention_days"),
    )
    if errors:
        raise CardError(errors)
    return card


@router.post("")
async def create(request: Request, db: Db, user: CaseEditor) -> Response:
    form = await request.form()
    try:
        card = card_from(form)
        case = usecases.create(db, actor=user, card=card)
    except CardError as exc:
        db.rollback()
        draft = _draft(form)
        return _form(request, db, user, card=draft, errors=exc.errors)
    return back(f"/gouvernance/cas-usage/{case.id}", "Fiche créée (brouillon).")


def _draft(form: FormData) -> Card:
    """What was typed, to show again next to the errors."""
    values: dict[str, Any] = {
        name: form.get(name) or "" for name in Card.__dataclass_fields__ if name in form
    }
    values["data_categories"] = [v for v in form.getlist("data_categories") if isinstance(v, str)]
    for name in ("owner_service_id", "retention_days"):
        raw = str(form.get(name) or "").strip()
        values[name] = int(raw) if raw.isdigit() else None
    values["training_required"] = form.get("training_required") == "true"
    values.setdefault("assistant_id", "")
    values.setdefault("title", "")
    return Card(**values)


@router.get("/{case_id}/modifier")
def edit(request: Request, db: Db, user: CaseEditor, case_id: int) -> Response:
    case = case_of(db, user, case_id)
    return _form(request, db, user, card=Card.of(case), case=case)


@router.post("/{case_id}/modifier")
async def save(request: Request, db: Db, user: CaseEditor, case_id: int) -> Response:
    case = case_of(db, user, case_id)
    form = await request.form()
    try:
        usecases.update(db, case, actor=user, card=card_from(form))
    except CardError as exc:
        db.rollback()
        return _form(request, db, user, card=_draft(form), case=case, errors=exc.errors)
    except WorkflowError as exc:
        return refuse(request, db, user, case_id, "update", exc)
    return back(f"/gouvernance/cas-usage/{case.id}", "Fiche enregistrée.")
