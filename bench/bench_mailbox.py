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

from bench.common import Machine, load_average, p50, table, write_results  # noqa: E402
from bench.data.citizen_mails import MAILS, SERVICES  # noqa: E402
from civia.accounts.models import Service, Tenant  # noqa: E402
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
        for message_id in ids[: args.limit]:
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
                raw, controle = str(data.get("service", "")), str(data.get("controle", ""))
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


def render(rows: list[dict[str, object]], machine: Machine | None, fetch_s: float | None,
           args: argparse.Namespace) -> str:  # fmt: skip
    done = [r for r in rows if r["ok"]]
    right = [r for r in done if r["got"] == r["expected"]]
    times = [float(r["seconds"]) for r in rows]  # type: ignore[arg-type]
    triage_times = [float(r["seconds"]) for r in rows if r["kind"] == "triage"]  # type: ignore[arg-type]
    lines = [
        "# Shared mailbox: triage accuracy, throughput, arrival to draft",
        "",
        machine.markdown() if machine else "",
        f"- IMAP fetch: {fetch_s:.2f} s" if fetch_s is not None else "",
        f"- accuracy {len(right)}/{len(done)}; p50 {p50(times) if times else 0:.1f} s; "
        f"triage p50 {p50(triage_times) if triage_times else 0:.1f} s",
        "",
        table(
            ["#", "kind", "s", "subject", "expected", "model's service"],
            [
                [
                    r["n"],
                    r["kind"],
                    r["seconds"],
                    r["subject"],
                    r["expected"],
                    r["got"] or r["problem"],
                ]
                for r in rows
            ],
        ),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
