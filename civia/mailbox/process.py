"""Analyse fetched messages one at a time: personal data detected (counts kept, values never),
triaged to a service with the triage assistant and the collectivité's services, and a reply
drafted with the réponse-usager assistant. A failure leaves the message in the queue with a
French reason; an agent can start the analysis again."""

from __future__ import annotations

import asyncio
import logging
import unicodedata

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from civia.assistants.catalogue import builtins
from civia.assistants.context import assistant_context
from civia.assistants.runner import run_to_end
from civia.chat.gateway import CallContext, Gateway
from civia.db.base import utcnow
from civia.db.engine import session_scope
from civia.db.models import Service, Tenant
from civia.governance import usecases
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus
from civia.privacy.engine import detect
from civia.privacy.summary import entity_counts
from civia.providers.base import ProviderError
from civia.settings import Settings

log = logging.getLogger("civia.mailbox")
TRIAGE, REPLY = "tri-demandes", "reponse-usager"
EMPTY_FR = "Message sans texte lisible : traitez-le directement dans votre messagerie."
FAILED_FR = "L'analyse a échoué de façon inattendue : relancez-la, ou traitez le message à la main."


def suspended_fr(name: str) -> str:
    return f"L'assistant « {name} » est suspendu par le comité : le message attend un agent."


def claim(db: Session) -> int | None:
    """Take the oldest waiting message, atomically (several workers may run)."""
    candidate = db.scalar(
        select(MailMessage.id)
        .where(MailMessage.status == MessageStatus.RECEIVED)
        .order_by(MailMessage.id)
        .limit(1)
    )
    if candidate is None:
        return None
    taken = db.execute(
        update(MailMessage)
        .where(MailMessage.id == candidate, MailMessage.status == MessageStatus.RECEIVED)
        .values(status=MessageStatus.ANALYSING)
    )
    db.commit()
    return candidate if taken.rowcount == 1 else None  # type: ignore[attr-defined]


def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def match_service(services: list[Service], answer: str) -> Service | None:
    wanted = _plain(answer)
    exact = [s for s in services if _plain(s.name) == wanted]
    partial = [
        s for s in services if wanted and (_plain(s.name) in wanted or wanted in _plain(s.name))
    ]
    found = exact or partial
    return found[0] if found else None


def message_text(message: MailMessage) -> str:
    return f"Objet : {message.subject}\n\n{message.body}".strip()


async def analyse(db: Session, message: MailMessage, *, gateway: Gateway) -> None:
    """Fill the triage and the draft of `message` (raises ProviderError on a model failure)."""
    tenant = db.get(Tenant, message.tenant_id)
    assert tenant is not None
    specs = builtins()
    for assistant_id in (TRIAGE, REPLY):
        if usecases.is_suspended(db, tenant.id, assistant_id):
            message.status, message.problem = (
                MessageStatus.FAILED,
                suspended_fr(specs[assistant_id].name),
            )
            return
    text = message_text(message)
    message.pii_counts = entity_counts(await asyncio.to_thread(detect, text))
    context = assistant_context(db, tenant)
    target = gateway.resolve(db, tenant.id)
    box = db.get(Mailbox, message.mailbox_id)

    def ctx(assistant_id: str) -> CallContext:
        return CallContext(
            tenant_id=tenant.id,
            user_id=None,
            service_id=box.service_id if box else None,
            source="mailbox",
            assistant_id=assistant_id,
            sensitivity=specs[assistant_id].sensitivity.value,
        )

    triage = await run_to_end(
        specs[TRIAGE], {"demande": text[:8000]}, context=context, gateway=gateway,
        ctx=ctx(TRIAGE), target=target,
    )  # fmt: skip
    data = triage.data or {}
    services = list(db.scalars(select(Service).where(Service.tenant_id == tenant.id)))
    chosen = match_service(services, str(data.get("service", "")))
    message.proposed_service_id = chosen.id if chosen else None
    if chosen is not None:
        message.service_id = chosen.id
    message.category = str(data.get("categorie", ""))[:200]
    message.urgency = str(data.get("urgence", ""))[:20]
    message.justification = str(data.get("justification", ""))
    draft = await run_to_end(
        specs[REPLY], {"courriel": text[:6000], "elements": "", "faq": ""}, context=context,
        gateway=gateway, ctx=ctx(REPLY), target=target,
    )  # fmt: skip
    reply = draft.data or {}
    message.draft = str(reply.get("reponse", "")) or draft.markdown
    message.points = [str(p) for p in reply.get("points_a_verifier", [])][:4]
    message.human_needed = bool(reply.get("reponse_humaine_necessaire", False))
    message.status = MessageStatus.TO_REVIEW
    message.problem = ""
    message.analysed_at = utcnow()


def process_one(sessions: sessionmaker[Session], settings: Settings) -> int | None:
    """Analyse the oldest waiting message; its id, or None when the queue is empty."""
    with session_scope(sessions) as db:
        message_id = claim(db)
    if message_id is None:
        return None
    gateway = Gateway(settings, sessions)
    with session_scope(sessions) as db:
        message = db.get(MailMessage, message_id)
        assert message is not None
        if not message.body.strip() and not message.subject.strip():
            message.status, message.problem = MessageStatus.FAILED, EMPTY_FR
            return message_id
        try:
            asyncio.run(analyse(db, message, gateway=gateway))
        except ProviderError as exc:
            message.status, message.problem = MessageStatus.FAILED, exc.message_fr
        except Exception:  # the message must not stay stuck "in analysis"; logged with trace
            log.exception("mailbox analysis failed for message %s", message_id)
            message.status, message.problem = MessageStatus.FAILED, FAILED_FR
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
