"""Document collections, documents and their chunks (the units that search returns).

Lexical search reads `Chunk.search_text` (French-stemmed terms, space separated): SQLite keeps
an FTS5 index on it in sync through triggers (see `civia.documents.lexical`), PostgreSQL a GIN
expression index. Dense vectors live in `Chunk.embedding` as little-endian float16 bytes.
`tenant_id` and `collection_id` are copied onto every chunk so that permission filters are part
of the search query itself.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civia.db.base import Base, Timestamped, utcnow


class Scope(StrEnum):
    PERSONAL = "personal"
    SERVICE = "service"
    TENANT = "tenant"


SCOPE_LABELS = {
    Scope.PERSONAL: "Personnelle",
    Scope.SERVICE: "Service",
    Scope.TENANT: "Collectivité",
}


class DocumentStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    READY = "ready"
    ERROR = "error"


STATUS_LABELS = {
    DocumentStatus.PENDING: "En attente",
    DocumentStatus.PROCESSING: "En cours de traitement",
    DocumentStatus.READY: "Prêt",
    DocumentStatus.ERROR: "Erreur",
}


class Collection(Base, Timestamped):
    """A set of documents readable by one user, one service or a whole collectivité."""

    __tablename__ = "doc_collections"
    __table_args__ = (CheckConstraint("scope IN ('personal', 'service', 'tenant')", name="scope"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(20), default=Scope.PERSONAL.value)
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    documents: Mapped[list[Document]] = relationship(
        back_populates="collection", cascade="all, delete-orphan", passive_deletes=True
    )


class Document(Base, Timestamped):
    __tablename__ = "doc_documents"
    __table_args__ = (UniqueConstraint("collection_id", "sha256", name="collection_sha256"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("doc_collections.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(500))
    filename: Mapped[str] = mapped_column(String(500), default="")
    mime: Mapped[str] = mapped_column(String(200), default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), default=DocumentStatus.PENDING.value)
    error: Mapped[str] = mapped_column(Text, default="")  # in French, shown to users
    pages: Mapped[int | None] = mapped_column(Integer)
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    collection: Mapped[Collection] = relationship(back_populates="documents")
    chunks: Mapped[list[Chunk]] = relationship(
        back_populates="document",
        order_by="Chunk.ordinal",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Chunk(Base):
    """A passage of a document: what search returns and what answers cite."""

    __tablename__ = "doc_chunks"
    __table_args__ = (
        UniqueConstraint("document_id", "ordinal", name="document_ordinal"),
        Index("ix_doc_chunks_tenant_collection", "tenant_id", "collection_id"),
        Index("ix_doc_chunks_tenant_vector_version", "tenant_id", "vector_version"),
        Index(
            "ix_doc_chunks_search_tsv",
            text("to_tsvector('simple', search_text)"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    collection_id: Mapped[int] = mapped_column(ForeignKey("doc_collections.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(
        ForeignKey("doc_documents.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    heading: Mapped[str] = mapped_column(Text, default="")  # "Titre > Sous-titre"
    page: Mapped[int | None] = mapped_column(Integer)
    page_end: Mapped[int | None] = mapped_column(Integer)
    char_start: Mapped[int] = mapped_column(Integer, default=0)
    char_end: Mapped[int] = mapped_column(Integer, default=0)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    search_text: Mapped[str] = mapped_column(Text, default="")
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    embedding_model: Mapped[str] = mapped_column(String(100), default="")
    # Tenant index version at which `embedding` was written: caches load only newer rows.
    vector_version: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped[Document] = relationship(back_populates="chunks")


class SearchIndexState(Base):
    """Per-tenant change counters, so that in-process vector caches know when to reload.

    `version` moves on every change; `purge_version` only when chunks are removed or their
    vectors replaced (an append-only change lets caches load just the new rows).
    """

    __tablename__ = "doc_index_states"
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, default=0)
    purge_version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- SQLite full-text index (FTS5) over Chunk.search_text ---------------------------------------
# External-content FTS5 table kept in sync by triggers, so that it follows every insert, update
# and (cascaded) delete of chunks in the same transaction. Alembic migrations run these
# statements on SQLite; PostgreSQL uses the GIN index declared on Chunk instead.

FTS_TABLE = "doc_chunks_fts"

SQLITE_FTS_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS doc_chunks_fts USING fts5(search_text, "
    "content='doc_chunks', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS doc_chunks_fts_ai AFTER INSERT ON doc_chunks BEGIN "
    "INSERT INTO doc_chunks_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS doc_chunks_fts_ad AFTER DELETE ON doc_chunks BEGIN "
    "INSERT INTO doc_chunks_fts(doc_chunks_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS doc_chunks_fts_au AFTER UPDATE OF search_text ON doc_chunks "
    "BEGIN INSERT INTO doc_chunks_fts(doc_chunks_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO doc_chunks_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_FTS_DROP = [
    "DROP TRIGGER IF EXISTS doc_chunks_fts_ai",
    "DROP TRIGGER IF EXISTS doc_chunks_fts_ad",
    "DROP TRIGGER IF EXISTS doc_chunks_fts_au",
    "DROP TABLE IF EXISTS doc_chunks_fts",
]


@event.listens_for(Chunk.__table__, "after_create")
def _create_fts(_table: Any, connection: Connection, **_kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_FTS_DDL:
            connection.exec_driver_sql(statement)


@event.listens_for(Chunk.__table__, "before_drop")
def _drop_fts(_table: Any, connection: Connection, **_kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_FTS_DROP:
            connection.exec_driver_sql(statement)


# --- Chat with documents ------------------------------------------------------------------------


class DocumentChat(Base, Timestamped):
    """A conversation grounded on one collection or one document. Both ids null: what it was
    grounded on was deleted, and the conversation now finds nothing (it says so)."""

    __tablename__ = "doc_chats"
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    collection_id: Mapped[int | None] = mapped_column(
        ForeignKey("doc_collections.id", ondelete="SET NULL"), index=True
    )
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("doc_documents.id", ondelete="SET NULL"), index=True
    )
    label: Mapped[str] = mapped_column(String(500), default="")  # shown above the conversation


class AnswerSources(Base):
    """The passages a grounded answer rests on (as shown to the user), kept for reloads."""

    __tablename__ = "doc_answer_sources"
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    found: Mapped[bool] = mapped_column(default=True)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
