"""/pilotage/tarifs: what admins declare for cost and footprint (prices per million tokens,
parameter counts, hosting zone, €/kWh, PUE, WUE)."""

from __future__ import annotations

from typing import Annotated

from ecologits.tracers.utils import PROVIDER_CONFIG_MAP
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.providers.models import Provider
from civia.usage import footprint, rates
from civia.usage.models import DEFAULT_ZONE, ProviderRate
from civia.web.deps import AdminUser, Db
from civia.web.render import render

router = APIRouter(prefix="/pilotage/tarifs")
Number = Annotated[str, Form(max_length=30)]
KNOWN = tuple(PROVIDER_CONFIG_MAP)


def _number(value: str, label: str, errors: list[str], *, optional: bool = False) -> float | None:
    text = value.strip().replace(",", ".").replace("\u202f", "").replace(" ", "")
    if not text:
        return None if optional else 0.0
    try:
        number = float(text)
    except ValueError:
        errors.append(f"« {value} » n'est pas un nombre ({label}).")
        return None
    if number < 0 or number != number or number > 1e6:
        errors.append(f"{label} : une valeur positive est attendue.")
        return None
    return number


def _page(request: Request, db: Session, user: User, errors: list[str], status: int = 200,
          saved: str = "") -> Response:  # fmt: skip
    providers = db.scalars(
        select(Provider).where(Provider.tenant_id == user.tenant_id).order_by(Provider.id)
    ).all()
    found = db.scalars(select(ProviderRate).where(ProviderRate.tenant_id == user.tenant_id)).all()
    by_provider = {r.provider_id: r for r in found}
    return render(
        request, "steering/rates.html", status_code=status, providers=providers,
        by_provider=by_provider, settings_row=rates.settings_row(db, user.tenant_id),
        errors=errors, known=KNOWN, saved=saved, local_params=footprint.LOCAL_PARAMS_B,
    )  # fmt: skip


@router.get("")
def page(request: Request, db: Db, user: AdminUser) -> Response:
    response = _page(request, db, user, [], saved=request.query_params.get("ok", ""))
    db.commit()  # the settings row is created with its defaults on first visit
    return response


@router.post("/fournisseurs/{provider_id}")
def save_provider(
    request: Request, db: Db, user: AdminUser, provider_id: int,
    price_in: Number = "", price_out: Number = "", active: Number = "", total: Number = "",
    zone: Annotated[str, Form(max_length=3)] = DEFAULT_ZONE,
    ecologits_provider: Annotated[str, Form(max_length=40)] = "",
) -> Response:  # fmt: skip
    provider = db.get(Provider, provider_id)
    if provider is None or provider.tenant_id != user.tenant_id:
        raise HTTPException(404, "Ce fournisseur n'existe pas.")
    errors: list[str] = []
    values = (
        _number(price_in, "prix en entrée", errors),
        _number(price_out, "prix en sortie", errors),
        _number(active, "paramètres actifs", errors, optional=True),
        _number(total, "paramètres totaux", errors, optional=True),
    )
    zone = zone.strip().upper() or DEFAULT_ZONE
    if footprint.mix(zone) is None:
        errors.append(f"Zone « {zone} » inconnue : utilisez un code pays ISO à 3 lettres (FRA).")
    if ecologits_provider and ecologits_provider not in KNOWN:
        errors.append("Fournisseur ecologits inconnu : " + ", ".join(KNOWN) + ".")
    if errors:
        return _page(request, db, user, errors, status=422)
    row = db.scalar(select(ProviderRate).where(ProviderRate.provider_id == provider.id))
    if row is None:
        row = ProviderRate(tenant_id=user.tenant_id, provider_id=provider.id)
        db.add(row)
    row.eur_per_mtok_input, row.eur_per_mtok_output = values[0] or 0.0, values[1] or 0.0
    row.active_params_b, row.total_params_b = values[2], values[3]
    row.zone, row.ecologits_provider = zone, ecologits_provider
    audit.record(db, tenant_id=user.tenant_id, actor=user,
                 action="steering.rates", target=f"provider:{provider.id}",
                 details={"zone": zone, "price_in": row.eur_per_mtok_input,
                          "price_out": row.eur_per_mtok_output})  # fmt: skip
    db.commit()
    rates.clear()
    return RedirectResponse("/pilotage/tarifs?ok=fournisseur", status_code=303)


@router.post("/reglages")
def save_settings(
    request: Request, db: Db, user: AdminUser, eur_per_kwh: Number = "", pue: Number = "",
    wue: Number = "", server_power_w: Number = "",
) -> Response:  # fmt: skip
    errors: list[str] = []
    kwh = _number(eur_per_kwh, "prix du kWh", errors)
    p = _number(pue, "PUE", errors)
    w = _number(wue, "WUE", errors)
    power = _number(server_power_w, "puissance du serveur", errors)
    if p is not None and p < 1:
        errors.append("Le PUE vaut au moins 1 (toute l'énergie va aux serveurs).")
    if errors:
        return _page(request, db, user, errors, status=422)
    row = rates.settings_row(db, user.tenant_id)
    row.eur_per_kwh, row.pue, row.wue = kwh or 0.0, p or 1.0, w or 0.0
    row.server_power_w = power or 0.0
    details = {"eur_per_kwh": row.eur_per_kwh, "pue": row.pue, "wue": row.wue}
    audit.record(db, tenant_id=user.tenant_id, actor=user, action="steering.settings",
                 target="steering", details=details)  # fmt: skip
    db.commit()
    rates.clear()
    return RedirectResponse("/pilotage/tarifs?ok=reglages", status_code=303)
