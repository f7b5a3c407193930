"""`civia steering …`: the dashboard's figures on the command line, and the demo data."""

from __future__ import annotations

import json
from datetime import date

import click
from sqlalchemy import select

from civia.accounts.models import Service, Tenant
from civia.db.engine import database
from civia.steering import dashboard
from civia.steering.filters import period


@click.group()
def steering() -> None:
    """Pilotage: usage, value, cost and footprint."""


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


@steering.command("summary")
@click.option("--tenant", "slug", required=True, help="The collectivité's slug.")
@click.option("--since", help="First day (YYYY-MM-DD); default: 30 days ago.")
@click.option("--until", help="Last day (YYYY-MM-DD), included; default: now.")
@click.option("--service", help="A service's name.")
@click.option("--demo", is_flag=True, help="The synthetic demo data instead of real usage.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def summary(
    slug: str, since: str | None, until: str | None, service: str | None, demo: bool, as_json: bool
) -> None:
    """The dashboard's figures for one collectivité (calls made a second ago included)."""

    with database() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            raise click.ClickException(f"unknown tenant {slug!r}")
        service_id = None
        if service:
            service_id = db.scalar(
                select(Service.id).where(Service.tenant_id == tenant.id, Service.name == service)
            )
            if service_id is None:
                raise click.ClickException(f"unknown service {service!r} in {slug}")
        start, end = _day(since, "--since"), _day(until, "--until")
        f = period(tenant.id, days=None if start else 30, start=start, end=end,
                   service_id=service_id, synthetic=demo)  # fmt: skip
        board = dashboard.build(db, f)
        figures = board.summary()
        if board.hidden:
            figures = {"hidden": "fewer than 5 active users in this service"}  # type: ignore[dict-item]
    if as_json:
        click.echo(json.dumps(figures, indent=2, sort_keys=True))
    else:
        for key, value in figures.items():
            click.echo(f"{key}: {value}")


@steering.command("demo-remove")
@click.option("--tenant", "slug", default="demoville", show_default=True)
def demo_remove(slug: str) -> None:
    """Remove the synthetic demo activity (events, ledger, synthetic agents and their runs)."""
    from civia.steering import demo

    with database() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            raise click.ClickException(f"unknown tenant {slug!r}")
        removed = demo.remove(db, tenant.id)
    click.echo(f"Removed {removed} synthetic events from {slug}.")


@steering.command("rollup")
def rollup_command() -> None:
    """Sum past days' calls for the dashboard (idempotent; the worker runs it hourly)."""
    from civia.steering import rollup

    with database() as db:
        tenants = db.scalars(select(Tenant.id)).all()
        days = sum(rollup.rebuild(db, tenant_id) for tenant_id in tenants)
    click.echo(f"Summed {days} day(s).")
