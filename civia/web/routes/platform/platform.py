"""The platform operator's pages: collectivités, their status and admins, consumption figures."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from civia.accounts.manage import AccountError
from civia.accounts.models import Tenant
from civia.dates import date_fr
from civia.db.base import utcnow
from civia.tenants import platform, statement
from civia.usage import quotas
from civia.web.deps import Db, OperatorUser
from civia.web.render import render

router = APIRouter(prefix="/plateforme")
DONE = {
    "active": "La collectivité est réactivée.",
    "suspended": "La collectivité est suspendue : ses utilisateurs ne peuvent plus se connecter.",
    "archived": "La collectivité est archivée.",
}


def recent_months() -> list[tuple[str, str]]:
    """This month and the previous one: (AAAA-MM, « décembre 2026 »)."""
    today = utcnow().date()
    previous = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return [(m, statement.month_label(m)) for m in (today.strftime("%Y-%m"), previous)]


def _back(message: str) -> Response:
    return RedirectResponse(f"/plateforme?ok={quote(message)}", status_code=303)


def _page(
    request: Request,
    db: Db,
    ok: str = "",
    error: str = "",
    status: int = 200,
    typed: dict[str, str] | None = None,
) -> Response:
    """`typed`: a refused form as sent (never a password), shown again beside the error;
    `typed["for"]` names the collectivité whose form it was (empty: the creation form)."""
    return render(
        request,
        "tenants/platform.html",
        status_code=status,
        rows=platform.consumption(db),
        envelopes=platform.envelopes(db),
        statuses=platform.STATUSES,
        today=date_fr(utcnow().date()),
        months=recent_months(),
        typed=typed or {},
        ok=ok,
        error=error,
    )


@router.get("")
def index(request: Request, db: Db, operator: OperatorUser, ok: str = "") -> Response:
    return _page(request, db, ok=ok)


@router.post("/collectivites")
def create(
    request: Request,
    db: Db,
    operator: OperatorUser,
    slug: Annotated[str, Form(max_length=63)],
    name: Annotated[str, Form(max_length=200)],
) -> Response:
    try:
        tenant = platform.create_collectivite(db, slug=slug, name=name, actor=operator)
    except AccountError as exc:
        typed = {"for": "", "slug": slug, "name": name}
        return _page(request, db, error=str(exc), status=422, typed=typed)
    return _back(f"Collectivité « {tenant.name} » créée.")


@router.post("/collectivites/{slug}/statut")
def change_status(
    request: Request,
    db: Db,
    operator: OperatorUser,
    slug: str,
    status: Annotated[str, Form(max_length=20)],
) -> Response:
    try:
        tenant = platform.get_collectivite(db, slug)
        platform.set_status(db, tenant, status, actor=operator)
    except AccountError as exc:
        return _page(request, db, error=str(exc), status=422)
    return _back(DONE[status])


@router.post("/collectivites/{slug}/administrateur")
def appoint(
    request: Request,
    db: Db,
    operator: OperatorUser,
    slug: str,
    login: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        tenant = platform.get_collectivite(db, slug)
        user = platform.appoint_admin(
            db,
            tenant=tenant,
            login=login,
            password=password,
            display_name=display_name,
            actor=operator,
        )
    except AccountError as exc:
        db.rollback()
        typed = {"for": slug, "login": login, "display_name": display_name}
        return _page(request, db, error=str(exc), status=422, typed=typed)
    return _back(f"{user.login} administre désormais « {tenant.name} ».")


@router.post("/collectivites/{slug}/siret")
def sirets(
    request: Request,
    db: Db,
    operator: OperatorUser,
    slug: str,
    sirets: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        tenant = platform.get_collectivite(db, slug)
        platform.set_sirets(db, tenant, sirets.replace(",", "\n").splitlines(), actor=operator)
    except AccountError as exc:
        return _page(request, db, error=str(exc), status=422)
    return _back(f"SIRET de « {tenant.name} » enregistrés.")


@router.post("/collectivites/{slug}/mots-de-passe")
def local_passwords(
    request: Request,
    db: Db,
    operator: OperatorUser,
    slug: str,
    enabled: Annotated[str, Form(max_length=5)],
) -> Response:
    try:
        tenant = platform.get_collectivite(db, slug)
    except AccountError as exc:
        return _page(request, db, error=str(exc), status=422)
    platform.set_local_passwords(db, tenant, enabled == "oui", actor=operator)
    state = "autorisés" if tenant.local_passwords else "désactivés (authentification unique seule)"
    return _back(f"Mots de passe locaux de « {tenant.name} » : {state}.")


@router.post("/collectivites/{slug}/quota")
def tenant_quota(
    request: Request,
    db: Db,
    operator: OperatorUser,
    slug: str,
    requests_per_minute: Annotated[int | None, Form()] = None,
    tokens_per_day: Annotated[int | None, Form()] = None,
    budget_eur_month: Annotated[float | None, Form()] = None,
    budget_kgco2eq_month: Annotated[float | None, Form()] = None,
    tokens_per_minute: Annotated[int | None, Form()] = None,
) -> Response:
    """The collectivité's envelope; its admin sets its services' and users' quotas below it."""
    values = (
        requests_per_minute,
        tokens_per_day,
        budget_eur_month,
        budget_kgco2eq_month,
        tokens_per_minute,
    )
    try:
        tenant = platform.get_collectivite(db, slug)
        if all(v is None for v in values):
            quotas.clear_quota(db, tenant=tenant)
            return _back(f"Quota de « {tenant.name} » retiré.")
        quotas.set_quota(
            db,
            tenant=tenant,
            requests_per_minute=requests_per_minute,
            tokens_per_day=tokens_per_day,
            budget_eur_month=budget_eur_month,
            budget_kgco2eq_month=budget_kgco2eq_month,
            tokens_per_minute=tokens_per_minute,
        )
    except AccountError as exc:
        return _page(request, db, error=str(exc), status=422)
    return _back(f"Quota de « {tenant.name} » enregistré.")


def statement_response(db: Db, tenant: Tenant, month: str, fmt: str, author: str) -> Response:
    """The monthly statement as a download (CSV in the French convention, or PDF)."""
    try:
        statement.parse_month(month)
    except statement.StatementError as exc:
        raise HTTPException(404, str(exc)) from None
    if fmt == "csv":
        data, mime = statement.as_csv(db, tenant, month), "text/csv; charset=utf-8"
    elif fmt == "pdf":
        data, mime = statement.as_pdf(db, tenant, month, author=author), "application/pdf"
    else:
        raise HTTPException(404, "Format inconnu : choisissez CSV ou PDF.")
    name = statement.filename(tenant, month, fmt)
    return Response(
        data, media_type=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/collectivites/{slug}/releve/{month}.{fmt}")
def monthly_statement(db: Db, operator: OperatorUser, slug: str, month: str, fmt: str) -> Response:
    """Figures only, for re-billing: calls, tokens, €, kWh and kgCO2eq per service."""
    try:
        tenant = platform.get_collectivite(db, slug)
    except AccountError as exc:
        raise HTTPException(404, str(exc)) from None
    return statement_response(db, tenant, month, fmt, operator.display_name or operator.login)
