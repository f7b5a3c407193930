"""Governance hooks: retention purges old documents with their files; a user's export holds
their personal collections; erasure deletes them and unnames what they shared."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from civia.accounts.models import User
from civia.chat.models import Conversation, Message
from civia.db.base import utcnow
from civia.documents import hooks as documents_hooks
from civia.documents import storage
from civia.documents.ingest import ingest_bytes
from civia.documents.models import AnswerSources, Chunk, Collection, Document, DocumentChat
from civia.governance import dsr, retention
from civia.governance.models import GovernanceSettings
from civia.plugins.registries import Governance
from tests.documents.conftest import World


def _stored(
    world: World, tmp_path: Path, collection: Collection, name: str, text: str, **kw: int
) -> Document:
    document = ingest_bytes(world.session, collection=collection, filename=name,
                            data=text.encode(), **kw)  # fmt: skip
    path = storage.path_of(tmp_path, document.tenant_id, document.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    return document


def test_retention_purges_old_documents_and_their_files(
    world: World, tmp_path: Path, hooks: Governance
) -> None:
    db = world.session
    old = _stored(world, tmp_path, world.commune, "vieux.txt", "Arrêté de 2019 sur le marché.")
    new = _stored(world, tmp_path, world.commune, "neuf.txt", "Arrêté de 2026 sur le marché.")
    other = _stored(world, tmp_path, world.other_commune, "ailleurs.txt", "Autre commune, 2019.")
    for document in (old, other):
        db.execute(update(Document).where(Document.id == document.id)
                   .values(created_at=utcnow() - timedelta(days=400)))  # fmt: skip
    db.add(GovernanceSettings(tenant_id=world.tenant.id, documents_days=365))
    db.commit()
    report = retention.sweep(db, hooks=hooks)
    db.commit()
    assert report[world.tenant.slug] == {"documents": 1}
    assert db.get(Document, old.id) is None and db.get(Document, new.id) is not None
    assert db.get(Document, other.id) is not None  # another collectivité, no period set
    assert db.scalar(select(func.count(Chunk.id)).where(Chunk.document_id == old.id)) == 0
    assert not storage.path_of(tmp_path, old.tenant_id, old.id).exists()
    assert storage.path_of(tmp_path, new.tenant_id, new.id).exists()


def test_export_and_erasure_of_a_users_documents(
    world: World, tmp_path: Path, hooks: Governance
) -> None:
    db = world.session
    mine = _stored(world, tmp_path, world.alice_personal, "notes.txt",
                   "Mes notes sur le dossier de permis de construire.", uploaded_by_id=world.alice.id)  # fmt: skip
    shared = _stored(world, tmp_path, world.urbanisme, "guide.txt",
                     "Guide du service urbanisme.", uploaded_by_id=world.alice.id)  # fmt: skip
    _stored(
        world, tmp_path, world.bob_personal, "bob.txt", "Notes de Bob.", uploaded_by_id=world.bob.id
    )
    db.commit()
    data = documents_hooks.export_documents(db, world.alice)
    assert [c["nom"] for c in data["collections_personnelles"]] == ["Perso Alice"]
    assert "permis de construire" in data["collections_personnelles"][0]["documents"][0]["texte"]
    assert data["documents_partages"] == [dict(data["documents_partages"][0], fichier="guide.txt",
                                               collection="Urbanisme")]  # fmt: skip
    assert "texte" not in data["documents_partages"][0]
    json.dumps(data)
    assert hooks.exporters["documents"] is documents_hooks.export_documents
    erased = hooks.erasers["documents"](db, world.alice)
    db.commit()
    assert erased == 1
    assert db.get(Collection, world.alice_personal.id) is None and db.get(Document, mine.id) is None
    assert not storage.path_of(tmp_path, mine.tenant_id, mine.id).exists()
    kept = db.get(Document, shared.id)
    assert kept is not None and kept.uploaded_by_id is None  # the service keeps its guide
    assert db.get(Collection, world.bob_personal.id) is not None


def _chat(world: World, owner: User, question: str) -> Conversation:
    db = world.session
    conv = Conversation(tenant_id=owner.tenant_id, user_id=owner.id, title=question)
    db.add(conv)
    db.flush()
    db.add(DocumentChat(conversation_id=conv.id, tenant_id=owner.tenant_id,
                        collection_id=world.urbanisme.id, label="Collection : Urbanisme"))  # fmt: skip
    answer = Message(conversation_id=conv.id, role="assistant", content="Oui [1].")
    db.add_all([Message(conversation_id=conv.id, role="user", content=question), answer])
    db.flush()
    db.add(AnswerSources(message_id=answer.id, found=True,
                         sources=[{"number": 1, "title": "Guide", "quote": "Le PLU dit…"}]))  # fmt: skip
    db.flush()
    return conv


def test_a_users_chats_with_documents_are_exported_and_erased(
    world: World, tmp_path: Path, hooks: Governance
) -> None:
    db = world.session
    mine = _chat(world, world.alice, "Que dit le PLU ?")
    theirs = _chat(world, world.bob, "Et pour une clôture ?")
    answer = db.scalar(
        select(Message.id).where(Message.conversation_id == mine.id, Message.role == "assistant")
    )
    data = dsr.export_user(db, world.alice, hooks=hooks)
    assert [c["titre"] for c in data["conversations"]] == ["Que dit le PLU ?"]
    assert data["documents"]["conversations_avec_documents"] == [{
        "conversation": mine.id, "intitule": "Collection : Urbanisme",
        "reponses": [{"message": answer, "trouve": True,
                      "sources": [{"number": 1, "title": "Guide", "quote": "Le PLU dit…"}]}],
    }]  # fmt: skip
    dpo = User(tenant_id=world.tenant.id, login="dpo", display_name="DPO", password_hash="x")
    db.add(dpo)
    db.flush()
    dsr.erase_user(db, dpo=dpo, person=world.alice, hooks=hooks)
    db.commit()
    assert db.get(DocumentChat, mine.id) is None
    chats = db.scalars(select(DocumentChat.conversation_id)).all()
    assert chats == [theirs.id]
    assert db.scalar(select(func.count()).select_from(AnswerSources)) == 1  # Bob's answer only
