"""Governance hooks of the documents area: the retention purger ("documents": uploads older
than the collectivité's period go, files included), and a user's data export and erasure
(their personal collections and their chats with documents; their name is removed from what
they shared).

`governance_items(data_dir)` gives them to the documents plugin (`register_governance`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.chat.models import Conversation, Message
from civia.documents import storage
from civia.documents.dense import bump_version
from civia.documents.models import AnswerSources, Chunk, Collection, Document, DocumentChat, Scope
from civia.plugins.registries import Purger, RightsSection


def purge_documents(db: Session, tenant_id: int, cutoff: datetime, *, data_dir: Path) -> int:
    """Delete the tenant's documents uploaded before `cutoff`, with chunks and files."""
    ids = list(
        db.scalars(
            select(Document.id).where(Document.tenant_id == tenant_id, Document.created_at < cutoff)
        )
    )
    if not ids:
        return 0
    db.execute(delete(Chunk).where(Chunk.document_id.in_(ids)))
    db.execute(delete(Document).where(Document.id.in_(ids)))
    bump_version(db, tenant_id, purge=True)
    for document_id in ids:  # the sweep commits right after; a lost file is never missed
        storage.remove(data_dir, tenant_id, document_id)
    return len(ids)


def _text(db: Session, document_id: int) -> str:
    chunks = db.scalars(
        select(Chunk.text).where(Chunk.document_id == document_id).order_by(Chunk.ordinal)
    )
    return "\n\n".join(chunks)


def export_documents(db: Session, user: User) -> dict[str, Any]:
    """The user's personal collections (with the text extracted from each document) and the
    list of documents they added to shared collections."""
    personal = db.scalars(
        select(Collection)
        .where(Collection.scope == Scope.PERSONAL.value, Collection.owner_user_id == user.id)
        .order_by(Collection.id)
    ).all()
    shared = db.scalars(
        select(Document)
        .join(Collection, Collection.id == Document.collection_id)
        .where(Document.uploaded_by_id == user.id, Collection.scope != Scope.PERSONAL.value)
        .order_by(Document.id)
    ).all()

    def described(document: Document, *, with_text: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "titre": document.title,
            "fichier": document.filename,
            "taille_octets": document.size_bytes,
            "etat": document.status,
            "pages": document.pages,
            "depose_le": document.created_at.isoformat(),
        }
        if with_text:
            data["texte"] = _text(db, document.id)
        return data

    return {
        "collections_personnelles": [
            {
                "nom": c.name,
                "description": c.description,
                "creee_le": c.created_at.isoformat(),
                "documents": [described(d, with_text=True) for d in c.documents],
            }
            for c in personal
        ],
        "documents_partages": [
            dict(described(d, with_text=False), collection=d.collection.name) for d in shared
        ],
        "conversations_avec_documents": _chats(db, user),
    }


def _chats(db: Session, user: User) -> list[dict[str, Any]]:
    """What a chat with documents adds to its conversation (exported with its messages under
    "conversations"): what it was grounded on, and the passages each answer quoted."""
    chats = db.scalars(
        select(DocumentChat)
        .join(Conversation, Conversation.id == DocumentChat.conversation_id)
        .where(Conversation.user_id == user.id)
        .order_by(DocumentChat.conversation_id)
    ).all()
    quoted = db.execute(
        select(Message.conversation_id, AnswerSources)
        .join(Message, Message.id == AnswerSources.message_id)
        .where(Message.conversation_id.in_([c.conversation_id for c in chats]))
        .order_by(AnswerSources.message_id)
    ).all()
    return [
        {
            "conversation": chat.conversation_id,
            "intitule": chat.label,
            "reponses": [
                {"message": row.message_id, "trouve": row.found, "sources": row.sources}
                for conversation_id, row in quoted
                if conversation_id == chat.conversation_id
            ],
        }
        for chat in chats
    ]


def erase_documents(db: Session, user: User, *, data_dir: Path) -> int:
    """Delete the user's personal collections (documents, chunks, files); documents they added
    to shared collections stay (they belong to the service) without their name."""
    collections = list(
        db.scalars(
            select(Collection.id).where(
                Collection.scope == Scope.PERSONAL.value, Collection.owner_user_id == user.id
            )
        )
    )
    documents = list(
        db.scalars(select(Document.id).where(Document.collection_id.in_(collections)))
    ) if collections else []  # fmt: skip
    if collections:
        db.execute(delete(Chunk).where(Chunk.collection_id.in_(collections)))
        db.execute(delete(Document).where(Document.collection_id.in_(collections)))
        db.execute(delete(Collection).where(Collection.id.in_(collections)))
        bump_version(db, user.tenant_id, purge=True)
    db.execute(
        update(Document).where(Document.uploaded_by_id == user.id).values(uploaded_by_id=None)
    )
    for document_id in documents:
        storage.remove(data_dir, user.tenant_id, document_id)
    return len(documents)


def governance_items(data_dir: Path) -> list[Purger | RightsSection]:
    """The purger and the data-rights section of the documents area, for one data folder."""

    def purge(db: Session, tenant_id: int, cutoff: datetime) -> int:
        return purge_documents(db, tenant_id, cutoff, data_dir=data_dir)

    def erase(db: Session, user: User) -> int:
        return erase_documents(db, user, data_dir=data_dir)

    def count(db: Session, user: User) -> int:
        owned = select(Collection.id).where(
            Collection.scope == Scope.PERSONAL.value, Collection.owner_user_id == user.id
        )
        return (
            db.scalar(
                select(func.count()).select_from(Document).where(Document.collection_id.in_(owned))
            )
            or 0
        )

    return [
        Purger("documents", purge),
        RightsSection("documents", export_documents, erase, count=("Documents personnels", count)),
    ]
