"""Pilotage dashboard load time on a large ledger, before and after the per-agent daily
roll-ups (`steering_daily_active`, `steering_daily_users`).

    python bench/bench_dashboard.py --sizes 100000,1000000 [--pg] [--before DIR] [--runs 5]
        [--keep DIR]

For each database (SQLite file, and PostgreSQL with --pg) and each size: one collectivité of
`--users` agents in 10 services, the calls spread over 90 days with their ledger rows; the
roll-ups are built once (as the hourly task does); then `dashboard.build` (every figure of
/pilotage over 30 days, all services, signals included) is timed `--runs` times after a warm-up.
`--before DIR`: a checkout of the code before this change (e.g. `git archive <commit> | tar -x
-C DIR`), timed on the same database in a subprocess (it reads the same roll-up of sums,
but counts distinct users from the calls).
`--keep DIR`: keep the filled databases (SQLite files in DIR, PostgreSQL schemas
`bench_dashboard_<size>`) and reuse them on the next run; their roll-up tables are dropped,
created again and rebuilt from the calls, so a change of the roll-ups is measured too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime

from bench_steering import PG_URL, fill
from common import ROOT, Machine, p50, percentile, table, write_results

sys.path.insert(0, str(ROOT))

TIMER = """
import json, sys, time
from datetime import datetime
sys.path.insert(0, {root!r})
from civia.plugins.tables import metadata
metadata()
from civia.db.engine import make_engine, make_sessionmaker
from civia.steering import dashboard
from civia.steering.filters import period
import os
from sqlalchemy import text
sessions = make_sessionmaker(make_engine({url!r}))
times, cpu = [], []


def server_ms(db):  # the PostgreSQL backend's CPU (same machine), 0 for SQLite (in-process)
    if db.get_bind().dialect.name != "postgresql":
        return 0.0
    pid = db.scalar(text("SELECT pg_backend_pid()"))
    fields = open(f"/proc/{{pid}}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


with sessions() as db:
    for i in range({runs} + 1):
        started, cpu_started, server = time.perf_counter(), time.process_time(), server_ms(db)
        board = dashboard.build(db, period({tenant}, days=30, now=datetime.fromisoformat({now!r})))
        if i:
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000 + server_ms(db) - server)
    # the J+30 review of the collectivité launched 30 days ago: figures, signals, verdict,
    # then its PDF and DOCX (the review is not kept)
    from datetime import timedelta
    from sqlalchemy import select
    from civia.accounts.models import User
    from civia.steering import review_routes, reviews
    from civia.steering.models import Review
    launch = (datetime.fromisoformat({now!r}) - timedelta(days=30)).date()
    author = db.scalar(select(User).where(User.tenant_id == {tenant}).limit(1))
    review_times = []
    for i in range({runs} + 1):
        started = time.perf_counter()
        fig = reviews.figures(db, {tenant}, None, 30, launch)
        verdict = reviews.verdict(30, fig)
        review = Review(tenant_id={tenant}, milestone=30, launch_date=launch, figures=fig,
                        recommendation=verdict.recommendation, reasons=verdict.reasons)
        db.add(review)
        db.flush()
        review_routes.pdf(db, author, review.id)
        review_routes.docx(db, author, review.id)
        if i:
            review_times.append((time.perf_counter() - started) * 1000)
    db.rollback()
print(json.dumps({{"times": times, "cpu": cpu, "calls": board.totals["calls"],
                  "users": board.totals["active_users_30d"], "review_times": review_times}}))
"""


def timed(root: str, url: str, tenant_id: int, runs: int, now: str) -> dict[str, object]:
    """Both versions see the same 30 days (`now` fixed), so their figures must agree."""
    code = TIMER.format(root=root, url=url, tenant=tenant_id, runs=runs, now=now)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def kept(url: str) -> tuple[object, int] | None:
    """A database filled by an earlier run, its roll-up tables emptied to be rebuilt."""
    from sqlalchemy import inspect, select

    from civia.accounts.models import Tenant
    from civia.db.engine import make_engine, make_sessionmaker
    from civia.plugins.tables import metadata
    from civia.steering import rollup

    metadata()
    engine = make_engine(url)
    if not inspect(engine).has_table("tenants"):
        return None
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        tenant_id = db.scalar(select(Tenant.id).where(Tenant.slug == "bench"))
    if tenant_id is None:
        return None
    derived = [model.__table__ for model in rollup.TABLES]  # type: ignore[attr-defined]
    for one_table in derived:
        one_table.drop(engine, checkfirst=True)
    for one_table in derived:
        one_table.create(engine)
    return sessions, tenant_id


def one(label: str, url: str, size: int, args: argparse.Namespace) -> list[object]:
    from civia.steering import rollup

    found = kept(url) if args.keep else None
    if found is None:
        sessions, tenant_id, fill_s = fill(url, args.users, size)
    else:
        (sessions, tenant_id), fill_s = found, float("nan")
    with sessions() as db:  # type: ignore[operator]
        started = time.perf_counter()
        rollup.rebuild(db, tenant_id)
        db.commit()
        rollup_s = time.perf_counter() - started
    now = datetime.now(UTC).isoformat()
    after = timed(str(ROOT), url, tenant_id, args.runs, now)
    row: list[object] = [label, f"{size:,}"]
    if args.before:
        before = timed(args.before, url, tenant_id, args.runs, now)
        assert before["calls"] == after["calls"] and before["users"] == after["users"], (
            before,
            after,
        )
        row += [f"{p50(before['times']):.0f}", f"{percentile(before['times'], 95):.0f}"]  # type: ignore[arg-type]
    row += [
        f"{p50(after['times']):.0f}",  # type: ignore[arg-type]
        f"{percentile(after['times'], 95):.0f}",  # type: ignore[arg-type]
    ]
    if args.before:
        row += [f"{p50(before['cpu']):.0f}"]  # type: ignore[arg-type]
    row += [f"{p50(after['cpu']):.0f}"]  # type: ignore[arg-type]
    if args.before:
        row += [f"{p50(before['review_times']):.0f}"]  # type: ignore[arg-type]
    row += [
        f"{p50(after['review_times']):.0f}",  # type: ignore[arg-type]
        f"{percentile(after['review_times'], 95):.0f}",  # type: ignore[arg-type]
        int(after["calls"]),  # type: ignore[call-overload]
        f"{fill_s:.0f}",
        f"{rollup_s:.1f}",
    ]
    print(row, flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only (with --pg)")
    parser.add_argument("--before", default="")
    parser.add_argument("--keep", default="", help="folder: keep and reuse the databases")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    machine = Machine()
    rows = []
    for size in sizes:
        if not args.no_sqlite:
            if args.keep:
                rows.append(one("SQLite", f"sqlite:///{args.keep}/dashboard-{size}.db", size, args))
            else:
                with tempfile.TemporaryDirectory() as tmp:
                    rows.append(one("SQLite", f"sqlite:///{tmp}/d.db", size, args))
        if args.pg:
            from sqlalchemy import create_engine, text

            schema = f"bench_dashboard_{size}" if args.keep else "bench_" + uuid.uuid4().hex[:8]
            admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            try:
                url = f"{PG_URL}?options=-csearch_path%3D{schema}"
                rows.append(one("PostgreSQL", url, size, args))
            finally:
                if not args.keep:
                    with admin.connect() as conn:
                        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    machine.finish()
    head = ["database", "calls in the ledger"]
    if args.before:
        head += ["before p50 ms", "before p95 ms"]
    head += ["after p50 ms", "after p95 ms"]
    if args.before:
        head += ["before CPU p50 ms"]
    head += ["after CPU p50 ms"]
    if args.before:
        head += ["J+30 review before p50 ms"]
    head += ["J+30 review p50 ms", "J+30 review p95 ms", "calls in the 30 days", "fill s"]
    head += ["roll-ups built in s"]
    lines = [
        "## Pilotage dashboard on a large ledger (`bench/bench_dashboard.py`)",
        "",
        machine.markdown(),
        "",
        f"`dashboard.build` (every figure of /pilotage over 30 days, all services, signals "
        f"included) for one collectivité of {args.users:,} agents in 10 services, the calls "
        f"spread over 90 days in arrival order with their ledger rows (PostgreSQL: VACUUM "
        f"ANALYZE after the fill, as autovacuum does); roll-ups built once; {args.runs} runs "
        "after one warm-up, each version in its own process on the same database. « before »: "
        "each window's distinct users counted by SQL over the per-agent daily roll-ups "
        "(`steering_daily_active`, `steering_daily_users`), about 45 queries; « after »: one "
        "read of each agent's bitmap of active days (`steering_active_days`) and one query for "
        "every window's live edges (partial first and last days, today), all windows counted "
        "in Python. « J+30 review »: `reviews.figures` and `reviews.verdict` for the "
        "collectivité launched 30 days ago, then its PDF and DOCX. « CPU »: the build's CPU time "
        "(the process, plus the PostgreSQL backend's from /proc), which the machine's load "
        "inflates far less than wall time. Both versions give the same "
        "figures (the script checks calls and active users; `tests/steering/test_people.py` and "
        "`test_rollup.py` check every window against the calls).",
        "",
        table(head, rows),
        "",
    ]
    write_results("dashboard", "\n".join(lines))


if __name__ == "__main__":
    main()
