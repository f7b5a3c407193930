"""`civia demo load`: the demo collectivité."""

from __future__ import annotations

import click

from civia.db.engine import database
from civia.settings import Mode, get_settings


@click.group()
def demo() -> None:
    """Demo data (Commune de Démoville)."""


@demo.command("load")
def load() -> None:
    """Create Commune de Démoville with one user per role (idempotent)."""
    # Deferred: `civia --help` loads neither the app, the database nor the models.
    from civia import demo as demo_data
    from civia.db.migrate import upgrade

    settings = get_settings()
    if settings.mode is not Mode.DEMO:
        raise click.ClickException("Demo data with known passwords is refused outside demo mode.")
    upgrade(settings.db_url)
    with database() as db:
        demo_data.load(db, settings.data_dir)
    click.echo(
        "Commune de Démoville is ready. Logins: agent, referent, comite, dpo, pilotage, admin"
        " (and comite-elu, comite-personnel);"
    )
    click.echo(
        "Commune de Bourg-Témoin: agent-b, admin-b; platform operator: operateur (/plateforme)."
    )
    click.echo("password: <login>-demo-civia (e.g. agent-demo-civia).")
