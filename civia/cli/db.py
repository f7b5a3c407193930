"""`civia db`: migrations."""

from __future__ import annotations

import click

from civia.settings import get_settings


@click.group()
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command()
def upgrade() -> None:
    """Apply every pending migration."""
    # Deferred: `civia --help` loads neither the app, the database nor the models.
    from civia.db.migrate import upgrade as do_upgrade

    do_upgrade(get_settings().db_url)
    click.echo("Database is up to date.")
