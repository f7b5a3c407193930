"""`civia audit …` (verify, export), `civia retention sweep` and `civia usecases suspend`."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from sqlalchemy.orm import Session

from civia.accounts import manage as accounts
from civia.accounts.models import Tenant
from civia.audit import checkpoints as audit_checkpoints
from civia.audit import journal as audit
from civia.audit.models import AuditEntry
from civia.cli.common import fail
from civia.db.base import utcnow
from civia.db.engine import database
from civia.governance import retention, usecases
from civia.plugins import loader
from civia.settings import get_settings


@click.group("audit")
def audit_group() -> None:
    """The hash-chained audit log."""


@audit_group.command("verify")
@click.option("--tenant", default="", help="Only this collectivité's chain (slug)")
@click.option(
    "--checkpoints",
    "checkpoints_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Also check against the signed checkpoints kept in this file",
)
def verify(tenant: str, checkpoints_path: Path | None) -> None:
    """Check every chain; exit code 1 and the first broken entry when the log was altered."""
    with database() as db:
        chain = _tenant(db, tenant).id if tenant else None
        problems = audit.verify(db, chain=chain)
        if checkpoints_path is not None:
            try:
                kept = audit_checkpoints.parse(checkpoints_path.read_text(encoding="utf-8"))
            except ValueError as exc:
                fail(str(exc))
            problems += [
                p for p in audit_checkpoints.verify(db, kept) if chain is None or p.chain == chain
            ]
        if not problems:
            for head in audit.heads(db):
                if chain is None or head.chain == chain:
                    count = head.seq - head.base_seq
                    click.echo(f"chain {head.chain}: {count} entries, head {head.last_hash}")
            click.echo("Audit log intact.")
            return
        first = problems[0]
        entry = db.get(AuditEntry, first.entry_id) if first.entry_id else None
        click.echo(f"Audit log ALTERED: {len(problems)} problem(s).", err=True)
        click.echo(f"First broken entry: {first}", err=True)
        if entry is not None:
            when = entry.created_at.isoformat(timespec="seconds")
            who = audit.shown_login(entry, audit.logins(db, [entry])) or "system"
            click.echo(f"  {when} {entry.action} by {who} target={entry.target!r}", err=True)
        for problem in problems[1:10]:
            click.echo(f"Also: {problem}", err=True)
    sys.exit(1)


@audit_group.command("checkpoint")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append to this file (keep it outside the database server); default: print",
)
def checkpoint(out_path: Path | None) -> None:
    """Write a signed checkpoint of every chain (head hash, count, time), after checking the
    chains are intact; `civia audit verify --checkpoints FILE` checks against it later."""
    with database() as db:
        problems = audit.verify(db)
        if problems:
            fail(f"Audit log ALTERED, no checkpoint written: {problems[0]}")
        lines = [
            json.dumps(cp, sort_keys=True, ensure_ascii=False)
            for cp in audit_checkpoints.take(db, utcnow())
        ]
    if out_path is None:
        click.echo("\n".join(lines))
        return
    with out_path.open("a", encoding="utf-8") as out:
        out.write("".join(f"{line}\n" for line in lines))
    click.echo(f"{len(lines)} chain checkpoint(s) appended to {out_path}.")


@audit_group.command("export")
@click.option("--tenant", required=True, help="Collectivité slug")
@click.option("--csv", "csv_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--since", default="", help="From this date (YYYY-MM-DD)")
@click.option("--until", default="", help="Up to this date, inclusive (YYYY-MM-DD)")
@click.option("--action", default="", help="Only this action, or a prefix such as 'usecase.'")
def export(tenant: str, csv_path: Path, since: str, until: str, action: str) -> None:
    """Write the collectivité's entries (with their hashes) to a CSV file."""
    filters = audit.Filters(action=action, since=_day(since), until=_day(until, days=1))
    with database() as db:
        t = _tenant(db, tenant)
        count = 0
        with csv_path.open("w", encoding="utf-8", newline="") as out:
            stmt = audit.query(db, tenant_id=t.id, filters=filters)
            for chunk in audit.csv_rows(db, db.scalars(stmt.execution_options(yield_per=500))):
                out.write(chunk)
                count += 1
        audit.record(
            db,
            tenant_id=t.id,
            actor=None,
            action="audit.exported",
            target="journal",
            details={"via": "cli", "action": action, "du": since, "au": until},
        )
    click.echo(f"{max(count - 1, 0)} entries written to {csv_path}.")


@click.group("retention")
def retention_group() -> None:
    """Retention periods (set per collectivité in the web UI)."""


@retention_group.command("sweep")
@click.option("--now", "now_text", default="", help="Pretend it is this date (YYYY-MM-DD)")
def sweep(now_text: str) -> None:
    """Delete what is older than each collectivité's retention periods (schedule it daily)."""
    # Every area's purgers (documents and recordings: their files).
    hooks = loader.load(get_settings()).governance
    now = _day(now_text) or utcnow()
    with database() as db:
        report = retention.sweep(db, now, hooks=hooks)
    for slug, counts in report.items():
        done = ", ".join(f"{k}={v}" for k, v in counts.items()) or "nothing to delete"
        click.echo(f"{slug}: {done}")


@click.group("usecases")
def usecases_group() -> None:
    """The use-case register (the kill switch, when the web UI is not at hand)."""


@usecases_group.command("suspend")
@click.argument("assistant_id")
@click.option("--tenant", required=True, help="Collectivité slug")
@click.option("--reason", required=True, help="Why (kept in the register and the audit log)")
def suspend(assistant_id: str, tenant: str, reason: str) -> None:
    """Suspend an assistant at once (it can no longer be run, on the web or the API)."""
    with database() as db:
        t = _tenant(db, tenant)
        try:
            usecases.suspend_assistant(
                db, tenant_id=t.id, actor=None, assistant_id=assistant_id, reason=reason
            )
        except usecases.WorkflowError as exc:
            fail(str(exc))
    click.echo(f"{assistant_id} suspended in {tenant}.")


@usecases_group.command("list")
@click.option("--tenant", required=True, help="Collectivité slug")
def list_cases(tenant: str) -> None:
    with database() as db:
        t = _tenant(db, tenant)
        for case in usecases.for_tenant(db, t.id):
            click.echo(f"{case.id}\t{case.assistant_id}\t{case.status}\t{case.risk_class}")


def _tenant(db: Session, slug: str) -> Tenant:
    try:
        return accounts.get_tenant(db, slug)
    except accounts.AccountError:
        raise click.ClickException(f"Unknown tenant: {slug}") from None


def _day(text: str, days: int = 0) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC) + timedelta(days=days)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)") from None
