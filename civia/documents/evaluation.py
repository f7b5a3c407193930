"""`civia eval retrieval`: measure the real ingestion + search pipeline on a SQuAD file.

Every article (or paragraph, with `unit="paragraph"`) becomes a text document ingested into a
temporary SQLite workspace exactly as an upload would be; every question is then searched and
the top-k distinct documents compared with the article that carries the question.
"""

from __future__ import annotations

import json
import os
import re
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts.models import Tenant
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker
from civia.documents.chunking import ChunkSettings
from civia.documents.embedding import Embedder
from civia.documents.errors import DuplicateDocumentError, EmptyQueryError
from civia.documents.ingest import IngestSettings, ingest_bytes
from civia.documents.models import Chunk, Collection, Scope
from civia.documents.search import SearchSettings, search
from civia.documents.vectors import embed_pending

# By default the evaluation builds the full index, as the product does. Vectors cost ~1 s per
# 1,000 to 5,000 characters on 2 cores: for corpora too big for that (500 documents of 80,000
# characters take hours), a budget is asked for explicitly (`--dense-budget-chars`,
# `--index-budget-seconds`, these constants in the bench): lexical indexing always covers
# everything; vectors are then computed round robin over documents until the budget is spent,
# and the rest is served by lexical search only. The report gives the budget and
# `chunks_embedded`, so a partial index is never read as a full one.
DEFAULT_DENSE_BUDGET_CHARS = 2_000_000
DEFAULT_INDEX_BUDGET_SECONDS = 360.0


@dataclass
class SquadDocument:
    title: str
    text: str
    questions: list[str]


@dataclass
class EvalSettings:
    top_k: int = 10
    unit: str = "article"
    mode: str = "hybrid"
    dense_budget_chars: int | None = None  # None: every chunk gets its vector
    index_budget_seconds: float | None = None
    index_title: bool = True
    search: dict[str, Any] = field(default_factory=dict)
    chunking: dict[str, Any] = field(default_factory=dict)


def load_squad(path: Path, unit: str = "article") -> list[SquadDocument]:
    """Read a SQuAD file into documents with their questions."""
    data = json.loads(path.read_text(encoding="utf-8"))
    documents: list[SquadDocument] = []
    for article in data["data"]:
        title = str(article.get("title") or "Sans titre")
        paragraphs = article.get("paragraphs", [])
        if unit == "paragraph":
            for index, paragraph in enumerate(paragraphs, start=1):
                documents.append(
                    SquadDocument(
                        title=f"{title} §{index}",
                        text=paragraph["context"],
                        questions=[qa["question"] for qa in paragraph.get("qas", [])],
                    )
                )
        else:
            documents.append(
                SquadDocument(
                    title=title,
                    text="\n\n".join(p["context"] for p in paragraphs),
                    questions=[qa["question"] for p in paragraphs for qa in p.get("qas", [])],
                )
            )
    return documents


def _filename(title: str, index: int) -> str:
    slug = re.sub(r"[^\w-]+", "-", title, flags=re.UNICODE).strip("-")[:80] or "document"
    return f"{index:05d}-{slug}.txt"


def _cpu_seconds() -> float:
    """CPU time of this process, every thread (the embedder's OpenMP threads included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


@dataclass
class _Indexed:
    tenant_id: int
    collection_id: int
    seconds: float
    cpu_seconds: float
    duplicates: int
    chunks: int
    chunks_embedded: int


def _index(
    session: Session,
    documents: list[SquadDocument],
    embedder: Embedder | None,
    settings: EvalSettings,
    ingest_settings: IngestSettings,
    say: Callable[[str], None],
) -> _Indexed:
    """Ingest every document as an upload would be, then give vectors within the budget."""
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    tenant = Tenant(slug="eval", name="Évaluation")
    session.add(tenant)
    session.flush()
    collection = Collection(tenant_id=tenant.id, scope=Scope.TENANT.value, name="Évaluation")
    session.add(collection)
    session.flush()
    duplicates = 0
    for index, doc in enumerate(documents):
        try:
            ingest_bytes(
                session,
                collection=collection,
                filename=_filename(doc.title, index),
                data=doc.text.encode("utf-8"),
                title=doc.title,
                settings=ingest_settings,
            )
        except DuplicateDocumentError:
            duplicates += 1
        if index % 100 == 99:
            say(f"{index + 1}/{len(documents)} documents indexés (lexical)")
    session.commit()
    embedded = 0
    if embedder is not None:
        budget = settings.index_budget_seconds
        embedded = embed_pending(
            session,
            embedder,
            tenant_id=tenant.id,
            char_budget=settings.dense_budget_chars,
            seconds_budget=None
            if budget is None
            else max(0.0, budget - (time.perf_counter() - started)),
            settings=ingest_settings,
            progress=lambda n: say(f"{n} passages vectorisés") if n % 1024 == 0 else None,
        )
        session.commit()
    chunks = session.execute(select(func.count(Chunk.id))).scalar_one()
    return _Indexed(
        tenant.id,
        collection.id,
        time.perf_counter() - started,
        _cpu_seconds() - cpu_started,
        duplicates,
        chunks,
        embedded,
    )


def run_eval(
    documents: list[SquadDocument],
    *,
    embedder: Embedder | None,
    settings: EvalSettings,
    workdir: Path | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Ingest, ask every question, and return the figures (see the module docstring)."""
    search_settings = SearchSettings(**{**settings.search, "mode": settings.mode})
    ingest_settings = IngestSettings(
        chunking=ChunkSettings(**settings.chunking), index_title=settings.index_title
    )
    dense = embedder if settings.mode != "lexical" else None
    results: list[dict[str, Any]] = []
    latencies: list[float] = []
    ranks: list[int | None] = []
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="civia-eval-", dir=workdir) as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'eval.db'}")
        Base.metadata.create_all(engine)
        with make_sessionmaker(engine)() as session:
            indexed = _index(
                session, documents, dense, settings, ingest_settings, log or (lambda _: None)
            )
            for doc in documents:
                for question in doc.questions:
                    t0 = time.perf_counter()
                    try:
                        hits = search(
                            session,
                            question,
                            collection_ids=[indexed.collection_id],
                            top_k=settings.top_k,
                            embedder=dense,
                            tenant_id=indexed.tenant_id,
                            max_per_document=1,
                            settings=search_settings,
                        )
                    except EmptyQueryError:
                        hits = []
                    latencies.append((time.perf_counter() - t0) * 1000)
                    retrieved = [hit.title for hit in hits]
                    ranks.append(retrieved.index(doc.title) + 1 if doc.title in retrieved else None)
                    results.append(
                        {"question": question, "expected": doc.title, "retrieved": retrieved}
                    )
        engine.dispose()
    n = max(len(results), 1)

    def recall(k: int) -> float:
        return round(sum(1 for r in ranks if r is not None and r <= k) / n, 4)

    return {
        "documents": len(documents) - indexed.duplicates,
        "questions": len(results),
        "recall_at_1": recall(1),
        "recall_at_5": recall(5),
        "recall_at_10": recall(10),
        "mrr_at_10": round(sum(1 / r for r in ranks if r is not None and r <= 10) / n, 4),
        "index_seconds": round(indexed.seconds, 2),
        # Wall time depends on what else the machine runs: CPU time and load average beside it.
        "index_cpu_seconds": round(indexed.cpu_seconds, 2),
        "index_complete": dense is None or indexed.chunks_embedded == indexed.chunks,
        "load_average_start": [round(x, 2) for x in load_start],
        "query_p50_ms": round(_percentile(latencies, 50), 2),
        "query_p95_ms": round(_percentile(latencies, 95), 2),
        "settings": {
            **asdict(settings),
            "search": asdict(search_settings),
            "chunking": asdict(ingest_settings.chunking),
            "embedder": dense.name if dense is not None else None,
            "embed_batch_size": getattr(dense, "batch_size", None),
            "chunks": indexed.chunks,
            "chunks_embedded": indexed.chunks_embedded,
            "duplicates_skipped": indexed.duplicates,
        },
        "results": results,
    }
