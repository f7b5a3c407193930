"""Acts in the database and in the search index: upsert (in batches), re-index, delete.

Each act is one document of its tenant's acts collection; its indexed text is `act_text`
(metadata header, then the body) and goes through the documents pipeline: `extract`,
`chunk_blocks`, French-stemmed lexical terms (`index_chunks`), vectors later
(`embed_pending`). Imports run in batches: one query finds the batch's existing acts, one
flush writes its documents and acts, one index version covers its chunks — per-act ORM round
trips made a 20,000-row file take minutes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session, undefer

from civia.accounts.models import Tenant
from civia.db.base import utcnow
from civia.documents.acts.models import Act, ActCorpus
from civia.documents.acts.records import ActRecord
from civia.documents.acts.text import act_text
from civia.documents.chunking import chunk_blocks
from civia.documents.dense import bump_version
from civia.documents.extract import extract
from civia.documents.ingest import delete_document, index_chunks, sha256
from civia.documents.models import Chunk, Collection, Document, DocumentStatus, Scope

CORPUS_NAME = "Actes (délibérations, arrêtés)"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")

Key = tuple[str, str, str]


def corpus_for(session: Session, tenant_id: int) -> ActCorpus:
    """The tenant's acts corpus, created with its collection on first use."""
    corpus = session.get(ActCorpus, tenant_id)
    if corpus is not None:
        return corpus
    tenant = session.get(Tenant, tenant_id)
    collection = Collection(
        tenant_id=tenant_id,
        scope=Scope.TENANT.value,
        name=CORPUS_NAME,
        description=f"Actes importés par {tenant.name if tenant else 'la collectivité'}.",
    )
    session.add(collection)
    session.flush()
    corpus = ActCorpus(tenant_id=tenant_id, collection_id=collection.id, shared_with_all=False)
    session.add(corpus)
    session.flush()
    return corpus


def find(session: Session, tenant_id: int, key: Key) -> Act | None:
    return _existing(session, tenant_id, [key]).get(key)


def _existing(session: Session, tenant_id: int, keys: Sequence[Key]) -> dict[Key, Act]:
    if not keys:
        return {}
    rows = session.execute(
        select(Act)
        .where(
            Act.tenant_id == tenant_id,
            tuple_(Act.coll_siret, Act.kind, Act.identifier).in_(sorted(set(keys))),
        )
        .options(undefer(Act.body))  # compared with the record: one query, not one per act
    ).scalars()
    return {(act.coll_siret, act.kind, act.identifier): act for act in rows}


def _filename(act: Act) -> str:
    stem = _UNSAFE_NAME.sub("-", f"{act.kind}-{act.coll_siret or 'sans-siret'}")
    return f"{stem}-{_UNSAFE_NAME.sub('-', act.identifier)[:200]}.txt"


def _same(act: Act, values: dict[str, object]) -> bool:
    return all(getattr(act, name) == value for name, value in values.items())


@dataclass
class Upserted:
    outcomes: list[str]  # per record: "created", "updated" or "unchanged"
    acts: dict[Key, Act]


def upsert_many(
    session: Session,
    *,
    corpus: ActCorpus,
    records: Sequence[ActRecord],
    source: str = "scdl",
    imported_by_id: int | None = None,
    import_id: int | None = None,
) -> Upserted:
    """Create or update the acts of `records`, in order (a key seen twice: the last wins).
    An empty body keeps the body already known (an SCDL row has none; the act's file may have
    been imported before)."""
    existing = _existing(session, corpus.tenant_id, [r.key for r in records])
    final: dict[Key, dict[str, object]] = {}
    outcomes = []
    for record in records:
        values = record.values()
        previous = final.get(record.key)
        if previous is None and record.key in existing:
            previous = {n: getattr(existing[record.key], n) for n in values}
        if not record.body and previous is not None:
            values["body"] = previous["body"]
        if previous is None:
            outcomes.append("created")
        else:
            outcomes.append("unchanged" if previous == values else "updated")
        final[record.key] = values
    created = [key for key in final if key not in existing]
    changed = [key for key in final if key in existing and not _same(existing[key], final[key])]
    acts = dict(existing)
    acts.update(_create(session, corpus, created, final, source, imported_by_id, import_id))
    _update(session, corpus, [existing[key] for key in changed], final, import_id)
    session.flush()
    return Upserted(outcomes, acts)


def _create(
    session: Session,
    corpus: ActCorpus,
    keys: list[Key],
    final: dict[Key, dict[str, object]],
    source: str,
    imported_by_id: int | None,
    import_id: int | None,
) -> dict[Key, Act]:
    if not keys:
        return {}
    acts = {
        key: Act(
            tenant_id=corpus.tenant_id,
            import_id=import_id,
            imported_by_id=imported_by_id,
            source=source,
            **final[key],
        )
        for key in keys
    }
    pairs = [
        (
            Document(
                tenant_id=corpus.tenant_id,
                collection_id=corpus.collection_id,
                uploaded_by_id=imported_by_id,
                title=act.objet[:500],
                filename=_filename(act),
                mime="text/plain",
                status=DocumentStatus.PENDING.value,
                meta={},
            ),
            act,
        )
        for act in acts.values()
    ]
    session.add_all(document for document, _ in pairs)
    _index(session, corpus, pairs)
    for document, act in pairs:
        act.document_id = document.id
    session.add_all(acts.values())
    return acts


def _update(
    session: Session,
    corpus: ActCorpus,
    acts: list[Act],
    final: dict[Key, dict[str, object]],
    import_id: int | None,
) -> None:
    if not acts:
        return
    for act in acts:
        for name, value in final[(act.coll_siret, act.kind, act.identifier)].items():
            setattr(act, name, value)
        act.import_id = import_id or act.import_id
        act.updated_at = utcnow()
    ids = [act.document_id for act in acts]
    session.execute(delete(Chunk).where(Chunk.document_id.in_(ids)))
    bump_version(session, corpus.tenant_id, purge=True)  # vector caches drop the old chunks
    found = session.execute(select(Document).where(Document.id.in_(ids))).scalars()
    documents = {document.id: document for document in found}
    for act in acts:
        documents[act.document_id].title = act.objet[:500]
    _index(session, corpus, [(documents[act.document_id], act) for act in acts])


def _index(session: Session, corpus: ActCorpus, pairs: list[tuple[Document, Act]]) -> None:
    """Extract and chunk each act's text as a plain-text file, then index the chunks. Every
    document field is set before the one flush, so that the chunk inserts, which autoflush,
    find nothing left to update."""
    chunked = []
    for document, act in pairs:
        data = act_text(act).encode("utf-8")
        extracted = extract(data, document.filename, mime="text/plain")
        drafts = chunk_blocks(extracted.blocks)
        document.sha256, document.size_bytes = sha256(data), len(data)
        document.pages, document.chunk_count = extracted.pages, len(drafts)
        document.status, document.error = DocumentStatus.READY.value, ""
        document.updated_at = utcnow()
        chunked.append((document, drafts))
    session.flush()  # document ids
    version = bump_version(session, corpus.tenant_id)
    for document, drafts in chunked:
        index_chunks(session, document, drafts, version=version)


def delete_act(session: Session, act: Act) -> None:
    """Remove the act, its document and chunks (the FTS index follows through triggers)."""
    document = session.get(Document, act.document_id)
    session.delete(act)
    session.flush()
    if document is not None:
        delete_document(session, document)
