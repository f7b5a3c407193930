"""Governance hooks: retention purges old documents with their files; a user's export holds
their personal collections; erasure deletes them and unnames what they shared."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from civia.db.base import utcnow
from civia.documents import hooks, storage
from civia.documents.ingest import ingest_bytes
from civia.documents.models import Chunk, Collection, Document
from civia.governance import dsr, retention
from civia.governance.models import GovernanceSettings
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


def test_retention_purges_old_documents_and_their_files(world: World, tmp_path: Path) -> None:
    hooks.install(tmp_path)
    db = world.session
    old = _stored(world, tmp_path, world.commune, "vieux.txt", "Arrêté de 2019 sur le marché.")
    new = _stored(world, tmp_path, world.commune, "neuf.txt", "Arrêté de 2026 sur le marché.")
    other = _stored(world, tmp_path, world.other_commune, "ailleurs.txt", "Autre commune, 2019.")
    for document in (old, other):
        db.execute(update(Document).where(Document.id == document.id)
                   .values(created_at=utcnow() - timedelta(days=400)))  # fmt: skip
    db.add(GovernanceSettings(tenant_id=world.tenant.id, documents_days=365))
    db.commit()
    report = retention.sweep(db)
    db.commit()
    assert report[world.tenant.slug] == {"documents": 1}
    assert db.get(Document, old.id) is None and db.get(Document, new.id) is not None
    assert db.get(Document, other.id) is not None  # another collectivité, no period set
    assert db.scalar(select(func.count(Chunk.id)).where(Chunk.document_id == old.id)) == 0
    assert not storage.path_of(tmp_path, old.tenant_id, old.id).exists()
    assert storage.path_of(tmp_path, new.tenant_id, new.id).exists()


def test_export_and_erasure_of_a_users_documents(world: World, tmp_path: Path) -> None:
    hooks.install(tmp_path)
    db = world.session
    mine = _stored(world, tmp_path, world.alice_personal, "notes.txt",
                   "Mes notes sur le dossier de permis de construire.", uploaded_by_id=world.alice.id)  # fmt: skip
    shared = _stored(world, tmp_path, world.urbanisme, "guide.txt",
                     "Guide du service urbanisme.", uploaded_by_id=world.alice.id)  # fmt: skip
    _stored(
        world, tmp_path, world.bob_personal, "bob.txt", "Notes de Bob.", uploaded_by_id=world.bob.id
    )
    db.commit()
    data = hooks.export_documents(db, world.alice)
    assert [c["nom"] for c in data["collections_personnelles"]] == ["Perso Alice"]
    assert "permis de construire" in data["collections_personnelles"][0]["documents"][0]["texte"]
    assert data["documents_partages"] == [dict(data["documents_partages"][0], fichier="guide.txt",
                                               collection="Urbanisme")]  # fmt: skip
    assert "texte" not in data["documents_partages"][0]
    json.dumps(data)
    assert dsr._EXPORTERS["documents"] is hooks.export_documents
    erased = dsr._ERASERS["documents"](db, world.alice)
    db.commit()
    assert erased == 1
    assert db.get(Collection, world.alice_personal.id) is None and db.get(Document, mine.id) is None
    assert not storage.path_of(tmp_path, mine.tenant_id, mine.id).exists()
    kept = db.get(Document, shared.id)
    assert kept is not None and kept.uploaded_by_id is None  # the service keeps its guide
    assert db.get(Collection, world.bob_personal.id) is not None
