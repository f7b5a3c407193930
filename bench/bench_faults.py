"""Fault bench: the at-scale profile on real processes (bench/fault_stack.py), one fault at a
time, each recording what the user saw and what was lost, then how long until users were
served again (from the moment the faulty part was back, or from the fault when nothing has to
come back). Goal: nothing validated or uploaded lost; every job ends done or failed with a
French reason; no English trace, no stream that hangs.

1. the model server killed mid-stream;   2. `civia worker` killed (SIGKILL) mid-job, restarted;
3. Redis restarted mid-stream;            4. PostgreSQL restarted mid-stream;
5. the disk (a tmpfs data folder) full during an upload;
6. the app process serving a stream killed (SIGKILL) behind nginx, then started again.

Needs root (tmpfs mount, the postgres user), nginx, redis-server and Debian's PostgreSQL.
Writes bench/results/faults.md.  Usage: python bench/bench_faults.py [--only 1,4]
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import fault_stack  # noqa: E402
from bench.common import Machine, table, write_results  # noqa: E402
from civia.db.engine import make_engine  # noqa: E402

PROMPT = "Raconte une très longue histoire sur une mairie de village."
KILL_AT_WORD = 120  # 6 s into the answer: its text was saved once (every 5 s)
BOUND_S = 110.0  # every wait of a scenario: each stays under 2 minutes


@dataclass
class Outcome:
    fault: str
    seen: str = ""
    lost: str = ""
    recovery: str = ""
    details: list[str] = field(default_factory=list)


@dataclass
class Stream:
    status: int = 0
    upstream: str = ""
    tokens: int = 0
    done: dict[str, Any] | None = None
    cut: str = ""  # how the stream ended without its `done` event
    seconds: float = 0.0

    def said(self) -> str:
        if self.done is not None:
            error = self.done.get("error") or ""
            return f"« done » {self.done.get('status')!r}" + (f" : « {error} »" if error else "")
        return f"stream cut after {self.tokens} tokens ({self.cut})"


# --- what a browser does ---------------------------------------------------------------------


def ask(client: httpx.Client, csrf: str) -> dict[str, Any]:
    sent = client.post("/conversations", data={"content": PROMPT}, headers={"X-CSRF-Token": csrf})
    sent.raise_for_status()
    return dict(sent.json())


def read(
    client: httpx.Client, url: str, at_token: int = 0, fault: Callable[[Stream], None] | None = None
) -> Stream:
    """Follow an answer's SSE; call `fault` once `at_token` tokens have arrived."""
    out, buf, start = Stream(), "", time.monotonic()
    try:
        with client.stream("GET", url, timeout=httpx.Timeout(BOUND_S, connect=10)) as resp:
            out.status, out.upstream = resp.status_code, resp.headers.get("X-Upstream", "")
            for part in resp.iter_text():
                buf += part
                while "\n\n" in buf:
                    event, buf = buf.split("\n\n", 1)
                    if event.startswith("event: token"):
                        out.tokens += 1
                        if out.tokens == at_token and fault is not None:
                            threading.Thread(target=fault, args=(out,), daemon=True).start()
                    elif event.startswith("event: done"):
                        import json

                        out.done = json.loads(event.split("data: ", 1)[1])
    except httpx.HTTPError as exc:
        out.cut = f"{type(exc).__name__}"
    if out.done is None and not out.cut:
        out.cut = "ended without « done »"
    out.seconds = time.monotonic() - start
    return out


def message_row(url: str, message_id: int) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT status, error, length(content) AS chars FROM messages WHERE id = :i"),
                {"i": message_id},
            ).one()
        return dict(row._mapping)
    finally:
        engine.dispose()


def first_token_after(stack: fault_stack.Stack, client: httpx.Client, csrf: str) -> float:
    """Seconds until a new question gets its first token (retrying), from now."""
    start = time.monotonic()
    while time.monotonic() - start < BOUND_S:
        try:
            sent = ask(client, csrf)
            with client.stream("GET", sent["stream_url"], timeout=30) as resp:
                for part in resp.iter_text():
                    if "event: token" in part:
                        return time.monotonic() - start
                    if "event: done" in part:
                        break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError("no answer within the bound")


class Prober:
    """GET a page every 0.2 s from a thread; counts what the users got meanwhile."""

    def __init__(self, stack: fault_stack.Stack, client: httpx.Client, path: str = "/") -> None:
        self.stack, self.client, self.path = stack, client, path
        self.seen: Counter[str] = Counter()
        self.samples: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                resp = self.client.get(self.path, timeout=15)
                what = str(resp.status_code)
                if resp.status_code >= 400:
                    what += f" « {page_message(resp)} »"
            except httpx.HTTPError as exc:
                what = type(exc).__name__
            self.seen[what] += 1
            self.samples.append((time.monotonic(), what))

    def __enter__(self) -> Prober:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(20)

    def summary(self) -> str:
        return ", ".join(f"{what} ×{n}" for what, n in self.seen.most_common())

    def back_after(self, since: float) -> float | None:
        """Seconds from `since` to the first of 3 pages answered 200 in a row."""
        streak = 0
        for at, what in self.samples:
            if at < since:
                continue
            streak = streak + 1 if what == "200" else 0
            if streak == 3:
                return max(at - since, 0.0)
        return None


def page_message(resp: httpx.Response) -> str:
    if resp.headers.get("content-type", "").startswith("application/json"):
        return str(resp.json().get("detail", ""))[:160]
    found = re.search(r'<p[^>]*class="[^"]*(?:error|alert)[^"]*"[^>]*>(.*?)</p>', resp.text, re.S)
    if not found:
        found = re.search(r"<main[^>]*>(.*?)</main>", resp.text, re.S)
    words = re.sub(r"<[^>]+>", " ", found.group(1) if found else resp.text[:400])
    return html.unescape(" ".join(words.split()))[:240]


def secs(value: float | None) -> str:
    return "not within the bound" if value is None else f"{value:.1f} s"


# --- the faults ------------------------------------------------------------------------------


def model_killed(stack: fault_stack.Stack) -> Outcome:
    out = Outcome("Model server killed mid-stream")
    client, csrf = stack.client()
    sent = ask(client, csrf)
    stream = read(client, sent["stream_url"], at_token=5, fault=lambda _s: stack.kill("upstream"))
    row = message_row(stack.pg.url, sent["answer_id"])
    out.seen = (
        f"HTTP {stream.status}, {stream.tokens} tokens then {stream.said()} "
        f"after {stream.seconds:.1f} s"
    )
    out.lost = f"answer saved as {row['status']!r} with the {row['chars']} characters received"
    with Prober(stack, client) as probe:
        time.sleep(2)
    out.details.append(f"Pages while the model server was down: {probe.summary()}.")
    down = ask(client, csrf)
    refused = read(client, down["stream_url"])
    out.details.append(f"A question asked while it was down: {refused.said()}.")
    stack.start("upstream")
    out.recovery = f"{first_token_after(stack, client, csrf):.1f} s (first token of a new question)"
    client.close()
    return out


def worker_killed(stack: fault_stack.Stack) -> Outcome:
    out = Outcome("`civia worker` killed (SIGKILL) mid-job, then restarted")
    client, csrf = stack.client()
    resp = client.post(
        "/assistants/reformulation",
        data={"csrf_token": csrf, "texte": PROMPT * 20, "registre": "note au président",
              "longueur": "plus développée"},
    )  # fmt: skip
    assert resp.status_code == 303, (resp.status_code, page_message(resp))
    run_id = int(resp.headers["location"].rsplit("/", 1)[1])
    engine = make_engine(stack.pg.url)
    with engine.connect() as conn:
        job_id = conn.execute(
            text("SELECT job_id FROM assistant_runs WHERE id = :i"), {"i": run_id}
        ).scalar_one()
    progress = poll_job(client, job_id, lambda p: p["status"] == "running" and p["percent"] > 0)
    stack.kill("worker")
    killed_at = time.monotonic()
    time.sleep(3)
    during = poll_job(client, job_id, lambda p: True)
    page = client.get(f"/resultats/{run_id}")
    out.details.append(
        f"Killed at {progress['percent']} % ({progress['message']}); while no worker ran the job "
        f"page said {during['label']!r} « {during['message']} », the result page answered "
        f"HTTP {page.status_code}."
    )
    stack.start("worker")
    restarted = time.monotonic()
    again = poll_job(client, job_id, lambda p: p["message"] != during["message"] or p["finished"])
    out.details.append(
        f"The restarted worker took the job back after {time.monotonic() - restarted:.1f} s "
        f"(worker start-up included): {again['label']!r} « {again['message']} »."
    )
    final = poll_job(client, job_id, lambda p: p["finished"])
    took = time.monotonic() - restarted
    with engine.connect() as conn:
        run = conn.execute(
            text("SELECT status, error, length(draft) AS chars FROM assistant_runs WHERE id = :i"),
            {"i": run_id},
        ).one()
        attempts = conn.execute(
            text("SELECT attempts FROM jobs WHERE id = :i"), {"i": job_id}
        ).scalar_one()
    engine.dispose()
    out.seen = (
        f"job {during['label']!r} (« {during['message']} ») until the restart, then "
        f"{final['label']!r}" + (f" : « {final['error']} »" if final["error"] else "")
    )
    out.lost = f"run {run.status!r}, {run.chars} characters, after {attempts} attempts"
    if final["finished"]:
        out.recovery = (
            f"{took:.1f} s from the restart to the job's end "
            f"({time.monotonic() - killed_at:.1f} s from the kill)"
        )
    else:
        out.recovery = "job not finished within the bound"
    client.close()
    return out


def poll_job(
    client: httpx.Client, job_id: int, until: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    deadline, progress = time.monotonic() + BOUND_S, {}
    while time.monotonic() < deadline:
        progress = client.get(f"/travaux/{job_id}", headers={"Accept": "application/json"}).json()
        if until(progress):
            return dict(progress)
        time.sleep(0.3)
    return dict(progress)


def redis_restarted(stack: fault_stack.Stack) -> Outcome:
    out = Outcome("Redis restarted mid-stream")
    client, csrf = stack.client()
    sent = ask(client, csrf)
    events: dict[str, Any] = {}

    def fault(_stream: Stream) -> None:
        stack.redis.stop()
        other = httpx.Client(base_url=stack.base, timeout=30)
        try:
            events["login"] = login_status(other)
            stop = client.post(sent["stop_url"], headers={"X-CSRF-Token": csrf})
            events["stop"] = f"HTTP {stop.status_code}"
        finally:
            other.close()
        time.sleep(1)
        stack.redis.start()
        events["back"] = time.monotonic()

    with Prober(stack, client) as probe:
        stream = read(client, sent["stream_url"], at_token=5, fault=fault)
        deadline = time.monotonic() + 30
        while "back" not in events and time.monotonic() < deadline:
            time.sleep(0.2)
    row = message_row(stack.pg.url, sent["answer_id"])
    out.seen = (
        f"stream: {stream.tokens} tokens then {stream.said()}; pages: {probe.summary()}; a login "
        f"while Redis was down: {events.get('login')}; the stop button: {events.get('stop')}"
    )
    out.lost = f"answer saved as {row['status']!r} ({row['chars']} characters)"
    after = httpx.Client(base_url=stack.base, timeout=30)
    logged = login_status(after)
    first = first_token_after(stack, client, csrf)
    back = time.monotonic() - events.get("back", time.monotonic())
    out.recovery = f"{back:.1f} s to a login ({logged}) and a first token ({first:.1f} s of it)"
    after.close()
    client.close()
    return out


def login_status(client: httpx.Client) -> str:
    page = client.get("/connexion")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if page.status_code != 200 or not token:
        return f"HTTP {page.status_code} « {page_message(page)} »"
    resp = client.post(
        "/connexion",
        data={
            "login": "bob",
            "password": fault_stack.PASSWORD,
            "csrf_token": token.group(1),
            "suivant": "/",
        },
    )
    return (
        "HTTP 303 (logged in)"
        if resp.status_code == 303
        else f"HTTP {resp.status_code} « {page_message(resp)} »"
    )


def postgres_restarted(stack: fault_stack.Stack) -> Outcome:
    out = Outcome("PostgreSQL restarted (fast) mid-stream")
    client, csrf = stack.client()
    sent = ask(client, csrf)
    marks: dict[str, float] = {}

    def fault(_stream: Stream) -> None:
        marks["down"] = time.monotonic()
        stack.pg.restart()
        marks["back"] = time.monotonic()

    with Prober(stack, client) as probe:
        stream = read(client, sent["stream_url"], at_token=5, fault=fault)
        time.sleep(3)
    row = message_row(stack.pg.url, sent["answer_id"])
    out.seen = f"stream: {stream.tokens} tokens then {stream.said()}; pages: {probe.summary()}"
    out.lost = f"answer saved as {row['status']!r} ({row['chars']} characters)"
    back = probe.back_after(marks["back"]) if "back" in marks else None
    out.details.append(f"The restart took {marks.get('back', 0) - marks.get('down', 0):.1f} s.")
    # The worker too: a job queued after the restart ends.
    job = client.post(
        "/assistants/reformulation",
        data={"csrf_token": csrf, "texte": "Le conseil a voté le budget.",
              "registre": "note au président", "longueur": "plus court"},
    )  # fmt: skip
    engine = make_engine(stack.pg.url)
    with engine.connect() as conn:
        run_id = int(job.headers["location"].rsplit("/", 1)[1])
        job_id = conn.execute(
            text("SELECT job_id FROM assistant_runs WHERE id = :i"), {"i": run_id}
        ).scalar_one()
    engine.dispose()
    final = poll_job(client, job_id, lambda p: p["finished"])
    out.details.append(
        f"A job queued after the restart: {final['label']!r} {final['error']}".strip() + "."
    )
    out.recovery = f"pages {secs(back)} after the restart"
    client.close()
    return out


def disk_full(stack: fault_stack.Stack) -> Outcome:
    out = Outcome("Disk full (data folder) during an upload")
    client, csrf = stack.client("referent")
    resp = client.post(
        "/documents/collections", data={"name": "Délibérations"}, headers={"X-CSRF-Token": csrf}
    )
    assert resp.status_code == 303, resp.text
    collection = int(resp.headers["location"].rsplit("/", 1)[1])
    first = b"Le conseil municipal a vote le budget de la cantine le 4 decembre 2026.\n" * 20
    kept = upload(client, csrf, collection, "budget.txt", first)
    assert kept.status_code == 200, page_message(kept)
    filler = stack.data / "filler.bin"
    stat = os.statvfs(stack.data)
    free = stat.f_bavail * stat.f_frsize
    with filler.open("wb") as handle:  # leave 256 KB
        handle.write(b"\0" * max(free - 256 * 1024, 0))
    big = (
        b"Compte rendu du conseil municipal, point par point, avec les votes.\n" * 12_000
    )  # 0.8 MB
    refused = upload(client, csrf, collection, "compte-rendu.txt", big)
    leftovers = [p.name for p in stack.data.rglob("*.part")]
    out.seen = f"HTTP {refused.status_code} « {page_message(refused)} »"
    original = first_document_bytes(client, stack, "budget.txt")
    out.lost = (
        f"earlier upload {'intact' if original == first else 'DAMAGED'}; partial files left: "
        f"{len(leftovers)}; documents registered for the refused file: "
        f"{count_documents(stack, 'compte-rendu.txt')}"
    )
    filler.unlink()
    freed = time.monotonic()
    again = upload(client, csrf, collection, "compte-rendu.txt", big)
    out.recovery = (
        f"{time.monotonic() - freed:.1f} s (the same upload again: HTTP {again.status_code})"
    )
    client.close()
    return out


def upload(
    client: httpx.Client, csrf: str, collection: int, name: str, data: bytes
) -> httpx.Response:
    return client.post(
        f"/documents/collections/{collection}/depot",
        data={"csrf_token": csrf},
        files=[("files", (name, data, "text/plain"))],
    )


def first_document_bytes(client: httpx.Client, stack: fault_stack.Stack, filename: str) -> bytes:
    engine = make_engine(stack.pg.url)
    with engine.connect() as conn:
        doc = conn.execute(
            text("SELECT id FROM doc_documents WHERE filename = :f"), {"f": filename}
        ).scalar_one()
    engine.dispose()
    return client.get(f"/documents/{doc}/original").content


def count_documents(stack: fault_stack.Stack, filename: str) -> int:
    engine = make_engine(stack.pg.url)
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT count(*) FROM doc_documents WHERE filename = :f"), {"f": filename}
        ).scalar_one()
    engine.dispose()
    return int(found)


def app_killed(stack: fault_stack.Stack) -> Outcome:
    out = Outcome("The app process serving a stream killed (SIGKILL) behind nginx, restarted")
    client, csrf = stack.client()
    sent = ask(client, csrf)
    killed: dict[str, Any] = {}
    names = {f"127.0.0.1:{p}": f"web{i}" for i, p in enumerate(stack.app_ports)}

    def fault(stream: Stream) -> None:
        killed["name"] = names[stream.upstream]
        killed["at"] = time.monotonic()
        stack.kill(killed["name"])

    with Prober(stack, client) as probe:  # killed 6 s in: after the first save of the text
        stream = read(client, sent["stream_url"], at_token=KILL_AT_WORD, fault=fault)
        time.sleep(5)
    replay = read(client, sent["stream_url"])
    out.seen = (
        f"stream: {stream.tokens} tokens then {stream.said()}; "
        f"pages after the kill: {probe.summary()}"
    )
    out.details.append(f"The answer reopened at once: {replay.said()}.")
    stack.start(killed["name"])
    served = Counter(client.get("/").headers.get("X-Upstream", "?") for _ in range(6))
    out.details.append(f"Restarted process back in nginx's rotation: {dict(served)}.")
    while time.monotonic() - killed["at"] < BOUND_S:
        replay = read(client, sent["stream_url"])
        if replay.done is not None and replay.done.get("status") != "busy":
            break
        time.sleep(2)
    out.details.append(
        f"Reopened {time.monotonic() - killed['at']:.0f} s after the kill: {replay.said()}."
    )
    row = message_row(stack.pg.url, sent["answer_id"])
    out.lost = f"answer saved as {row['status']!r} ({row['chars']} characters): « {row['error']} »"
    out.recovery = (
        "no page lost (nginx); the answer reads as interrupted, with its saved text, "
        f"{time.monotonic() - killed['at']:.0f} s after the kill"
    )
    client.close()
    return out


# --- run and report --------------------------------------------------------------------------

SCENARIOS: list[Callable[[fault_stack.Stack], Outcome]] = [
    model_killed, worker_killed, redis_restarted, postgres_restarted, disk_full, app_killed,
]  # fmt: skip


def run(stack: fault_stack.Stack, scenario: Callable[[fault_stack.Stack], Outcome]) -> Outcome:
    start = time.monotonic()
    try:
        out = scenario(stack)
    except Exception as exc:  # a scenario that breaks is reported, the others still run
        out = Outcome(scenario.__name__, seen=f"bench error: {type(exc).__name__}: {exc}"[:300])
    out.details.append(f"Scenario took {time.monotonic() - start:.0f} s.")
    for name in ("upstream", "web0", "web1", "worker", "nginx"):  # what a fault left down
        if name not in stack.servers or stack.servers[name].proc.poll() is not None:
            stack.servers.pop(name, None)
            stack.start(name)
    print(f"{out.fault}: {out.seen} | {out.lost} | {out.recovery}", flush=True)
    return out


def report(machine: Machine, outcomes: list[Outcome]) -> str:
    rows = [[o.fault, o.seen, o.lost, o.recovery] for o in outcomes]
    lines = [
        "## Faults on the at-scale profile (`bench/bench_faults.py`)",
        "",
        machine.markdown(),
        "- Stack, all real processes on 127.0.0.1: nginx with deploy/nginx/ in front of two "
        "`civia serve`, one `civia worker`, a PostgreSQL cluster and a Redis of the bench's own, "
        f"the data folder on a {fault_stack.DATA_MB} MB tmpfs, and bench/stream_upstream.py as "
        f"the default model (one word every {fault_stack.UPSTREAM_DELAY_S * 1000:.0f} ms, 200 "
        "words). Faults happen after the 5th streamed word.",
        "- Recovery time: from the moment the faulty part is back (restarted, disk freed) to "
        "users served again (3 pages in a row answered 200, a first token, a job's end).",
        "",
        table(["Fault", "What the user saw", "What was lost", "Recovery"], rows),
        "",
    ]
    for o in outcomes:
        lines += [f"### {o.fault}", "", *[f"- {d}" for d in o.details], ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="scenario numbers, e.g. 1,4")
    args = parser.parse_args()
    chosen = [int(n) for n in args.only.split(",") if n] or range(1, len(SCENARIOS) + 1)
    machine = Machine()
    stack = fault_stack.build()
    try:
        outcomes = [run(stack, SCENARIOS[n - 1]) for n in chosen]
    finally:
        stack.close()
        machine.finish()
    write_results("faults", report(machine, outcomes))
    fault_stack.remove(stack)


if __name__ == "__main__":
    main()
