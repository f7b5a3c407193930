"""Data-subject rights and retention: « Mes données » (every user, even before accepting the
charter), the DPO's erasure, the retention periods and public contact (DPO, admins)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from sqlalchemy import select

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.governance import dsr, retention
from civia.web.deps import Db, DpoUser, KeeperUser, UserBeforeCharter
from civia.web.json_schema import JSON_TAG, JsonDocument, responses
from civia.web.render import render
from civia.web.routes.gov_gate import back

router = APIRouter()
Days = Annotated[str, Form(max_length=10)]


@router.get("/compte/mes-donnees")
def my_data(request: Request, db: Db, user: UserBeforeCharter) -> Response:
    return render(
        request,
        "governance/my_data.html",
        counts=dsr.summary(db, user, request.app.state.registries.governance),
        settings=retention.settings_for(db, user.tenant_id),
        kinds=retention.KINDS,
    )


@router.get("/compte/mes-donnees.json", tags=[JSON_TAG], responses=responses(200, JsonDocument))
def my_data_json(request: Request, db: Db, user: UserBeforeCharter) -> Response:
    data = dsr.export_user(db, user, hooks=request.app.state.registries.governance)
    audit.record(
        db, tenant_id=user.tenant_id, actor=user, action="dsr.export", target=f"user:{user.id}"
    )
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    name = f"mes-donnees-civia-{user.login}.json"
    return Response(
        body,
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/gouvernance/parametres")
def settings_page(request: Request, db: Db, user: KeeperUser, ok: str = "") -> Response:
    return _settings(request, db, user, ok=ok)


def _settings(
    request: Request,
    db: Db,
    user: User,
    *,
    ok: str = "",
    error: str = "",
    values: retention.Retention | None = None,
) -> Response:
    return render(
        request,
        "governance/settings.html",
        status_code=422 if error else 200,
        settings=values or retention.settings_for(db, user.tenant_id),
        kinds=retention.KINDS,
        audio_policies=retention.AUDIO_POLICIES,
        audio_review_days=retention.AUDIO_REVIEW_MAX_DAYS,
        minimum=audit.AUDIT_MIN_DAYS,
        ok=ok,
        error=error,
    )


def _days(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise retention.SettingsError(f"« {value} » n'est pas un nombre de jours.")
    return int(value)


@router.post("/gouvernance/parametres")
def save_settings(
    request: Request,
    db: Db,
    user: KeeperUser,
    conversations_days: Days = "",
    runs_days: Days = "",
    audio_days: Days = "",
    documents_days: Days = "",
    audit_days: Days = "",
    contact: Annotated[str, Form(max_length=1000)] = "",
    audio_policy: Annotated[str, Form(max_length=20)] = "review",
) -> Response:
    try:
        values = retention.Retention(
            conversations_days=_days(conversations_days),
            runs_days=_days(runs_days),
            audio_days=_days(audio_days),
            documents_days=_days(documents_days),
            audit_days=_days(audit_days) or audit.AUDIT_DEFAULT_DAYS,
            contact=contact.strip(),
            audio_policy=audio_policy,
        )
        retention.save_settings(db, actor=user, values=values)
    except retention.SettingsError as exc:
        db.rollback()
        return _settings(request, db, user, error=str(exc))
    return back("/gouvernance/parametres", "Paramètres enregistrés.")


def _person(db: Db, dpo: User, user_id: int) -> User:
    person = db.get(User, user_id)
    if person is None or person.tenant_id != dpo.tenant_id:
        raise HTTPException(404, "Personne introuvable.")
    return person


@router.get("/gouvernance/droits")
def rights(request: Request, db: Db, user: DpoUser, login: str = "", ok: str = "") -> Response:
    person = None
    if login.strip():
        person = db.scalar(
            select(User).where(
                User.login == login.strip().lower(), User.tenant_id == user.tenant_id
            )
        )
    return render(
        request,
        "governance/rights.html",
        login=login,
        person=person,
        counts=(dsr.summary(db, person, request.app.state.registries.governance) if person else {}),
        ok=ok,
    )


@router.post("/gouvernance/droits/{user_id}/effacer")
def erase(
    request: Request,
    db: Db,
    user: DpoUser,
    user_id: int,
    confirmation: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    person = _person(db, user, user_id)
    if confirmation.strip().lower() != person.login:
        message = f"Confirmation incorrecte : saisissez exactement « {person.login} »."
        return render(request, "error.html", status_code=422, message=message)
    try:
        counts = dsr.erase_user(
            db, dpo=user, person=person, hooks=request.app.state.registries.governance
        )
    except dsr.RightsError as exc:
        db.rollback()
        return render(request, "error.html", status_code=409, message=str(exc))
    total = counts["conversations"] + counts["runs"]
    return back(
        "/gouvernance/droits",
        f"Données effacées ({total} conversation(s) et résultat(s)) ; compte anonymisé.",
    )
