"""Chat with a document or a collection: every question is answered from `grounding.ground`
passages, numbered so the model cites them as [n]; the sources shown are the ones it cited.

When no passage is a strong enough match (`Grounding.relevant_only`), the model is not asked
at all: the answer is `NOT_FOUND_FR`. Retrieval is permission-filtered inside the search, so
whatever an uploaded document says ("ignore your instructions…"), the prompt only ever holds
passages the user may read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.chat.models import Conversation, Message
from civia.documents.embedding import Embedder
from civia.documents.errors import EmptyQueryError
from civia.documents.grounding import NOT_FOUND_FR, Grounding, Source, ground
from civia.documents.lexical import query_terms
from civia.documents.models import AnswerSources, Collection, Document, DocumentChat
from civia.documents.permissions import readable_collection_ids
from civia.providers.base import ChatMessage

TOP_K = 5
PROMPT_CHARS = 3500  # extracts: ~1,000 tokens; prompt evaluation dominates on 2 cores
HISTORY_CHARS = 1500  # the previous exchange, for follow-up questions
# The last line of the prompt. Of the variants tried on the local 1.5B model
# (bench/results/documents-chat.md), this one makes it cite: 19/20 answers cite the right
# passage, against 9/20 for « en citant les extraits [n] »; an example sentence got copied.
ANSWER_RULE = (
    "Réponds en français, en une à trois phrases, et écris après chaque phrase entre crochets "
    "le numéro de l'extrait d'où elle vient."
)
_CITATION = re.compile(r"\[(\d{1,2})\]")


class ScopeNotFound(Exception):
    """The collection or document asked for does not exist or is not readable (→ 404)."""


@dataclass
class Prepared:
    grounding: Grounding  # relevant sources only
    messages: list[ChatMessage]
    notice: str = ""  # the answer to give without a model call, when not found

    @property
    def reply(self) -> str:
        return self.notice or NOT_FOUND_FR

    @property
    def found(self) -> bool:
        return self.grounding.found


def readable_document(db: Session, user: User, document_id: int) -> Document | None:
    document = db.get(Document, document_id)
    if document is None or document.collection_id not in readable_collection_ids(db, user):
        return None
    return document


def readable_collection(db: Session, user: User, collection_id: int) -> Collection | None:
    if collection_id not in readable_collection_ids(db, user):
        return None
    return db.get(Collection, collection_id)


def scope_label(
    db: Session, user: User, *, collection_id: int | None, document_id: int | None
) -> str:
    """« Document « X » » or « Collection « Y » »; raises ScopeNotFound when not readable."""
    if document_id is not None:
        document = readable_document(db, user, document_id)
        if document is None:
            raise ScopeNotFound
        return f"Document « {document.title or document.filename} »"
    if collection_id is not None:
        collection = readable_collection(db, user, collection_id)
        if collection is None:
            raise ScopeNotFound
        return f"Collection « {collection.name} »"
    raise ScopeNotFound


def attach(
    db: Session,
    user: User,
    conv: Conversation,
    *,
    collection_id: int | None,
    document_id: int | None,
) -> DocumentChat:
    """Ground a new conversation on a readable collection or document."""
    label = scope_label(db, user, collection_id=collection_id, document_id=document_id)
    scope = DocumentChat(
        conversation_id=conv.id,
        tenant_id=user.tenant_id,
        collection_id=None if document_id is not None else collection_id,
        document_id=document_id,
        label=label,
    )
    db.add(scope)
    db.flush()
    return scope


def scope_of(db: Session, conversation_id: int) -> DocumentChat | None:
    return db.get(DocumentChat, conversation_id)


def prepare(
    db: Session,
    user: User,
    conv: Conversation,
    scope: DocumentChat,
    *,
    answer: Message,
    instructions: str,
    embedder: Embedder | None,
) -> Prepared:
    """Ground the question that `answer` replies to and build the prompt."""
    earlier = [m for m in conv.messages if m.id < answer.id]
    question = next((m.content for m in reversed(earlier) if m.role == "user"), "")
    if not query_terms(question):  # « c'est quoi ça ? »: nothing to search for
        return Prepared(Grounding(question), [], notice=EmptyQueryError().message_fr)
    if scope.collection_id is None and scope.document_id is None:
        grounding = Grounding(question)  # what it was grounded on is gone
    else:
        grounding = ground(
            db,
            user,
            question,
            embedder=embedder,
            collection_ids=None if scope.collection_id is None else [scope.collection_id],
            document_ids=None if scope.document_id is None else [scope.document_id],
            top_k=TOP_K,
        ).relevant_only()
    return Prepared(grounding, prompt(grounding, question, earlier[:-1], instructions))


def prompt(
    grounding: Grounding, question: str, history: list[Message], instructions: str
) -> list[ChatMessage]:
    system = f"{instructions}\n\n{grounding.instructions()}".strip()
    turns: list[ChatMessage] = []
    previous = [m for m in history if m.content.strip() and m.status != "error"][-2:]
    if sum(len(m.content) for m in previous) <= HISTORY_CHARS:
        turns = [ChatMessage(m.role, m.content) for m in previous]
    user = (
        f"Extraits numérotés :\n\n{grounding.prompt_block(PROMPT_CHARS)}\n\n"
        f"Question : {question}\n\n{ANSWER_RULE}"
    )
    return [ChatMessage("system", system), *turns, ChatMessage("user", user)]


def says_not_found(text: str) -> bool:
    return NOT_FOUND_FR.rstrip(".").lower() in " ".join(text.split()).lower()


def cited(text: str, grounding: Grounding) -> list[Source]:
    """The sources an answer cites, in the order of their numbers."""
    numbers = sorted({int(n) for n in _CITATION.findall(text)})
    return [s for n in numbers if (s := grounding.by_number(n)) is not None]


def shown_sources(text: str, grounding: Grounding) -> tuple[bool, list[Source]]:
    """(found, sources to show): the cited ones; all of them when the model cited none
    (it still answered from them); none when it says the answer is not there."""
    if not grounding.found or says_not_found(text):
        return False, []
    return True, cited(text, grounding) or list(grounding.sources)


def citing(answer: str, number: int) -> str:
    """The sentences of `answer` that cite source `number` (what its quote should match)."""
    marker = f"[{number}]"
    sentences = re.split(r"(?<=[.!?])\s+", answer)
    return " ".join(s for s in sentences if marker in s) or answer


def source_dict(source: Source, *, cited: bool = True, answer: str = "") -> dict[str, Any]:
    """What the page shows of a source; `cited` is False for the passages listed because the
    answer cites none of them explicitly. With the `answer`, the quote is the passage's part
    closest to the sentences citing it."""
    return {
        "cited": cited,
        "number": source.number,
        "document_id": source.document_id,
        "ordinal": source.ordinal,
        "title": source.title,
        "where": source.where,
        "quote": source.quote(near=citing(answer, source.number) if answer else ""),
        "url": source.url,
    }


def save_sources(
    db: Session,
    message_id: int,
    *,
    found: bool,
    sources: list[Source],
    cited: bool = True,
    answer: str = "",
) -> None:
    row = db.get(AnswerSources, message_id) or AnswerSources(message_id=message_id)
    row.found = found
    row.sources = [source_dict(s, cited=cited, answer=answer) for s in sources]
    db.add(row)


def sources_for(db: Session, message_ids: list[int]) -> dict[int, AnswerSources]:
    if not message_ids:
        return {}
    rows = db.scalars(select(AnswerSources).where(AnswerSources.message_id.in_(message_ids)))
    return {row.message_id: row for row in rows}
