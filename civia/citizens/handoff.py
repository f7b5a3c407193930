"""« Écrire à un agent »: the citizen's message becomes a message of the shared mailbox's queue
(`civia.mailbox.intake`), triaged and drafted like an email; an agent answers it."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from civia.audit import journal as audit
from civia.citizens import stats
from civia.citizens.config import mailbox_for
from civia.citizens.models import PublicAssistant
from civia.mailbox import intake
from civia.mailbox.models import MailMessage

ORIGIN = "Message écrit depuis l'assistant public du site de la collectivité."
MAX_BODY = 5000
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


class HandoffError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def check(subject: str, body: str, email: str) -> tuple[str, str, str]:
    errors = {}
    subject = " ".join(subject.split())[:200]
    body = body.strip()
    email = email.strip()
    if not body:
        errors["body"] = "Écrivez votre message."
    elif len(body) > MAX_BODY:
        errors["body"] = f"Votre message dépasse {MAX_BODY} caractères : raccourcissez-le."
    if not _EMAIL.match(email) or len(email) > 254:
        errors["email"] = (
            "Indiquez une adresse électronique valide, par exemple nom@exemple.fr : l'agent "
            "vous répondra à cette adresse."
        )
    if errors:
        raise HandoffError(errors)
    return subject or "Question posée depuis le site", body, email


def send(
    db: Session, row: PublicAssistant, *, subject: str, body: str, email: str
) -> MailMessage | None:
    """The queued message, or None when the collectivité has no shared mailbox."""
    subject, body, email = check(subject, body, email)
    mailbox = mailbox_for(db, row)
    if mailbox is None:
        return None
    stats.bump(db, row.tenant_id, "to_agent")
    audit.record(
        db,
        tenant_id=row.tenant_id,
        actor=None,
        action="citizens.to_agent",
        target=f"mailbox:{mailbox.id}",
    )
    db.flush()
    return intake.submit(
        db, mailbox=mailbox, subject=subject, body=body, sender=email, origin=ORIGIN
    )
