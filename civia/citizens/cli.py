"""`civia citizens stats|purge`: the public assistant's figures and its retention purge."""

from __future__ import annotations

import json

import click
from sqlalchemy import select

from civia.accounts.models import Tenant
from civia.citizens import retention, stats
from civia.db.engine import database


@click.group()
def citizens() -> None:
    """L'assistant public du site (citoyens)."""


@citizens.command("stats")
@click.option("--tenant", "slug", required=True, help="Identifiant de la collectivité")
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 3650))
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON stable")
def stats_command(slug: str, days: int, as_json: bool) -> None:
    """Questions, réponses, refus et avis des citoyens sur la période."""
    with database() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            raise click.ClickException(f"Collectivité inconnue : {slug}")
        figures = stats.figures(db, tenant.id, days)
    if as_json:
        click.echo(json.dumps(figures.as_dict(), sort_keys=True))
        return
    rate = figures.satisfaction
    click.echo(
        f"{figures.questions} questions sur {days} jours : {figures.answered} réponses, "
        f"{figures.not_found} « je ne sais pas », {figures.refused} refus, "
        f"{figures.to_agent} messages à un agent ; avis utiles : "
        + ("aucun avis" if rate is None else f"{rate:.0%} de {figures.rated}")
    )


@citizens.command("purge")
def purge_command() -> None:
    """Efface les échanges plus anciens que la durée choisie par chaque collectivité."""
    with database() as db:
        deleted = retention.purge(db)
        db.commit()
    click.echo(f"{sum(deleted.values())} échanges effacés.")
