"""Messages that reach a service's queue without IMAP: a citizen who « écrit à un agent » from
the public assistant. They join the queue of a connected mailbox like fetched emails (the same
analysis, triage and draft reply), marked by a UIDVALIDITY of 0, which IMAP never uses
(RFC 3501: UIDVALIDITY is a non-zero 32-bit number), so no fetched UID can collide with them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from civia.mailbox.models import Mailbox, MailMessage, MessageStatus

WEB_UIDVALIDITY = 0  # not an IMAP mailbox's: messages written on a Civia page
ATTEMPTS = 5


def mailboxes(db: Session, tenant_id: int) -> list[Mailbox]:
    """The tenant's connected mailboxes, the ones a page may send messages to."""
    return list(
        db.scalars(select(Mailbox).where(Mailbox.tenant_id == tenant_id).order_by(Mailbox.id))
    )


def submit(
    db: Session,
    *,
    mailbox: Mailbox,
    subject: str,
    body: str,
    sender: str = "",
    sender_name: str = "",
    origin: str,
) -> MailMessage:
    """Add a message to `mailbox`'s queue, waiting for analysis (it is triaged to a service
    then). `origin` is a French note shown to agents (« Écrit depuis l'assistant public »).
    Commits: the message is numbered in a unique sequence per mailbox."""
    for _ in range(ATTEMPTS):
        last = db.scalar(
            select(func.max(MailMessage.uid)).where(
                MailMessage.mailbox_id == mailbox.id, MailMessage.uidvalidity == WEB_UIDVALIDITY
            )
        )
        message = MailMessage(
            tenant_id=mailbox.tenant_id,
            mailbox_id=mailbox.id,
            uidvalidity=WEB_UIDVALIDITY,
            uid=(last or 0) + 1,
            subject=subject,
            sender=sender,
            sender_name=sender_name,
            body=body,
            size_bytes=len(body.encode()),
            notes=[origin],
            status=MessageStatus.RECEIVED,
            service_id=mailbox.service_id,
        )
        db.add(message)
        try:
            db.commit()
        except IntegrityError:  # another visitor took that number at the same moment
            db.rollback()
            continue
        return message
    raise RuntimeError("no free number for a web message")  # pragma: no cover
