"""The shared mailbox in governance: retention of fetched messages and their drafts, the
agent's data export and erasure, and the messages as a text store (a citizen who wrote, or who
is named in a message, can be found and erased by the DPO).

Messages follow the assistant results' period (`runs_days`): the draft is an assistant result
and the message its input. Civia keeps no file of them: the mailbox itself keeps the originals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.db.engine import affected
from civia.mailbox.models import Mailbox, MailMessage
from civia.plugins.registries import Purger, RightsSection, TextStore
from civia.plugins.text_stores import Fields, Item, Redact

MESSAGES = Fields(
    MailMessage,
    "mail",
    {
        "subject": "objet",
        "sender": "adresse de l'expéditeur",
        "sender_name": "nom de l'expéditeur",
        "body": "texte du courriel",
        "attachments": "pièces jointes lues",
        "justification": "justification du tri",
        "category": "catégorie",
        "draft": "brouillon de réponse",
        "points": "points à vérifier",
        "sources": "extraits de la FAQ",
        "notes": "remarques sur la lecture",
    },
    json_fields=frozenset({"attachments", "points", "sources", "notes"}),
)


def purge(db: Session, tenant_id: int, cutoff: datetime) -> int:
    """Messages fetched before `cutoff`, with their drafts (the mailbox keeps the originals;
    the UID position stays, so they are never fetched again)."""
    stmt = delete(MailMessage).where(
        MailMessage.tenant_id == tenant_id, MailMessage.created_at < cutoff
    )
    return affected(db.execute(stmt, execution_options={"synchronize_session": False}))


def _validated_by(user: User) -> Any:
    return (MailMessage.validated_by == user.id) & (MailMessage.tenant_id == user.tenant_id)


def export_validated(db: Session, user: User) -> list[dict[str, Any]]:
    """The replies this agent validated: which message, when, and the text they approved."""
    rows = db.scalars(select(MailMessage).where(_validated_by(user)).order_by(MailMessage.id))
    return [
        {
            "courriel": row.id,
            "objet": row.subject,
            "valide_le": row.validated_at.isoformat() if row.validated_at else None,
            "reponse_validee": row.draft,
        }
        for row in rows
    ]


def count_validated(db: Session, user: User) -> int:
    return db.scalar(select(func.count()).where(_validated_by(user))) or 0


def erase_agent(db: Session, user: User) -> int:
    """The replies stay (they were placed in the mailbox's Drafts); who validated them, or
    connected a mailbox, is forgotten."""
    changed = affected(
        db.execute(update(MailMessage).where(_validated_by(user)).values(validated_by=None))
    )
    db.execute(
        update(Mailbox)
        .where(Mailbox.connected_by == user.id, Mailbox.tenant_id == user.tenant_id)
        .values(connected_by=None)
    )
    return changed


def find(db: Session, tenant_id: int, anchors: Sequence[str]) -> Iterable[Item]:
    stmt = select(MailMessage).where(MailMessage.tenant_id == tenant_id, MESSAGES.filter(anchors))
    for message in db.scalars(stmt.order_by(MailMessage.id)):
        day = message.created_at.strftime("%d/%m/%Y")
        for key, label, text in MESSAGES.texts(message):
            where = f"Courriel n° {message.id} reçu le {day} : {label}"
            yield Item(key, where, message.validated_by, text)


def redact(db: Session, tenant_id: int, keys: Sequence[str], redact: Redact) -> int:
    return MESSAGES.redact(db, keys, redact, MailMessage.tenant_id == tenant_id)


def governance_items() -> list[Purger | RightsSection | TextStore]:
    return [
        Purger("mail", purge),
        RightsSection(
            "courriels_valides",
            export_validated,
            erase_agent,
            count=("Réponses à des courriels validées", count_validated),
        ),
        TextStore("mailbox", "Courriels des boîtes partagées", find, redact),
    ]
