"""Incidents: any user reports a problematic output from the result itself; the comité triages
(open → investigating → closed with a resolution)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts.models import Role, User
from civia.assistants.models import AssistantRun
from civia.audit import journal as audit
from civia.chat.models import Conversation, Message
from civia.db.base import utcnow
from civia.governance.models import Incident

MAX_EXCERPT = 4000


class Kind(StrEnum):
    ERROR = "error"
    DISCRIMINATION = "discrimination"
    DATA_LEAK = "data_leak"
    NEUTRALITY = "neutrality"
    OTHER = "other"


KIND_LABELS = {
    Kind.ERROR: "Erreur ou information inventée",
    Kind.DISCRIMINATION: "Discrimination ou stéréotype",
    Kind.DATA_LEAK: "Fuite ou exposition de données personnelles",
    Kind.NEUTRALITY: "Atteinte à la neutralité ou à la laïcité",
    Kind.OTHER: "Autre problème",
}


class IncidentStatus(StrEnum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    CLOSED = "closed"


STATUS_LABELS = {
    IncidentStatus.OPEN: "Ouvert",
    IncidentStatus.INVESTIGATING: "En cours d'analyse",
    IncidentStatus.CLOSED: "Clos",
}


class IncidentError(ValueError):
    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def report(
    db: Session,
    *,
    reporter: User,
    kind: str,
    description: str,
    run_id: int | None = None,
    conversation_id: int | None = None,
) -> Incident:
    """Record a report; the reported output is copied so the comité sees what was reported
    (and only that) even after the conversation is deleted."""
    if kind not in {k.value for k in Kind}:
        raise IncidentError("Choisissez le type de problème.")
    description = description.strip()
    if not 10 <= len(description) <= 5000:
        raise IncidentError("Décrivez le problème en 10 à 5 000 caractères.")
    reference, assistant_id, excerpt = "", "", ""
    if run_id is not None:
        run = db.get(AssistantRun, run_id)
        if run is None or run.user_id != reporter.id or run.tenant_id != reporter.tenant_id:
            raise IncidentError("Ce résultat n'existe pas ou ne vous appartient pas.", 404)
        reference, assistant_id = f"resultat:{run.id}", run.assistant_id
        excerpt = run.final_text or run.draft or run.error
    elif conversation_id is not None:
        conv = db.get(Conversation, conversation_id)
        if conv is None or conv.user_id != reporter.id or conv.tenant_id != reporter.tenant_id:
            raise IncidentError("Cette conversation n'existe pas ou ne vous appartient pas.", 404)
        reference, assistant_id = f"conversation:{conv.id}", conv.assistant_id
        excerpt = _last_answer(db, conv.id)
    incident = Incident(
        tenant_id=reporter.tenant_id,
        reporter_id=reporter.id,
        kind=kind,
        reference=reference,
        assistant_id=assistant_id,
        description=description,
        excerpt=excerpt[:MAX_EXCERPT],
        status=IncidentStatus.OPEN.value,
    )
    db.add(incident)
    db.flush()
    audit.record(
        db,
        tenant_id=reporter.tenant_id,
        actor=reporter,
        action="incident.reported",
        target=f"incident:{incident.id}",
        details={"kind": kind, "reference": reference, "assistant_id": assistant_id},
    )
    return incident


def _last_answer(db: Session, conversation_id: int) -> str:
    text = db.scalar(
        select(Message.content)
        .where(Message.conversation_id == conversation_id, Message.role == "assistant")
        .order_by(Message.id.desc())
        .limit(1)
    )
    return text or ""


def triage(
    db: Session, incident: Incident, *, actor: User, status: str, resolution: str = ""
) -> None:
    if actor.tenant_id != incident.tenant_id:
        raise IncidentError("Incident introuvable.", 404)
    if actor.role_enum is not Role.COMITE:
        raise IncidentError("Seuls les membres du comité d'éthique traitent les incidents.", 403)
    if status not in {s.value for s in IncidentStatus}:
        raise IncidentError("État inconnu.")
    resolution = resolution.strip()
    if status == IncidentStatus.CLOSED and len(resolution) < 5:
        raise IncidentError("Indiquez la résolution avant de clore l'incident.")
    if status == incident.status and resolution == incident.resolution:
        raise IncidentError("Rien n'a changé.", 409)
    before = incident.status
    incident.status, incident.handled_by = status, actor.id
    incident.resolution = resolution[:5000]
    incident.closed_at = utcnow() if status == IncidentStatus.CLOSED else None
    incident.updated_at = utcnow()
    audit.record(
        db,
        tenant_id=incident.tenant_id,
        actor=actor,
        action="incident.updated",
        target=f"incident:{incident.id}",
        details={"from": before, "to": status, "kind": incident.kind},
    )


def get(db: Session, tenant_id: int, incident_id: int) -> Incident | None:
    found = db.get(Incident, incident_id)
    return found if found is not None and found.tenant_id == tenant_id else None


def for_tenant(db: Session, tenant_id: int, *, status: str = "", kind: str = "") -> list[Incident]:
    stmt = select(Incident).where(Incident.tenant_id == tenant_id)
    if status:
        stmt = stmt.where(Incident.status == status)
    if kind:
        stmt = stmt.where(Incident.kind == kind)
    return list(db.scalars(stmt.order_by(Incident.id.desc()).limit(500)))


def mine(db: Session, user: User) -> list[Incident]:
    stmt = select(Incident).where(Incident.reporter_id == user.id)
    return list(db.scalars(stmt.order_by(Incident.id.desc()).limit(50)))


def counts(db: Session, tenant_id: int) -> dict[tuple[str, str], int]:
    """(status, kind) → number of incidents."""
    rows = db.execute(
        select(Incident.status, Incident.kind, func.count())
        .where(Incident.tenant_id == tenant_id)
        .group_by(Incident.status, Incident.kind)
    )
    return {(status, kind): n for status, kind, n in rows}
