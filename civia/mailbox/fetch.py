"""Fetch a connected mailbox: new UIDs only (UIDVALIDITY + last UID), each message stored with
the mailbox's position in the same commit, so a crash neither loses nor repeats a message. When
an agent asked for the fetch (« Relever maintenant »), the new messages' analysis is handed to
the job engine at once (`jobs.hand_over`); otherwise the periodic analysis takes them."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import Tenant
from civia.db.base import utcnow
from civia.db.engine import session_scope
from civia.mailbox import declared, imap, jobs, scans
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus
from civia.mailbox.parse import ParsedMail, parse
from civia.settings import Settings

log = logging.getLogger("civia.mailbox")
UNREADABLE_FR = "Message illisible par Civia : lisez-le et répondez-y dans votre messagerie."
FETCH_LIMIT = 200  # per run: a backlog is read over several runs


def note_too_large(size: int) -> str:
    mb = size / 1_000_000
    return (
        f"Message trop volumineux ({mb:.1f} Mo) : seul son en-tête est repris ici. "
        "Lisez-le et répondez-y dans votre messagerie."
    )


@dataclass
class FetchReport:
    new: int = 0
    duplicates: int = 0
    error: str = ""
    ids: list[int] = field(default_factory=list)  # of the new messages
    job_id: int | None = None  # the job analysing them (a fetch an agent asked for)


def store(db: Session, box: Mailbox, validity: int, item: imap.Fetched, *, ocr: bool) -> int | None:
    """Add one fetched message; its id, or None when it is already there (same Message-ID).
    With `ocr`, its scanned attachments are kept for OCR in the analysis job."""
    try:
        parsed = parse(item.raw)
    except Exception:  # never let one message block the mailbox: kept, to read in the client
        log.exception("message uid %s could not be parsed", item.uid)
        parsed = ParsedMail(notes=[UNREADABLE_FR])
    if parsed.message_id and db.scalar(
        select(MailMessage.id).where(
            MailMessage.mailbox_id == box.id, MailMessage.message_id == parsed.message_id
        )
    ):
        return None  # a mailbox rebuilt under a new UIDVALIDITY shows old messages again
    notes = list(parsed.notes)
    if not item.complete:
        notes = [note_too_large(item.size)]
        parsed.body = ""
    kept = scans.plan(parsed.attachments, parsed.scans, ocr)
    message = MailMessage(
        tenant_id=box.tenant_id,
        mailbox_id=box.id,
        uidvalidity=validity,
        uid=item.uid,
        message_id=parsed.message_id[:998],
        thread_references=parsed.references,
        subject=parsed.subject,
        sender=parsed.sender,
        sender_name=parsed.sender_name,
        sent_at=parsed.sent_at,
        size_bytes=item.size,
        body=parsed.body,
        notes=notes,
        attachments=parsed.attachments,
        status=MessageStatus.RECEIVED,
        service_id=box.service_id,
    )
    db.add(message)
    db.flush()
    scans.keep(db, message, kept)
    return message.id


def fetch(
    sessions: sessionmaker[Session],
    mailbox_id: int,
    settings: Settings,
    *,
    user_id: int | None = None,
) -> FetchReport:
    """Fetch one connected mailbox; errors are recorded on it (French) and returned. With
    `user_id` (an agent pressed « Relever maintenant »), the new messages' analysis is queued
    for them at once; without (the scheduled fetch, the CLI), the periodic analysis does it."""
    report = FetchReport()
    with session_scope(sessions) as db:
        box = db.get(Mailbox, mailbox_id)
        assert box is not None
        tenant = db.get(Tenant, box.tenant_id)
        found = declared.find(settings, tenant.slug if tenant else "", box.key)
        after, known_validity = box.last_uid, box.uidvalidity
    if isinstance(found, str):
        report.error = found
        _finish(sessions, mailbox_id, report, user_id)
        return report
    max_bytes = int(settings.mailbox_max_message_mb * 1_000_000)
    ocr = scans.enabled(settings)
    try:
        with imap.connect(found) as client:
            validity = imap.select(client, found.inbox)
            if validity != known_validity:
                after = 0
            for item in imap.new_messages(
                client, after_uid=after, max_bytes=max_bytes, limit=FETCH_LIMIT
            ):
                with session_scope(sessions) as db:
                    box = db.get(Mailbox, mailbox_id)
                    assert box is not None
                    stored = store(db, box, validity, item, ocr=ocr)
                    if stored is not None:
                        report.new += 1
                        report.ids.append(stored)
                    else:
                        report.duplicates += 1
                    box.uidvalidity, box.last_uid = validity, item.uid
            with session_scope(sessions) as db:
                box = db.get(Mailbox, mailbox_id)
                assert box is not None
                if box.uidvalidity != validity:  # renumbered and nothing new: start over
                    box.uidvalidity, box.last_uid = validity, 0
    except imap.MailboxUnavailable as exc:
        report.error = exc.message_fr
    _finish(sessions, mailbox_id, report, user_id)
    return report


def _finish(
    sessions: sessionmaker[Session], mailbox_id: int, report: FetchReport, user_id: int | None
) -> None:
    """Record the fetch on the mailbox and, for an agent, queue the analysis of what it brought
    (a fetch cut short by an error keeps, and hands over, the messages stored before it)."""
    with session_scope(sessions) as db:
        box = db.get(Mailbox, mailbox_id)
        if box is not None:
            box.last_fetch_at = utcnow()
            box.last_error = report.error
            if user_id is not None:
                job = jobs.hand_over(
                    db, tenant_id=box.tenant_id, message_ids=report.ids, user_id=user_id
                )
                report.job_id = job.id if job else None


def fetch_all(sessions: sessionmaker[Session], settings: Settings) -> dict[int, FetchReport]:
    """The periodic task: every active connected mailbox of every tenant (their new messages
    wait for the periodic analysis: no job, which would hold a worker for the whole backlog)."""
    with session_scope(sessions) as db:
        ids = list(db.scalars(select(Mailbox.id).where(Mailbox.active.is_(True))))
    return {mailbox_id: fetch(sessions, mailbox_id, settings) for mailbox_id in ids}
