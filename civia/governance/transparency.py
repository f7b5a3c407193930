"""The public register (CRPA L312-1-3, AI Act Art. 50): what is actually in use in a
collectivité — its published assistants and the built-ins it offers, each with the approved,
piloted or generalised card it runs under, and the built-ins still offered without one — as a
page and as open data (JSON, CSV). Nothing personal is published: no names of agents or
overseers, no comments, no votes."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Tenant
from civia.assistants.catalogue import builtins
from civia.assistants.models import AssistantDefinition
from civia.assistants.spec import Status
from civia.db.base import utcnow
from civia.governance import retention, standing
from civia.governance.models import UseCase
from civia.governance.usecases import (
    PUBLIC_STATUSES,
    RISK_LABELS,
    STATUS_LABELS,
    CaseStatus,
    RiskClass,
)
from civia.providers.models import HOSTING_LABELS, HostingClass
from civia.spreadsheet import BOM, FRENCH, safe_row

COLUMNS = (
    "identifiant",
    "titre",
    "finalite",
    "classe_de_risque",
    "classe_de_risque_code",
    "controle_humain",
    "hebergement_du_modele",
    "hebergement_du_modele_code",
    "statut",
    "depuis",
    "assistants",
)


def tenant_by_slug(db: Session, slug: str) -> Tenant | None:
    # The operators' own tenant is no collectivité: it has no public register.
    return db.scalar(select(Tenant).where(Tenant.slug == slug, Tenant.kind != "platform"))


def published(db: Session, tenant_id: int) -> list[UseCase]:
    stmt = select(UseCase).where(
        UseCase.tenant_id == tenant_id, UseCase.status.in_([s.value for s in PUBLIC_STATUSES])
    )
    return list(db.scalars(stmt.order_by(UseCase.title)))


def in_use(
    db: Session, tenant_id: int, services: dict[str, str] | None = None
) -> list[tuple[UseCase, list[str]]]:
    """Each public card with the names of the assistants actually in use under it; a card
    under which nothing runs (an assistant not yet published) is left out. `services`: other
    areas' services switched on ({card's assistant id: name}, e.g. the public assistant)."""
    covered: dict[int, list[str]] = {}
    for item in standing.coverage(db, tenant_id).values():
        if item.approved and item.case is not None:
            covered.setdefault(item.case.id, []).append(item.spec.name)
    own = db.execute(
        select(AssistantDefinition.slug, AssistantDefinition.spec).where(
            AssistantDefinition.tenant_id == tenant_id,
            AssistantDefinition.status == Status.PUBLISHED.value,
        )
    )
    names = {slug: str((spec or {}).get("name") or slug) for slug, spec in own}
    names.update(services or {})
    out = []
    for case in published(db, tenant_id):
        if case.assistant_id in names:
            out.append((case, [names[case.assistant_id]]))
        elif covered.get(case.id):
            out.append((case, sorted(covered[case.id])))
    return out


def unreviewed(db: Session, tenant_id: int) -> list[str]:
    """The built-ins offered to agents although no approved card covers them (said publicly)."""
    found = standing.unreviewed(db, tenant_id)
    return sorted(spec.name for spec in builtins().values() if spec.id in found)


def contact(db: Session, tenant: Tenant) -> str:
    """Who a citizen writes to, to challenge an AI-assisted answer."""
    chosen = retention.settings_for(db, tenant.id).contact
    profile = tenant.profile or {}
    return chosen or profile.get("email", "") or profile.get("address", "")


def rows(
    db: Session, tenant: Tenant, services: dict[str, str] | None = None
) -> list[dict[str, str]]:
    out = []
    for case, assistants in in_use(db, tenant.id, services):
        hosting = HostingClass(case.hosting_class)
        out.append(
            {
                "identifiant": f"{tenant.slug}-{case.id}",
                "titre": case.title,
                "finalite": case.purpose,
                "classe_de_risque": RISK_LABELS[RiskClass(case.risk_class)],
                "classe_de_risque_code": case.risk_class,
                "controle_humain": case.human_oversight,
                "hebergement_du_modele": HOSTING_LABELS[hosting],
                "hebergement_du_modele_code": hosting.value,
                "statut": STATUS_LABELS[CaseStatus(case.status)],
                "depuis": case.decided_at.date().isoformat() if case.decided_at else "",
                "assistants": ", ".join(assistants),
            }
        )
    return out


def as_json(db: Session, tenant: Tenant, services: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "collectivite": tenant.name,
        "identifiant": tenant.slug,
        "mis_a_jour": utcnow().date().isoformat(),
        "contact_pour_contester": contact(db, tenant),
        "cadre": [
            "Code des relations entre le public et l'administration, art. L312-1-3",
            "Règlement (UE) 2024/1689 sur l'intelligence artificielle, art. 50",
        ],
        "cas_d_usage": rows(db, tenant, services),
        "assistants_non_examines_par_le_comite": unreviewed(db, tenant.id),
    }


def as_csv(db: Session, tenant: Tenant, services: dict[str, str] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, dialect=FRENCH)
    writer.writeheader()
    writer.writerows(safe_row(row) for row in rows(db, tenant, services))
    return BOM + buffer.getvalue()
