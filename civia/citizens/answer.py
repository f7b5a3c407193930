"""From a citizen's question to a stored exchange: personal data masked first (nothing else
ever sees the question as typed), refusals decided by rule, the published passages searched,
and only when some pass the threshold, the model asked to answer from them and cite them."""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from civia.chat.gateway import CallContext, CallResult, Gateway
from civia.citizens import policy, retrieval, stats
from civia.citizens.config import ASSISTANT_ID
from civia.citizens.models import Outcome, PublicExchange
from civia.db.engine import session_scope
from civia.documents.chat import ANSWER_RULE
from civia.documents.grounding import NOT_FOUND_FR, Grounding, Source
from civia.governance import usecases
from civia.providers.base import ChatMessage, ChatRequest, ProviderError

log = logging.getLogger("civia.citizens")
MAX_CHARS = 1000
MAX_TOKENS = 160
PROMPT_CHARS = 2000  # ~600 tokens of extracts: prompt evaluation dominates on 2 cores
SOURCE = "citoyens"  # usage events of the public assistant (no user, no service)

NOT_FOUND_TEXT = (
    "Je ne sais pas : je ne trouve pas la réponse dans les informations publiées par "
    "{name}. Un agent peut vous répondre : utilisez « Écrire à un agent »."
)
SUSPENDED_TEXT = (
    "L'assistant est momentanément indisponible. Un agent peut vous répondre : utilisez "
    "« Écrire à un agent »."
)
BUSY_TEXT = (
    "L'assistant est très sollicité en ce moment : voici, sans rédaction par l'IA, les passages "
    "des informations publiées qui correspondent le mieux à votre question [1]."
)
FAILED_TEXT = (
    "L'assistant n'a pas pu répondre cette fois-ci. Réessayez dans un moment, ou utilisez "
    "« Écrire à un agent »."
)
SYSTEM = (
    "Tu es l'assistant public du site de {name}, un programme d'intelligence artificielle. "
    "Tu réponds aux questions des habitants sur les démarches et services de la collectivité, "
    "en vouvoyant, uniquement à partir des extraits fournis. Tu ne prends aucune décision "
    "individuelle et tu ne donnes aucun conseil juridique."
)
MASKED_NOTE = (
    " Les mentions entre crochets comme [TELEPHONE] remplacent des données personnelles "
    "masquées : ne les répète pas."
)


class QuestionError(ValueError):
    """An unusable question, with its French message (HTTP 422)."""


@dataclass
class Reply:
    outcome: str
    text: str
    category: str = ""
    sources: list[dict[str, Any]] = field(default_factory=list)
    masked: dict[str, int] = field(default_factory=dict)


def clean(question: str) -> str:
    text = " ".join(question.split())
    if not text:
        raise QuestionError("Écrivez votre question avant de l'envoyer.")
    if len(text) > MAX_CHARS:
        raise QuestionError(
            f"Votre question dépasse {MAX_CHARS} caractères : raccourcissez-la, ou écrivez à un "
            "agent."
        )
    return text


def source_url(slug: str, source: Source) -> str:
    return f"/citoyens/{slug}/sources/{source.document_id}#passage-{source.ordinal}"


def cited_numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d{1,2})\]", text)}


def says_not_found(text: str) -> bool:
    folded = policy.fold(text)
    return policy.fold(NOT_FOUND_FR.rstrip(".")) in folded or folded.startswith("je ne sais pas")


def sources_of(slug: str, text: str, grounding: Grounding) -> list[dict[str, Any]]:
    """The passages shown under an answer: those it cites; all of them (marked « consultées »)
    when the model cited none although it answered from them."""
    numbers = cited_numbers(text)
    cited = [s for s in grounding.sources if s.number in numbers]
    shown = cited or grounding.sources
    return [
        {
            "number": s.number,
            "cited": bool(cited),
            "title": s.title,
            "where": s.where,
            "quote": s.quote(limit=240),
            "url": source_url(slug, s),
        }
        for s in shown
    ]


def messages(name: str, grounding: Grounding, question: str) -> list[ChatMessage]:
    note = MASKED_NOTE if re.search(r"\[[A-Z]+\]", question) else ""
    system = f"{SYSTEM.format(name=name)}{note}\n\n{grounding.instructions()}"
    user = (
        f"Extraits numérotés :\n\n{grounding.prompt_block(PROMPT_CHARS)}\n\n"
        f"Question : {question}\n\n{ANSWER_RULE}"
    )
    return [ChatMessage("system", system), ChatMessage("user", user)]


@dataclass
class Asked:
    tenant_id: int
    tenant_name: str
    slug: str
    collection_ids: list[int]
    conversation: str
    question: str  # as typed: never stored, logged nor sent anywhere


def _prepare(
    db: Session, asked: Asked, embedder_for: Any
) -> tuple[policy.Masked, Reply | None, Grounding]:
    """Mask, refuse by rule, search. A `Reply` when no model call is needed."""
    masked = policy.mask(asked.question)
    empty = Grounding(masked.text)
    category = policy.refusal(asked.question) or policy.refusal(masked.text)
    if category is not None:
        return masked, Reply(Outcome.REFUSED, category.explanation, category.code), empty
    if usecases.is_suspended(db, asked.tenant_id, ASSISTANT_ID):
        return masked, Reply(Outcome.ERROR, SUSPENDED_TEXT, "suspendu"), empty
    grounding = retrieval.ground(
        db,
        tenant_id=asked.tenant_id,
        collection_ids=asked.collection_ids,
        question=masked.text,
        embedder=embedder_for(db, asked.tenant_id),
    )
    if not grounding.found:
        return (
            masked,
            Reply(Outcome.NOT_FOUND, NOT_FOUND_TEXT.format(name=asked.tenant_name)),
            grounding,
        )
    return masked, None, grounding


async def _ask_model(
    gateway: Gateway, db_sessions: sessionmaker[Session], asked: Asked, grounding: Grounding
) -> Reply:
    ctx = CallContext(
        tenant_id=asked.tenant_id,
        user_id=None,
        service_id=None,
        source=SOURCE,
        assistant_id=ASSISTANT_ID,
        sensitivity="internal",
    )
    result = CallResult()
    try:
        with session_scope(db_sessions) as db:
            target = await asyncio.to_thread(gateway.resolve, db, asked.tenant_id)
        request = ChatRequest(
            messages=messages(asked.tenant_name, grounding, grounding.query),
            max_tokens=min(MAX_TOKENS, gateway.settings.max_tokens),
        )  # the documents' chat settings (bench/results/documents-chat.md): no repeat penalty
        async for _ in gateway.stream(ctx, target, request, result):
            pass
    except ProviderError as exc:
        log.warning("public assistant: model call failed (%s)", exc.outcome)
        return Reply(Outcome.ERROR, FAILED_TEXT, "modele")
    text = result.text.strip()
    if not text or says_not_found(text):
        return Reply(Outcome.NOT_FOUND, NOT_FOUND_TEXT.format(name=asked.tenant_name))
    return Reply(Outcome.ANSWERED, text, sources=sources_of(asked.slug, text, grounding))


def _store(
    db: Session, asked: Asked, masked: policy.Masked, reply: Reply, ms: float
) -> PublicExchange:
    row = PublicExchange(
        tenant_id=asked.tenant_id,
        token=secrets.token_urlsafe(16),
        conversation=asked.conversation,
        question=masked.text,
        answer=reply.text,
        outcome=reply.outcome,
        category=reply.category,
        masked=masked.counts,
        sources=reply.sources,
        latency_ms=ms,
    )
    db.add(row)
    stats.count(db, asked.tenant_id, reply.outcome)
    db.flush()
    return row


class Slots:
    """How many visitors of this process wait for the model. The local model writes one
    answer at a time: past `size` waiting visitors, the next ones get the passages at once
    rather than wait minutes (and time out)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.taken = 0  # only changed on the event loop's thread

    def take(self) -> bool:
        if self.taken >= self.size:
            return False
        self.taken += 1
        return True

    def give_back(self) -> None:
        self.taken -= 1


def extracts(slug: str, grounding: Grounding) -> Reply:
    """The best passage (with the others as further sources), quoted: cited, not written."""
    first = grounding.sources[:1]
    sources = sources_of(slug, "[1]", Grounding(grounding.query, first))
    return Reply(Outcome.EXTRACTS, BUSY_TEXT, sources=sources)


async def respond(
    *,
    sessions: sessionmaker[Session],
    gateway: Gateway,
    embedder_for: Any,
    asked: Asked,
    slots: Slots | None = None,
) -> PublicExchange:
    """Answer `asked` and store the exchange (masked). Raises `PiiEngineUnavailable` when the
    personal data cannot be masked: nothing is searched, sent or stored then."""
    start = time.monotonic()

    def prepare() -> tuple[policy.Masked, Reply | None, Grounding]:
        with session_scope(sessions) as db:
            return _prepare(db, asked, embedder_for)

    masked, reply, grounding = await asyncio.to_thread(prepare)
    if reply is None and slots is not None and not slots.take():
        reply = extracts(asked.slug, grounding)
    elif reply is None:
        try:
            reply = await _ask_model(gateway, sessions, asked, grounding)
        finally:
            if slots is not None:
                slots.give_back()
    reply.masked = masked.counts
    elapsed = (time.monotonic() - start) * 1000

    def store() -> PublicExchange:
        with session_scope(sessions) as db:
            row = _store(db, asked, masked, reply, elapsed)
            db.expunge(row)
            return row

    return await asyncio.to_thread(store)
