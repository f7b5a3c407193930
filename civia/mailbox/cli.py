"""`civia mailbox …`: check the declared mailboxes, fetch and analyse from cron or a terminal."""

from __future__ import annotations

import click

from civia.db.engine import make_engine, make_sessionmaker
from civia.mailbox import declared, fetch, imap, process
from civia.settings import get_settings


@click.group()
def mailbox() -> None:
    """Shared mailboxes: declared, connected, fetched."""


@mailbox.command("check")
def check() -> None:
    """Connect to every declared mailbox and report (never prints a password)."""
    settings = get_settings()
    found = declared.load(settings)
    if not found:
        click.echo("Aucune boîte déclarée (CIVIA_MAILBOXES_FILE).")
    for key, box in found.items():
        try:
            with imap.connect(box) as client:
                validity = imap.select(client, box.inbox)
            click.echo(f"{key} ({box.tenant}) : connexion réussie, UIDVALIDITY {validity}")
        except imap.MailboxUnavailable as exc:
            click.echo(f"{key} ({box.tenant}) : {exc.message_fr}")


@mailbox.command("fetch")
@click.option("--analyse/--no-analyse", default=False, help="Also triage and draft the new ones")
def fetch_command(analyse: bool) -> None:
    """Fetch every connected mailbox now."""
    settings = get_settings()
    engine = make_engine(settings.db_url)
    sessions = make_sessionmaker(engine)
    try:
        for mailbox_id, report in fetch.fetch_all(sessions, settings).items():
            line = f"boîte {mailbox_id} : {report.new} nouveau(x)"
            click.echo(line + (f" — {report.error}" if report.error else ""))
        if analyse:
            done = process.process_pending(sessions, settings, limit=1000)
            click.echo(f"{len(done)} message(s) analysé(s)")
    finally:
        engine.dispose()
