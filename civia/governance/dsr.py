"""Data-subject rights (GDPR Art. 15, 20, 17): a user's export of all their data (JSON), and the
DPO's erasure of a person's data everywhere. The audit log keeps its facts: erasure anonymises
the account rather than deleting it, so past entries and governance decisions still resolve.

Other areas (documents, meetings, assistants) plug their data in with a `RightsSection`
returned from their plugin's `register_governance` hook; the functions get the app's ones.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from civia.accounts.models import ApiToken, User, WebSession
from civia.assistants.models import AssistantDefinition, AssistantRun, AssistantVersion, SavedPrompt
from civia.audit import journal as audit
from civia.audit.models import AuditEntry
from civia.chat.models import Conversation, Message
from civia.db.base import Base, utcnow
from civia.db.engine import affected
from civia.governance.models import (
    CharterAcceptance,
    Incident,
    TrainingCompletion,
    UseCaseComment,
    UseCaseVote,
)
from civia.plugins.registries import Governance
from civia.usage.models import UsageEvent

Exporter = Callable[[Session, User], Any]
Eraser = Callable[[Session, User], int]
ERASED_NAME = "Compte effacé"


class RightsError(ValueError):
    """A French message for the DPO."""


def _rows(
    db: Session, model: type[Base], column: Any, user_id: int, fields: tuple[str, ...]
) -> list[dict[str, Any]]:
    found = db.scalars(select(model).where(column == user_id).order_by(model.id))  # type: ignore[attr-defined]
    return [{f: _plain(getattr(row, f)) for f in fields} for row in found]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def export_user(db: Session, user: User, *, hooks: Governance) -> dict[str, Any]:
    """Everything Civia holds about `user`, as JSON-ready data."""
    conversations = []
    for conv in db.scalars(
        select(Conversation).where(Conversation.user_id == user.id).order_by(Conversation.id)
    ):
        messages = db.scalars(
            select(Message).where(Message.conversation_id == conv.id).order_by(Message.id)
        )
        conversations.append(
            {
                "id": conv.id,
                "titre": conv.title,
                "assistant": conv.assistant_id,
                "modele": conv.model,
                "cree_le": _plain(conv.created_at),
                "messages": [
                    {
                        "role": m.role,
                        "contenu": m.content,
                        "etat": m.status,
                        "cree_le": _plain(m.created_at),
                    }
                    for m in messages
                ],
            }
        )
    data: dict[str, Any] = {
        "genere_le": utcnow().isoformat(),
        "collectivite": user.tenant.name,
        "compte": {
            "identifiant": user.login,
            "nom": user.display_name,
            "courriel": user.email,
            "role": user.role,
            "service": user.service.name if user.service else "",
            "cree_le": _plain(user.created_at),
            "derniere_connexion": _plain(user.last_login_at),
            "actif": user.active,
        },
        "conversations": conversations,
        "resultats_assistants": _rows(
            db,
            AssistantRun,
            AssistantRun.user_id,
            user.id,
            (
                "id",
                "assistant_id",
                "created_at",
                "status",
                "inputs",
                "draft",
                "final_text",
                "validated_at",
                "rating",
                "comment",
                "time_saved_minutes",
            ),
        ),
        "prompts_enregistres": _rows(
            db,
            SavedPrompt,
            SavedPrompt.user_id,
            user.id,
            ("title", "body", "sharing", "created_at"),
        ),
        "jetons_api": _rows(
            db,
            ApiToken,
            ApiToken.user_id,
            user.id,
            ("name", "prefix", "created_at", "last_used_at", "revoked_at"),
        ),
        "charte": _rows(
            db, CharterAcceptance, CharterAcceptance.user_id, user.id, ("version", "created_at")
        ),
        "formation": _rows(
            db, TrainingCompletion, TrainingCompletion.user_id, user.id, ("module", "created_at")
        ),
        "signalements": _rows(
            db,
            Incident,
            Incident.reporter_id,
            user.id,
            ("id", "kind", "description", "status", "resolution", "created_at"),
        ),
        "commentaires_cas_usage": _rows(
            db,
            UseCaseComment,
            UseCaseComment.author_id,
            user.id,
            ("use_case_id", "body", "created_at"),
        ),
        "votes_comite": _rows(
            db,
            UseCaseVote,
            UseCaseVote.voter_id,
            user.id,
            ("use_case_id", "round", "choice", "comment", "created_at"),
        ),
        "utilisation": _rows(
            db,
            UsageEvent,
            UsageEvent.user_id,
            user.id,
            (
                "created_at",
                "source",
                "assistant_id",
                "provider_name",
                "model",
                "prompt_tokens",
                "completion_tokens",
                "outcome",
            ),
        ),
        "journal_audit": _rows(
            db,
            AuditEntry,
            AuditEntry.actor_id,
            user.id,
            ("created_at", "action", "target", "details"),
        ),
    }
    for name, exporter in hooks.exporters.items():
        data[name] = exporter(db, user)
    return data


def summary(db: Session, user: User, hooks: Governance | None = None) -> dict[str, int]:
    """What an erasure would touch, for the DPO's confirmation page (the areas' own counts,
    documents and meetings among them, with `hooks`)."""

    def count(column: Any) -> int:
        return db.scalar(select(func.count()).where(column == user.id)) or 0

    return {
        "Conversations": count(Conversation.user_id),
        "Résultats d'assistants": count(AssistantRun.user_id),
        "Prompts enregistrés": count(SavedPrompt.user_id),
        "Jetons d'API": count(ApiToken.user_id),
        "Événements d'utilisation (anonymisés)": count(UsageEvent.user_id),
        "Signalements (anonymisés)": count(Incident.reporter_id),
    } | {label: counter(db, user) for label, counter in (hooks.counters if hooks else {}).items()}


def erase_user(db: Session, *, dpo: User, person: User, hooks: Governance) -> dict[str, int]:
    """Erase `person`'s data everywhere and anonymise the account (kept, disabled, renamed),
    so the audit facts and the comité's decisions still point somewhere."""
    if person.tenant_id != dpo.tenant_id:
        raise RightsError("Personne introuvable.")
    if person.id == dpo.id:
        raise RightsError("Vous ne pouvez pas effacer votre propre compte.")
    if person.login.startswith("efface-") and not person.active:
        raise RightsError("Les données de ce compte ont déjà été effacées.")
    uid = person.id

    def gone(stmt: Any) -> int:
        return affected(db.execute(stmt, execution_options={"synchronize_session": False}))

    counts = {
        "conversations": gone(delete(Conversation).where(Conversation.user_id == uid)),
        "runs": gone(delete(AssistantRun).where(AssistantRun.user_id == uid)),
        "saved_prompts": gone(delete(SavedPrompt).where(SavedPrompt.user_id == uid)),
        "api_tokens": gone(delete(ApiToken).where(ApiToken.user_id == uid)),
        "sessions": gone(delete(WebSession).where(WebSession.user_id == uid)),
        "charter_acceptances": gone(
            delete(CharterAcceptance).where(CharterAcceptance.user_id == uid)
        ),
        "trainings": gone(delete(TrainingCompletion).where(TrainingCompletion.user_id == uid)),
        "usage_events": gone(
            update(UsageEvent)
            .where(UsageEvent.user_id == uid)
            .values(user_id=None, conversation_id=None)
        ),
        "incidents": gone(
            update(Incident).where(Incident.reporter_id == uid).values(reporter_id=None)
        ),
        "comments": gone(
            update(UseCaseComment).where(UseCaseComment.author_id == uid).values(author_id=None)
        ),
    }
    # Links from other people's records: nobody needs to know it was this person any more.
    gone(update(AssistantRun).where(AssistantRun.validated_by == uid).values(validated_by=None))
    gone(
        update(AssistantDefinition)
        .where(AssistantDefinition.created_by == uid)
        .values(created_by=None)
    )
    gone(update(AssistantVersion).where(AssistantVersion.author_id == uid).values(author_id=None))
    for name, eraser in hooks.erasers.items():
        counts[name] = eraser(db, person)
    counts["audit_logins"] = audit.redact_actor(db, user_id=uid, login=person.login)
    person.login = f"efface-{uid}"
    person.display_name = ERASED_NAME
    person.email = ""
    person.password_hash = "!" + secrets.token_hex(16)  # matches no password
    person.active = False
    person.service_id = None
    person.last_login_at = None
    db.flush()
    audit.record(
        db,
        tenant_id=dpo.tenant_id,
        actor=dpo,
        action="dsr.erase",
        target=f"user:{uid}",
        details=counts,
    )
    return counts
