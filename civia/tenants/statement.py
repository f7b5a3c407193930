"""A collectivité's monthly statement, per service, for the centre de gestion to re-bill: calls,
tokens, €, kWh and kgCO2eq from the pilotage ledger (demonstration data left out). CSV in the
French spreadsheet convention (`civia.spreadsheet`) and PDF through the assistants' renderers.
Figures only: the operator may download it, as the collectivité's admin may."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts.models import Service, Tenant
from civia.assistants.context import letterhead, primary_colour
from civia.assistants.document import Heading, OfficialDocument, Paragraph, Provenance, Table
from civia.assistants.renderers import render
from civia.dates import date_fr
from civia.spreadsheet import BOM, FRENCH, safe_cell
from civia.usage.models import LedgerEntry, UsageEvent

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
HEADER = [
    "Service",
    "Appels",
    "Jetons d'entrée",
    "Jetons de sortie",
    "Coût (€)",
    "Énergie min (kWh)",
    "Énergie max (kWh)",
    "Émissions min (kgCO2eq)",
    "Émissions max (kgCO2eq)",
]
NO_SERVICE = "Sans service"


class StatementError(ValueError):
    """French message."""


@dataclass(frozen=True)
class Line:
    service: str
    calls: int
    prompt_tokens: int
    completion_tokens: int
    eur: float
    kwh_min: float
    kwh_max: float
    kg_min: float
    kg_max: float


def parse_month(text: str) -> tuple[datetime, datetime]:
    found = MONTH_RE.match(text)
    if not found:
        raise StatementError("Mois invalide : attendu AAAA-MM (par exemple 2026-12).")
    year, month = int(found.group(1)), int(found.group(2))
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def month_label(text: str) -> str:
    start, _ = parse_month(text)
    return f"{MONTHS_FR[start.month - 1]} {start.year}"


def lines(db: Session, tenant: Tenant, month: str) -> list[Line]:
    """One line per service (ordered by name), then the total."""
    start, end = parse_month(month)
    rows = db.execute(
        select(
            UsageEvent.service_id,
            func.count(UsageEvent.id),
            func.coalesce(func.sum(UsageEvent.prompt_tokens), 0),
            func.coalesce(func.sum(UsageEvent.completion_tokens), 0),
            func.coalesce(func.sum(LedgerEntry.cost_eur), 0.0),
            func.coalesce(func.sum(LedgerEntry.energy_kwh_min), 0.0),
            func.coalesce(func.sum(LedgerEntry.energy_kwh_max), 0.0),
            func.coalesce(func.sum(LedgerEntry.gwp_kgco2eq_min), 0.0),
            func.coalesce(func.sum(LedgerEntry.gwp_kgco2eq_max), 0.0),
        )
        .outerjoin(LedgerEntry, LedgerEntry.usage_event_id == UsageEvent.id)
        .where(
            UsageEvent.tenant_id == tenant.id,
            UsageEvent.created_at >= start,
            UsageEvent.created_at < end,
            UsageEvent.source != "demo",
        )
        .group_by(UsageEvent.service_id)
    ).all()
    names = dict(
        db.execute(select(Service.id, Service.name).where(Service.tenant_id == tenant.id)).all()
    )
    found = [
        Line(
            names.get(row[0], NO_SERVICE) if row[0] else NO_SERVICE,
            int(row[1]),
            int(row[2]),
            int(row[3]),
            *(float(value or 0.0) for value in row[4:9]),
        )
        for row in rows
    ]
    found.sort(key=lambda line: line.service.lower())
    total = Line(
        "Total",
        sum(x.calls for x in found),
        sum(x.prompt_tokens for x in found),
        sum(x.completion_tokens for x in found),
        sum(x.eur for x in found),
        sum(x.kwh_min for x in found),
        sum(x.kwh_max for x in found),
        sum(x.kg_min for x in found),
        sum(x.kg_max for x in found),
    )
    return [*found, total]


def _decimal(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _cells(line: Line) -> list[str]:
    return [
        line.service,
        str(line.calls),
        str(line.prompt_tokens),
        str(line.completion_tokens),
        _decimal(line.eur, 2),
        _decimal(line.kwh_min, 4),
        _decimal(line.kwh_max, 4),
        _decimal(line.kg_min, 4),
        _decimal(line.kg_max, 4),
    ]


def filename(tenant: Tenant, month: str, fmt: str) -> str:
    return f"releve-{tenant.slug}-{month}.{fmt}"


def as_csv(db: Session, tenant: Tenant, month: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, dialect=FRENCH)
    writer.writerow(HEADER)
    for line in lines(db, tenant, month):
        writer.writerow([safe_cell(cell) for cell in _cells(line)])
    return (BOM + out.getvalue()).encode("utf-8")


def as_pdf(db: Session, tenant: Tenant, month: str, *, author: str) -> bytes:
    label = month_label(month)
    today = date_fr(date.today())
    doc = OfficialDocument(
        title=f"Relevé mensuel de consommation – {tenant.name} – {label}"[:200],
        blocks=[
            Heading(text=f"Relevé de consommation de {label}", level=1),
            Paragraph(
                text=f"{tenant.name} : appels aux modèles d'IA, jetons, coût et empreinte "
                f"par service, établi le {today} à partir du registre de pilotage de Civia."
            ),
            Table(header=HEADER, rows=[_cells(line) for line in lines(db, tenant, month)]),
            Paragraph(
                text="Les émissions et l'énergie sont des fourchettes (méthode EcoLogits ou "
                "puissance mesurée) ; le coût suit les prix déclarés pour chaque fournisseur."
            ),
        ],
        provenance=Provenance(
            assistant_id="releve-mensuel",
            assistant_name="Relevé mensuel",
            author=author,
            validated_by=author,
            validated_at=datetime.now(UTC),
            transparency="Relevé calculé par Civia ; aucun texte n'a été rédigé par une "
            "intelligence artificielle.",
        ),
        letterhead=letterhead(tenant),
        primary_colour=primary_colour(tenant),
    )
    data, _, _ = render(doc, "pdf")
    return data
