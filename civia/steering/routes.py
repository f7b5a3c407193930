"""/pilotage: the dashboard and its CSV export, for the pilotage role and admins."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Service, User
from civia.assistants import access
from civia.dates import date_fr
from civia.steering import dashboard, survey_results
from civia.steering.filters import MIN_GROUP, PERIODS, Filters, has_synthetic, period
from civia.usage import equivalents, rates
from civia.web.deps import Db, SteeringUser
from civia.web.render import render

router = APIRouter(prefix="/pilotage")


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(
            422, f"La date « {value} » ({name}) n'est pas valide (AAAA-MM-JJ)."
        ) from None


def _filters(
    db: Session, user: User, periode: str, debut: str, fin: str, service: str, donnees: str
) -> Filters:
    start, end = _date(debut, "début"), _date(fin, "fin")
    if start and end and start > end:
        raise HTTPException(422, "La date de début doit précéder la date de fin.")
    service_id = None
    if service:
        found = None
        if service.isdigit():
            found = db.scalar(
                select(Service.id).where(
                    Service.tenant_id == user.tenant_id, Service.id == int(service)
                )
            )
        if found is None:
            raise HTTPException(404, "Ce service n'existe pas.")
        service_id = found
    synthetic = donnees == "demo" or (donnees == "" and has_synthetic(db, user.tenant_id))
    days = PERIODS.get(periode, 30) if periode != "tout" else None
    if periode == "perso":
        return period(user.tenant_id, days=None, start=start, end=end, service_id=service_id,
                      synthetic=synthetic)  # fmt: skip
    return period(user.tenant_id, days=days, service_id=service_id, synthetic=synthetic)


def _labels(db: Session, user: User) -> dict[str, str]:
    return {spec.id: spec.name for spec in access.available(db, user)}


@router.get("", response_class=HTMLResponse)
def page(
    request: Request, db: Db, user: SteeringUser, periode: str = "30", debut: str = "",
    fin: str = "", service: str = "", donnees: str = "",
) -> Response:  # fmt: skip
    f = _filters(db, user, periode, debut, fin, service, donnees)
    board = dashboard.build(db, f, _labels(db, user))
    services = db.scalars(
        select(Service).where(Service.tenant_id == user.tenant_id).order_by(Service.name)
    ).all()
    return render(
        request, "steering/dashboard.html", board=board, services=services, periode=periode,
        debut=debut, fin=fin, service=service, synthetic=f.synthetic,
        has_synthetic=has_synthetic(db, user.tenant_id), MIN_GROUP=MIN_GROUP,
        targets=dashboard.targets(db, user.tenant_id),
        satisfaction=survey_results.by_wave(db, user.tenant_id, synthetic=f.synthetic),
        since_fr=date_fr(f.since.date()),
        until_fr=date_fr(f.until.date()),
        n=equivalents.number_fr, date_fr=date_fr, mass=equivalents.mass_fr,
        energy=equivalents.energy_fr, total_fr=equivalents.total_fr,
    )  # fmt: skip


CSV_COLUMNS = (
    ("calls", "appels"), ("users", "utilisateurs actifs"), ("prompt_tokens", "jetons en entrée"),
    ("completion_tokens", "jetons en sortie"), ("cost_eur", "coût (€)"),
    ("energy_kwh", "énergie (kWh)"), ("gwp_kgco2eq", "carbone (kgCO2e)"),
    ("validated", "résultats validés"), ("hours_saved", "heures gagnées"),
    ("useful", "avis utile"), ("not_useful", "avis pas utile"),
)  # fmt: skip


@router.get("/export.csv")
def export(
    db: Db, user: SteeringUser, periode: str = "30", debut: str = "", fin: str = "",
    service: str = "", donnees: str = "",
) -> Response:  # fmt: skip
    f = _filters(db, user, periode, debut, fin, service, donnees)
    board = dashboard.build(db, f, _labels(db, user))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["tableau", "ligne", *[label for _, label in CSV_COLUMNS]])
    if not board.hidden:
        writer.writerow(
            ["total", "ensemble", *[_cell(board.totals.get(k, 0)) for k, _ in CSV_COLUMNS]]
        )
        for table, rows in (("service", board.services), ("assistant", board.assistants),
                            ("modèle", board.models)):  # fmt: skip
            for row in rows:
                cells = (
                    ["masqué (moins de 5 utilisateurs)"] * len(CSV_COLUMNS)
                    if row.hidden
                    else [_cell(row.figures.get(k, 0)) for k, _ in CSV_COLUMNS]
                )
                writer.writerow([table, row.label, *cells])
    name = f"pilotage-{f.since.date()}-{f.until.date()}{'-demo' if f.synthetic else ''}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _cell(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


@router.post("/cibles")
async def save_targets(request: Request, db: Db, user: SteeringUser) -> Response:
    """Targeted agents per service: `cible_<service id>` fields, empty = the accounts."""
    form = await request.form()
    services = db.scalars(select(Service.id).where(Service.tenant_id == user.tenant_id)).all()
    found: dict[str, int] = {}
    for sid in services:
        raw = str(form.get(f"cible_{sid}", "")).strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) > 100_000:
            raise HTTPException(422, f"« {raw} » n'est pas un nombre d'agents valide.")
        found[str(sid)] = int(raw)
    row = rates.settings_row(db, user.tenant_id)
    row.targeted_agents = found
    db.commit()
    return RedirectResponse("/pilotage", status_code=303)
