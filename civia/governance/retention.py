"""Retention periods per collectivité, and the sweep that enforces them.

Conversations, assistant runs and finished background jobs are deleted here; audio and document
files belong to other areas, which return a `Purger("audio", fn)` (fn(db, tenant_id, cutoff) →
count) from their plugin's `register_governance` hook; the sweep gets the app's ones. The audit
log is purged
only beyond `audit.AUDIT_MIN_DAYS`, whatever the setting says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from civia.accounts.models import Tenant, User
from civia.assistants.models import AssistantRun
from civia.audit import journal as audit
from civia.chat.models import Conversation
from civia.db.base import utcnow
from civia.db.engine import affected
from civia.governance.models import GovernanceSettings, UseCase
from civia.jobs.models import FINISHED, Job
from civia.plugins.registries import Governance

MAX_DAYS = 3650
KINDS = {  # setting → French label
    "conversations_days": "Conversations",
    "runs_days": "Résultats d'assistants, transcriptions de réunions et courriels reçus",
    "audio_days": "Enregistrements audio",
    "documents_days": "Documents déposés",
}
AUDIO_POLICIES = {  # when recordings are deleted → French label
    "review": "À la fin de la relecture de la transcription (recommandé)",
    "transcription": "Dès la fin de la transcription (pas d'écoute pendant la relecture)",
    "keep": "Seulement après la durée de conservation ci-dessus",
}
# A recording whose review never ends is still deleted after this many days (or audio_days if
# shorter) unless the collectivité chose "keep".
AUDIO_REVIEW_MAX_DAYS = 7
# Finished jobs (their payload names a file or a meeting) follow the assistant results' period,
# or go after this many days when the collectivité set none.
JOBS_DEFAULT_DAYS = 30
Purger = Callable[[Session, int, datetime], int]


class SettingsError(ValueError):
    """A French message for the form."""


@dataclass(frozen=True)
class Retention:
    conversations_days: int | None = None
    runs_days: int | None = None
    audio_days: int | None = None
    documents_days: int | None = None
    audit_days: int = audit.AUDIT_DEFAULT_DAYS
    contact: str = ""
    audio_policy: str = "review"


def settings_for(db: Session, tenant_id: int) -> Retention:
    row = db.get(GovernanceSettings, tenant_id)
    if row is None:
        return Retention()
    return Retention(
        row.conversations_days,
        row.runs_days,
        row.audio_days,
        row.documents_days,
        max(row.audit_days, audit.AUDIT_MIN_DAYS),
        row.contact,
        row.audio_policy or "review",
    )


def save_settings(db: Session, *, actor: User, values: Retention) -> None:
    for name, label in KINDS.items():
        days = getattr(values, name)
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise SettingsError(
                f"{label} : la durée va de 1 à {MAX_DAYS} jours (vide = sans limite)."
            )
    if not audit.AUDIT_MIN_DAYS <= values.audit_days <= MAX_DAYS:
        raise SettingsError(
            f"Le journal d'audit est conservé au moins {audit.AUDIT_MIN_DAYS} jours (six mois)."
        )
    if len(values.contact) > 1000:
        raise SettingsError("Le contact public dépasse 1 000 caractères.")
    if values.audio_policy not in AUDIO_POLICIES:
        raise SettingsError("Choisissez quand supprimer les enregistrements audio.")
    row = db.get(GovernanceSettings, actor.tenant_id)
    if row is None:
        row = GovernanceSettings(tenant_id=actor.tenant_id)
        db.add(row)
    before = settings_for(db, actor.tenant_id)
    for name in (*KINDS, "audit_days", "contact", "audio_policy"):
        setattr(row, name, getattr(values, name))
    row.updated_at, row.updated_by = utcnow(), actor.id
    db.flush()
    changed = {
        name: getattr(values, name)
        for name in (*KINDS, "audit_days", "audio_policy")
        if getattr(values, name) != getattr(before, name)
    }
    audit.record(
        db,
        tenant_id=actor.tenant_id,
        actor=actor,
        action="retention.settings",
        target="parametres",
        details={**changed, "contact_changed": values.contact != before.contact},
    )


def sweep(
    db: Session, now: datetime | None = None, *, hooks: Governance
) -> dict[str, dict[str, int]]:
    """Delete, for every collectivité, what is older than its retention periods (and the
    assistants' own, shorter periods from their use-case cards). Returns counts per tenant."""
    now = now or utcnow()
    report: dict[str, dict[str, int]] = {}
    for tenant in db.scalars(select(Tenant).order_by(Tenant.id)):
        counts = _sweep_tenant(db, tenant.id, now, hooks.purgers)
        if any(counts.values()):
            audit.record(
                db, tenant_id=tenant.id, actor=None, action="retention.swept", details=counts
            )
        report[tenant.slug] = {k: v for k, v in counts.items() if v}
    return report


def _delete_older(
    db: Session,
    model: type[Conversation] | type[AssistantRun],
    tenant_id: int,
    cutoff: datetime,
    assistant_id: str | None = None,
) -> int:
    stmt = delete(model).where(model.tenant_id == tenant_id, model.updated_at < cutoff)
    if assistant_id is not None:
        stmt = stmt.where(model.assistant_id == assistant_id)
    # Messages go with their conversation (ON DELETE CASCADE).
    return affected(db.execute(stmt, execution_options={"synchronize_session": False}))


def _purge_jobs(db: Session, tenant_id: int, cutoff: datetime) -> int:
    """Finished jobs before `cutoff` (what pointed to them keeps its data: ON DELETE SET NULL;
    a minutes job's condensed parts, its checkpoints, go with it)."""
    stmt = delete(Job).where(
        Job.tenant_id == tenant_id, Job.status.in_(FINISHED), Job.finished_at < cutoff
    )
    return affected(db.execute(stmt, execution_options={"synchronize_session": False}))


def _sweep_tenant(
    db: Session, tenant_id: int, now: datetime, purgers: dict[str, Purger]
) -> dict[str, int]:
    settings = settings_for(db, tenant_id)
    counts = {"conversations": 0, "runs": 0, "audio": 0, "documents": 0, "audit": 0}
    counts["transcripts"] = counts["mail"] = 0
    jobs_cutoff = now - timedelta(days=settings.runs_days or JOBS_DEFAULT_DAYS)
    counts["jobs"] = _purge_jobs(db, tenant_id, jobs_cutoff)
    if settings.conversations_days is not None:
        cutoff = now - timedelta(days=settings.conversations_days)
        counts["conversations"] += _delete_older(db, Conversation, tenant_id, cutoff)
    if settings.runs_days is not None:
        cutoff = now - timedelta(days=settings.runs_days)
        counts["runs"] += _delete_older(db, AssistantRun, tenant_id, cutoff)
        for kind in ("transcripts", "mail"):
            if kind in purgers:
                counts[kind] = purgers[kind](db, tenant_id, cutoff)
    # An assistant's own period (use-case card) can only shorten what is kept of its data.
    overrides = db.execute(
        select(UseCase.assistant_id, UseCase.retention_days).where(
            UseCase.tenant_id == tenant_id, UseCase.retention_days.is_not(None)
        )
    )
    for assistant_id, days in overrides:
        cutoff = now - timedelta(days=days or 0)
        counts["conversations"] += _delete_older(db, Conversation, tenant_id, cutoff, assistant_id)
        counts["runs"] += _delete_older(db, AssistantRun, tenant_id, cutoff, assistant_id)
    for kind in ("audio", "documents"):
        days = getattr(settings, f"{kind}_days")
        if kind == "audio" and settings.audio_policy != "keep":
            days = min(days or AUDIO_REVIEW_MAX_DAYS, AUDIO_REVIEW_MAX_DAYS)
        if days is not None and kind in purgers:
            counts[kind] = purgers[kind](db, tenant_id, now - timedelta(days=days))
    counts["audit"] = audit.purge(db, chain=tenant_id, keep_days=settings.audit_days, now=now)
    return counts
