"""Benchmark of the shared mailbox on the embedded local model, end to end on real parts.

A real Dovecot server on 127.0.0.1 receives the sixty synthetic citizens' emails of
bench/data/citizen_mails.py; Civia fetches them over IMAP (`civia.mailbox.fetch`), then:
- the first `--full` messages go through the whole analysis (`process.process_one`: personal
  data detection, triage assistant, réponse-usager draft), timed from their delivery into the
  mailbox to the draft being ready in the queue;
- the others, until `--limit` or the deadline, go through the triage step only (the same
  `prepare` and the same triage assistant call as the analysis), for accuracy and throughput.
Triage accuracy: the service the model names, matched to the collectivité's services as the
analysis does, against the expected one. Writes bench/results/mailbox.md.

Usage: python bench/bench_mailbox.py [--full 3] [--limit 60] [--deadline-min 45]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from imapclient import IMAPClient  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bench.common import Machine, load_average, p50, percentile, table, write_results  # noqa: E402
from bench.data.citizen_mails import MAILS, SERVICES  # noqa: E402
from civia.accounts.models import Service, Tenant  # noqa: E402
from civia.assistants import triage  # noqa: E402
from civia.assistants.catalogue import builtins  # noqa: E402
from civia.assistants.runner import run_to_end  # noqa: E402
from civia.chat.gateway import CallContext, Gateway  # noqa: E402
from civia.db.base import Base  # noqa: E402
from civia.db.engine import make_engine, make_sessionmaker, session_scope  # noqa: E402
from civia.mailbox import fetch, process  # noqa: E402
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus  # noqa: E402
from civia.plugins.tables import metadata  # noqa: E402
from civia.providers.base import ProviderError  # noqa: E402
from civia.providers.model_files import MODEL_ID  # noqa: E402
from civia.providers.models import HostingClass, Provider  # noqa: E402
from civia.settings import Settings  # noqa: E402
from tests.servers import imap_server  # noqa: E402

LOGIN, PASSWORD = "accueil@demoville.test", "bench-imap-secret"
ROWS = ROOT / "bench" / "results" / "mailbox-rows.jsonl"  # one line per message, kept across runs


def mail(subject: str, body: str, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Usager {n} <usager{n}@exemple.fr>"
    msg["To"] = LOGIN
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain="exemple.fr")
    msg.set_content(body)
    return msg.as_bytes()


def setup(folder: Path, port: int) -> tuple[Settings, object, int]:
    secret = folder / "password"
    secret.write_text(PASSWORD)
    declared = folder / "boites.toml"
    declared.write_text(
        f'[accueil]\ntenant = "demoville"\nhost = "127.0.0.1"\nport = {port}\n'
        f'security = "none"\nlogin = "{LOGIN}"\npassword_file = "{secret}"\n'
    )
    settings = Settings(
        data_dir=folder, database_url=f"sqlite:///{folder / 'bench.db'}",
        mailboxes_file=declared, retention_sweep_hours=0, jobs_in_process=False, model_seed=1234,
    )  # fmt: skip
    engine = make_engine(settings.db_url)
    metadata()  # every area's tables (foreign keys cross areas)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        tenant = Tenant(slug="demoville", name="Commune de Démoville")
        db.add(tenant)
        db.flush()
        services = [Service(tenant_id=tenant.id, name=name) for name in SERVICES]
        db.add_all(services)
        db.add(Provider(tenant_id=tenant.id, name="Modèle local", kind="local_llama",
                        hosting_class=HostingClass.LOCAL.value, models=[MODEL_ID],
                        is_default=True))  # fmt: skip
        db.flush()
        box = Mailbox(tenant_id=tenant.id, key="accueil", service_id=services[0].id, last_uid=0)
        db.add(box)
        db.flush()
        return settings, sessions, box.id


async def triage_only(job: process.Job, gateway: Gateway) -> dict[str, object]:
    spec = builtins()[process.TRIAGE]
    ctx = CallContext(tenant_id=job.tenant_id, user_id=None, service_id=job.service_id,
                      source="mailbox", assistant_id=process.TRIAGE)  # fmt: skip
    result = await run_to_end(spec, {"demande": job.text[:8000]}, context=job.context,
                              gateway=gateway, ctx=ctx, target=job.target)  # fmt: skip
    return dict(result.data or {})


def done_rows() -> list[dict[str, object]]:
    if not ROWS.exists():
        return []
    return [json.loads(line) for line in ROWS.read_text(encoding="utf-8").splitlines() if line]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", type=int, default=3)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--deadline-min", type=float, default=45.0)
    parser.add_argument("--fresh", action="store_true", help="forget the rows of earlier runs")
    parser.add_argument("--render-only", action="store_true")
    parser.add_argument(
        "--start-at",
        type=int,
        default=1,
        help="analyse from message n on, then wrap around (held-out split first)",
    )
    args = parser.parse_args()
    if args.fresh and ROWS.exists():
        ROWS.unlink()
    if args.render_only:
        write_results("mailbox", render(done_rows(), None, None, args))
        return
    machine = Machine()
    deadline = time.monotonic() + args.deadline_min * 60
    folder = Path(tempfile.mkdtemp(prefix="civia-bench-mailbox-"))
    already = {str(r["subject"]) for r in done_rows()}
    with imap_server({LOGIN: PASSWORD}) as port:
        settings, sessions, box_id = setup(folder, port)
        client = IMAPClient("127.0.0.1", port=port, ssl=False)
        client.login(LOGIN, PASSWORD)
        delivered: dict[str, float] = {}
        for n, (_, subject, body) in enumerate(MAILS, start=1):
            client.append("INBOX", mail(subject, body, n))
            delivered[subject] = time.monotonic()
        t0 = time.monotonic()
        report = fetch.fetch(sessions, box_id, settings)  # type: ignore[arg-type]
        fetch_s = time.monotonic() - t0
        assert report.new == len(MAILS), report
        expected = {subject: service for service, subject, _ in MAILS}
        order = {subject: i for i, (_, subject, _) in enumerate(MAILS)}
        gateway = Gateway(settings, sessions)  # type: ignore[arg-type]
        with session_scope(sessions) as db:  # type: ignore[arg-type]
            ids = list(db.scalars(select(MailMessage.id).order_by(MailMessage.uid)))
            names = {s.id: s.name for s in db.scalars(select(Service))}
            subjects = {m.id: m.subject for m in db.scalars(select(MailMessage))}
            for message in db.scalars(select(MailMessage)):  # done in an earlier run
                if message.subject in already:
                    message.status = MessageStatus.SET_ASIDE
        full_left = max(args.full - sum(1 for r in done_rows() if r["kind"] == "full"), 0)
        ids = ids[: args.limit]
        ids = ids[args.start_at - 1 :] + ids[: args.start_at - 1]
        for message_id in ids:
            if subjects[message_id] in already:
                continue
            if time.monotonic() > deadline:
                break
            start = time.monotonic()
            raw, problem, controle = "", "", ""
            if full_left > 0:
                full_left -= 1
                process.process_one(sessions, settings)  # type: ignore[arg-type]
                with session_scope(sessions) as db:  # type: ignore[arg-type]
                    message = db.get(MailMessage, message_id)
                    assert message is not None
                    subject, ok = message.subject, message.status == MessageStatus.TO_REVIEW
                    got = names.get(message.proposed_service_id or 0, "")
                    problem, raw = message.problem, got
                kind = "full"
            else:
                with session_scope(sessions) as db:  # type: ignore[arg-type]
                    message = db.get(MailMessage, message_id)
                    assert message is not None
                    subject = message.subject
                    job = process.prepare(db, message, gateway)
                    message.status = MessageStatus.SET_ASIDE  # not left for process_one
                assert not isinstance(job, str)
                try:
                    data = asyncio.run(triage_only(job, gateway))
                except ProviderError as exc:
                    data, problem = {}, exc.message_fr
                controle = str(data.get("controle", ""))
                # the model's own choice: the routing rules may have replaced it (their verdict
                # names it then); `with_rules` applies them again at render time
                overruled = re.search(r"le modèle proposait « (.+?) »", controle)
                raw = overruled.group(1) if overruled else str(data.get("service", ""))
                chosen = process.match_service(job.services, raw)
                got, ok = names.get(chosen or 0, ""), not problem
                kind = "triage"
            end = time.monotonic()
            row = {"n": order[subject] + 1, "kind": kind, "subject": subject,
                   "expected": expected[subject], "got": got, "raw": raw, "ok": ok,
                   "problem": problem, "controle": controle, "seconds": round(end - start, 1),
                   "arrival_to_draft": round(end - delivered[subject], 1),
                   "load": load_average(), "at": datetime.now(UTC).isoformat(timespec="seconds"),
                   "fetch_s": round(fetch_s, 2)}  # fmt: skip
            with ROWS.open("a", encoding="utf-8") as out:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"{row['n']:2d} {kind:6s} {end - start:6.1f}s {got == expected[subject]!s:5s} "
                  f"{subject} → {got or problem}", flush=True)  # fmt: skip
        client.logout()
    machine.finish()
    write_results("mailbox", render(done_rows(), machine, fetch_s, args))


DEV = 30  # messages 1-30: the routing rules' words were tuned on them; 31-60 held out


def with_rules(rows: list[dict[str, object]]) -> dict[int, str]:
    """The service each message ends with once the model's choice meets the routing rules
    of today's rules.yaml, words and examples (`triage.route`, as the triage assistant's
    post-check applies it)."""
    context = {"service_list": list(SERVICES)}
    texts = {n: f"Objet : {subject}\n\n{body}" for n, (_, subject, body) in enumerate(MAILS, 1)}
    return {int(r["n"]): triage.route(str(r["raw"]), texts[int(r["n"])], context)[0]  # type: ignore[call-overload]
            for r in rows}  # fmt: skip


def rules_alone() -> dict[int, str]:
    rules = triage.rules_for(list(SERVICES))
    out = {}
    for n, (_, subject, body) in enumerate(MAILS, 1):
        found = triage.scores(f"Objet : {subject}\n\n{body}", rules)
        leaders = [s for s, v in found.items() if v == max(found.values()) and v > 0]
        out[n] = leaders[0] if len(leaders) == 1 else ""
    return out


def score(rows: list[dict[str, object]], got: dict[int, str], split: range) -> str:
    chosen = [r for r in rows if int(r["n"]) in split and r["ok"]]  # type: ignore[call-overload]
    right = sum(got.get(int(r["n"])) == r["expected"] for r in chosen)  # type: ignore[call-overload]
    return f"{right}/{len(chosen)} = {100 * right / max(len(chosen), 1):.0f} %"


def render(rows: list[dict[str, object]], machine: Machine | None, fetch_s: float | None,
           args: argparse.Namespace) -> str:  # fmt: skip
    rows = sorted(rows, key=lambda r: int(r["n"]))  # type: ignore[call-overload]
    done = [r for r in rows if r["ok"]]
    times = [float(r["seconds"]) for r in rows]  # type: ignore[arg-type]
    triage_times = [float(r["seconds"]) for r in rows if r["kind"] == "triage"]  # type: ignore[arg-type]
    full = [r for r in rows if r["kind"] == "full" and r["ok"]]
    model = {int(r["n"]): str(r["got"]) for r in rows}  # type: ignore[call-overload]
    final, alone = with_rules(rows), rules_alone()
    dev, held, every = range(1, DEV + 1), range(DEV + 1, len(MAILS) + 1), range(1, len(MAILS) + 1)
    loads = [str(r["load"]).split(" / ")[0] for r in rows]
    fetched = fetch_s if fetch_s is not None else float(rows[0].get("fetch_s", 0) if rows else 0)  # type: ignore[arg-type]
    lines = [
        "# Shared mailbox: triage accuracy, throughput, arrival to draft",
        "",
        machine.markdown() if machine else "",
        f"- Rows from {min((str(r['at']) for r in rows), default='–')} to "
        f"{max((str(r['at']) for r in rows), default='–')} UTC; "
        f"1-minute load average while they ran: {min(loads, default='–')} to "
        f"{max(loads, key=float, default='–')} (2 cores shared with other engineers).",
        f"- Model: `{MODEL_ID}` (embedded llama.cpp), seed 1234, the catalogue's `tri-demandes` "
        "and `reponse-usager` assistants; Dovecot 2.3 on 127.0.0.1.",
        f"- Messages: {len(MAILS)} synthetic citizens' emails (bench/data/citizen_mails.py), "
        f"{len(SERVICES)} services; {len(rows)} analysed ({len(full)} through the whole "
        "analysis, the others through the triage step only).",
        f"- Splits: messages 1-{DEV} are the dev split (the routing rules' words were added "
        f"from them), {DEV + 1}-{len(MAILS)} are held out (not used for tuning).",
        "",
        table(
            ["measure", "dev (1-30)", "held out (31-60)", "all"],
            [
                [
                    "triage accuracy, model alone (its answer as is)",
                    score(rows, model, dev),
                    score(rows, model, held),
                    score(rows, model, every),
                ],
                [
                    "triage accuracy, model + routing rules (what Civia proposes)",
                    score(rows, final, dev),
                    score(rows, final, held),
                    score(rows, final, every),
                ],
                [
                    "routing rules alone (one service named, no model)",
                    score(rows, alone, dev),
                    score(rows, alone, held),
                    score(rows, alone, every),
                ],
            ],
        ),
        "",
        table(
            ["measure", "value"],
            [
                ["IMAP fetch of the 60 messages (parse + store)", f"{fetched:.2f} s"],
                ["analyses failed (French message left in the queue)", len(rows) - len(done)],
                [
                    "triage step, seconds per message, p50 / p90",
                    f"{p50(triage_times):.1f} / {percentile(triage_times, 90):.1f}"
                    if triage_times
                    else "–",
                ],
                [
                    "messages triaged per minute (1 / p50)",
                    f"{60 / p50(triage_times):.2f}" if triage_times else "–",
                ],
                [
                    "whole analysis (PII + triage + draft), seconds each",
                    ", ".join(f"{float(r['seconds']):.0f}" for r in full) or "–",  # type: ignore[arg-type]
                ],
                [
                    "arrival to draft, whole analysis, each (s)",
                    ", ".join(f"{float(r['arrival_to_draft']):.0f}" for r in full) or "–",  # type: ignore[arg-type]
                ],
            ],
        ),
        "",
        f"All messages p50 {p50(times) if times else 0:.1f} s. Arrival to draft counts from the "
        "delivery into the mailbox to the draft in the queue, with an immediate fetch; in service "
        "the fetch schedule (`CIVIA_MAILBOX_FETCH_MINUTES`, 5 by default, or « Relever "
        "maintenant ») and the messages ahead in the queue add to it.",
        "",
        table(
            ["service", "model alone", "model + rules"],
            [
                [
                    s,
                    f"{sum(model[int(r['n'])] == s for r in done if r['expected'] == s)}/"  # type: ignore[call-overload]
                    f"{sum(r['expected'] == s for r in done)}",
                    f"{sum(final[int(r['n'])] == s for r in done if r['expected'] == s)}/"  # type: ignore[call-overload]
                    f"{sum(r['expected'] == s for r in done)}",
                ]
                for s in SERVICES
            ],
        ),
        "",
        table(
            ["#", "kind", "s", "subject", "expected", "model's service", "with the rules"],
            [
                [
                    r["n"],
                    r["kind"],
                    f"{float(r['seconds']):.0f}",
                    r["subject"],
                    r["expected"],  # type: ignore[arg-type]
                    r["got"] or r["problem"] or "–",
                    final[int(r["n"])],
                ]
                for r in rows
            ],  # type: ignore[call-overload]
        ),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
