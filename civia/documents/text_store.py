"""Documents as text stores (see `text_stores`): passages, section headings, document titles and
file names; and the chats with documents (their questions and answers are conversation messages,
in the "conversations" store; here: the label shown above a chat and the passages an answer
quotes).

A redacted chunk gets its lexical index text recomputed in the same transaction (the SQLite FTS5
table follows through its trigger; PostgreSQL's GIN index is an expression index), and its
vector is **dropped**: the old vector encodes the erased name and must not stay searchable. The
tenant's dense caches are purged (`bump_version(purge=True)`), and the `governance.reembed` job
(see `jobs`) recomputes the missing vectors with `embed_pending`; until then the passage is still
found by lexical search.

The original file of a document whose passages were redacted is deleted (a PDF or a DOCX
cannot be redacted here, and it still names the person): the document stays readable and
searchable in Civia, without « Télécharger l'original » or a re-analysis.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from civia.chat.models import Conversation, Message
from civia.documents import storage
from civia.documents.analysis import analyze
from civia.documents.dense import bump_version
from civia.documents.ingest import IngestSettings, passage_text
from civia.documents.models import AnswerSources, Chunk, Document, DocumentChat
from civia.plugins.text_stores import (
    Item,
    Redact,
    TextStore,
    json_strings,
    like_any,
    redact_json,
)

DOC_FIELDS = {"title": "titre du document", "filename": "nom du fichier"}
CHUNK_FIELDS = {"text": "passage", "heading": "intitulé de section"}


def _find(db: Session, tenant_id: int, anchors: Sequence[str]) -> Iterable[Item]:
    docs = select(Document).where(
        Document.tenant_id == tenant_id,
        or_(*(like_any(getattr(Document, f), anchors) for f in DOC_FIELDS)),
    )
    for doc in db.scalars(docs.order_by(Document.id)):
        for name, label in DOC_FIELDS.items():
            if value := getattr(doc, name):
                yield Item(
                    f"document:{doc.id}:{name}",
                    f"Document n° {doc.id} : {label}",
                    doc.uploaded_by_id,
                    value,
                )
    rows = db.execute(
        select(Chunk, Document.uploaded_by_id)
        .join(Document, Document.id == Chunk.document_id)
        .where(
            Chunk.tenant_id == tenant_id,
            or_(*(like_any(getattr(Chunk, f), anchors) for f in CHUNK_FIELDS)),
        )
        .order_by(Chunk.document_id, Chunk.ordinal)
    )
    for chunk, owner in rows:
        page = f", page {chunk.page}" if chunk.page else ""
        for name, label in CHUNK_FIELDS.items():
            if value := getattr(chunk, name):
                where = f"Document n° {chunk.document_id}{page} : {label} n° {chunk.ordinal + 1}"
                yield Item(f"chunk:{chunk.id}:{name}", where, owner, value)


def _parse(keys: Sequence[str], prefix: str, fields: dict[str, str]) -> dict[int, set[str]]:
    wanted: dict[int, set[str]] = {}
    for key in keys:
        kind, ident, name = [*key.split(":"), "", ""][:3]
        if kind == prefix and ident.isdigit() and name in fields:
            wanted.setdefault(int(ident), set()).add(name)
    return wanted


def _redact(
    db: Session, tenant_id: int, keys: Sequence[str], redact: Redact, *, data_dir: Path
) -> int:
    total = 0
    changed_docs: set[int] = set()
    doc_fields = _parse(keys, "document", DOC_FIELDS)
    if doc_fields:
        stmt = select(Document).where(Document.id.in_(doc_fields), Document.tenant_id == tenant_id)
        for doc in db.scalars(stmt):
            for name in doc_fields[doc.id]:
                new, count = redact(getattr(doc, name) or "")
                if count:
                    setattr(doc, name, new[:500])
                    total += count
                    changed_docs.add(doc.id)
    chunk_fields = _parse(keys, "chunk", CHUNK_FIELDS)
    changed_chunks: set[int] = set()
    quoting: set[int] = set()  # documents whose text named the person
    if chunk_fields:
        chunks = select(Chunk).where(Chunk.id.in_(chunk_fields), Chunk.tenant_id == tenant_id)
        for chunk in db.scalars(chunks):
            for name in chunk_fields[chunk.id]:
                new, count = redact(getattr(chunk, name) or "")
                if count:
                    setattr(chunk, name, new)
                    total += count
                    changed_chunks.add(chunk.id)
                    quoting.add(chunk.document_id)
    if changed_docs or changed_chunks:
        _reindex(db, tenant_id, changed_docs, changed_chunks)
    for document_id in quoting:  # the erasure commits right after
        storage.remove(data_dir, tenant_id, document_id)
    return total


def _reindex(db: Session, tenant_id: int, docs: set[int], chunks: set[int]) -> None:
    """Index text recomputed, vectors dropped (the title is part of every passage's index)."""
    index_title = IngestSettings().index_title
    stmt = (
        select(Chunk, Document.title)
        .join(Document, Document.id == Chunk.document_id)
        .where(or_(Chunk.id.in_(chunks), Chunk.document_id.in_(docs)), Chunk.tenant_id == tenant_id)
    )
    for chunk, title in db.execute(stmt):
        chunk.search_text = analyze(
            passage_text(title if index_title else None, chunk.heading, chunk.text)
        )
        chunk.embedding, chunk.embedding_model, chunk.vector_version = None, "", 0
    db.flush()
    bump_version(db, tenant_id, purge=True)


# --- chats with documents: the label above the chat, the passages quoted under an answer


def _find_chats(db: Session, tenant_id: int, anchors: Sequence[str]) -> Iterable[Item]:
    chats = (
        select(DocumentChat, Conversation.user_id)
        .join(Conversation, Conversation.id == DocumentChat.conversation_id)
        .where(DocumentChat.tenant_id == tenant_id, like_any(DocumentChat.label, anchors))
    )
    for chat, owner in db.execute(chats.order_by(DocumentChat.conversation_id)):
        if chat.label:
            where = f"Conversation n° {chat.conversation_id} avec des documents : son intitulé"
            yield Item(f"docchat:{chat.conversation_id}:label", where, owner, chat.label)
    quoted = (
        select(AnswerSources, Message.conversation_id, Message.created_at, Conversation.user_id)
        .join(Message, Message.id == AnswerSources.message_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.tenant_id == tenant_id, like_any(AnswerSources.sources, anchors))
    )
    for row, conversation_id, created_at, owner in db.execute(
        quoted.order_by(AnswerSources.message_id)
    ):
        if text := json_strings(row.sources):
            where = (
                f"Conversation n° {conversation_id} avec des documents : passages cités par "
                f"la réponse du {created_at.strftime('%d/%m/%Y')}"
            )
            yield Item(f"sources:{row.message_id}:sources", where, owner, text)


def _redact_chats(db: Session, tenant_id: int, keys: Sequence[str], redact: Redact) -> int:
    total = 0
    if labels := _parse(keys, "docchat", {"label": ""}):
        stmt = select(DocumentChat).where(
            DocumentChat.conversation_id.in_(labels), DocumentChat.tenant_id == tenant_id
        )
        for chat in db.scalars(stmt):
            new, count = redact(chat.label)
            chat.label, total = new[:500], total + count
    if answers := _parse(keys, "sources", {"sources": ""}):
        mine = select(Conversation.id).where(Conversation.tenant_id == tenant_id)
        quoted = (
            select(AnswerSources)
            .join(Message, Message.id == AnswerSources.message_id)
            .where(AnswerSources.message_id.in_(answers), Message.conversation_id.in_(mine))
        )
        for row in db.scalars(quoted):
            new_sources, count = redact_json(row.sources, redact)
            if count:  # a new list: the JSON column sees the change
                row.sources, total = list(new_sources), total + count
    db.flush()
    return total


def text_stores(data_dir: Path) -> list[TextStore]:
    def redactor(db: Session, tenant_id: int, keys: Sequence[str], redact: Redact) -> int:
        return _redact(db, tenant_id, keys, redact, data_dir=data_dir)

    return [
        TextStore("documents", "Documents (passages indexés, fichiers originaux)", _find, redactor),
        TextStore("document_chats", "Conversations avec des documents", _find_chats, _redact_chats),
    ]
