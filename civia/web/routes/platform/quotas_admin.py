"""A collectivité's admin: quotas of its services and users, within the collectivité's quota
that the platform operator sets (`civia quotas set --tenant`), and today's consumption."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from civia.accounts.manage import AccountError
from civia.accounts.models import Service, User
from civia.usage import quotas
from civia.usage.equivalents import number_fr
from civia.usage.models import Quota
from civia.web.deps import AdminUser, Db
from civia.web.render import render
from civia.web.routes.platform.platform import recent_months, statement_response

router = APIRouter(prefix="/admin/quotas")


def _rows(db: Db, request: Request, admin: User) -> list[dict[str, object]]:
    keeper = request.app.state.gateway.quotas
    rows = []
    query = select(Quota).where(Quota.tenant_id == admin.tenant_id).order_by(Quota.id)
    for q in db.scalars(query):
        if q.user_id:
            user = db.get(User, q.user_id)
            label, key = f"Utilisateur {user.login if user else '?'}", f"u{q.user_id}"
            value = key
        elif q.service_id:
            service = db.get(Service, q.service_id)
            label, key = f"Service {service.name if service else '?'}", f"s{q.service_id}"
            value = key
        else:
            label, key, value = "Collectivité (fixé par la plateforme)", f"t{q.tenant_id}", ""
        scope = quotas.Scope(
            "user" if q.user_id else "service" if q.service_id else "tenant", key, q
        )
        eur, kg = quotas.month_spent(db, scope)
        rows.append(
            {
                "label": label,
                "quota": q,
                "used": keeper.used_today(key),
                "value": value,
                "eur": number_fr(eur, 2),
                "kg": number_fr(kg, 3),
                "budget_eur": _or_dash(q.budget_eur_month, 2),
                "budget_kg": _or_dash(q.budget_kgco2eq_month, 3),
            }
        )
    return rows


def _or_dash(value: float | None, digits: int) -> str:
    return "—" if value is None else number_fr(value, digits)


def _page(request: Request, db: Db, admin: User, ok: str = "", error: str = "") -> Response:
    tenant_id = admin.tenant_id
    services = db.scalars(
        select(Service).where(Service.tenant_id == tenant_id).order_by(Service.name)
    ).all()
    users = db.scalars(select(User).where(User.tenant_id == tenant_id).order_by(User.login)).all()
    return render(
        request,
        "tenants/quotas.html",
        status_code=422 if error else 200,
        rows=_rows(db, request, admin),
        services=services,
        users=users,
        months=recent_months(),
        ok=ok,
        error=error,
    )


@router.get("")
def index(request: Request, db: Db, admin: AdminUser, ok: str = "") -> Response:
    return _page(request, db, admin, ok=ok)


@router.get("/releve/{month}.{fmt}")
def monthly_statement(db: Db, admin: AdminUser, month: str, fmt: str) -> Response:
    """The collectivité's own monthly statement (the one its centre de gestion re-bills)."""
    return statement_response(db, admin.tenant, month, fmt, admin.display_name or admin.login)


def _scope(db: Db, admin: User, scope: str) -> tuple[Service | None, User | None]:
    """`s<id>` or `u<id>` of the admin's own collectivité; anything else is refused."""
    kind, raw = scope[:1], scope[1:]
    if raw.isdigit() and kind == "s":
        service = db.get(Service, int(raw))
        if service is not None and service.tenant_id == admin.tenant_id:
            return service, None
    if raw.isdigit() and kind == "u":
        user = db.get(User, int(raw))
        if user is not None and user.tenant_id == admin.tenant_id:
            return None, user
    raise AccountError("Choisissez un service ou un utilisateur de votre collectivité.")


def _envelope(
    db: Db,
    admin: User,
    rpm: int | None,
    tokens: int | None,
    eur: float | None = None,
    kg: float | None = None,
    tpm: int | None = None,
) -> None:
    top = db.scalar(
        select(Quota).where(
            Quota.tenant_id == admin.tenant_id, Quota.service_id.is_(None), Quota.user_id.is_(None)
        )
    )
    if top is None:
        return
    if top.requests_per_minute and rpm and rpm > top.requests_per_minute:
        raise AccountError(
            f"Au plus {top.requests_per_minute} requêtes par minute : "
            "le quota de la collectivité, fixé par la plateforme."
        )
    if top.budget_eur_month and eur and eur > top.budget_eur_month:
        raise AccountError(
            f"Au plus {number_fr(top.budget_eur_month, 2)} € par mois : "
            "le budget de la collectivité, fixé par la plateforme."
        )
    if top.budget_kgco2eq_month and kg and kg > top.budget_kgco2eq_month:
        raise AccountError(
            f"Au plus {number_fr(top.budget_kgco2eq_month, 3)} kgCO2eq par mois : "
            "le budget carbone de la collectivité, fixé par la plateforme."
        )
    if top.tokens_per_minute and tpm and tpm > top.tokens_per_minute:
        raise AccountError(
            f"Au plus {top.tokens_per_minute} jetons par minute : "
            "le quota de la collectivité, fixé par la plateforme."
        )
    if top.tokens_per_day and tokens and tokens > top.tokens_per_day:
        raise AccountError(
            f"Au plus {top.tokens_per_day} jetons par jour : "
            "le quota de la collectivité, fixé par la plateforme."
        )


@router.post("")
def save(
    request: Request,
    db: Db,
    admin: AdminUser,
    scope: Annotated[str, Form(max_length=20)],
    requests_per_minute: Annotated[int | None, Form()] = None,
    tokens_per_day: Annotated[int | None, Form()] = None,
    budget_eur_month: Annotated[float | None, Form()] = None,
    budget_kgco2eq_month: Annotated[float | None, Form()] = None,
    tokens_per_minute: Annotated[int | None, Form()] = None,
) -> Response:
    try:
        service, user = _scope(db, admin, scope)
        _envelope(
            db,
            admin,
            requests_per_minute,
            tokens_per_day,
            budget_eur_month,
            budget_kgco2eq_month,
            tokens_per_minute,
        )
        quotas.set_quota(
            db,
            tenant=admin.tenant,
            service=service,
            user=user,
            requests_per_minute=requests_per_minute,
            tokens_per_day=tokens_per_day,
            budget_eur_month=budget_eur_month,
            budget_kgco2eq_month=budget_kgco2eq_month,
            tokens_per_minute=tokens_per_minute,
        )
    except AccountError as exc:
        return _page(request, db, admin, error=str(exc))
    return RedirectResponse(f"/admin/quotas?ok={quote('Quota enregistré.')}", status_code=303)


@router.post("/retirer")
def clear(
    request: Request, db: Db, admin: AdminUser, scope: Annotated[str, Form(max_length=20)]
) -> Response:
    try:
        service, user = _scope(db, admin, scope)
    except AccountError as exc:
        return _page(request, db, admin, error=str(exc))
    quotas.clear_quota(db, tenant=admin.tenant, service=service, user=user)
    return RedirectResponse(f"/admin/quotas?ok={quote('Quota retiré.')}", status_code=303)
