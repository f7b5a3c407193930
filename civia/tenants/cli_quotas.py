"""`civia quotas …`: limits of a collectivité, one of its services or one of its users."""

from __future__ import annotations

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.manage import AccountError, get_tenant
from civia.accounts.models import Service, Tenant, User
from civia.tenants.clidb import database
from civia.usage import quotas

TENANT = click.option("--tenant", required=True, help="Collectivité slug.")
SERVICE = click.option("--service", "service_name", default="", help="Service name.")
USER = click.option("--user", "login", default="", help="User login.")


def _target(
    db: Session, tenant_slug: str, service_name: str, login: str
) -> tuple[Tenant, Service | None, User | None]:
    if service_name and login:
        raise click.UsageError("--service and --user are exclusive.")
    tenant = get_tenant(db, tenant_slug)
    service = user = None
    if service_name:
        service = db.scalar(
            select(Service).where(Service.tenant_id == tenant.id, Service.name == service_name)
        )
        if service is None:
            raise AccountError(f"Service inconnu : {service_name}.")
    if login:
        user = db.scalar(select(User).where(User.login == login.lower()))
        if user is None or user.tenant_id != tenant.id:
            raise AccountError(f"Utilisateur inconnu dans cette collectivité : {login}.")
    return tenant, service, user


@click.group("quotas")
def quotas_group() -> None:
    """Requests per minute, tokens per day, monthly budgets (HTTP 429 over a limit)."""


@quotas_group.command("set")
@TENANT
@SERVICE
@USER
@click.option("--requests-per-minute", type=int, default=None)
@click.option("--tokens-per-day", type=int, default=None)
@click.option("--tokens-per-minute", type=int, default=None)
@click.option("--budget-eur", type=float, default=None, help="Monthly budget in euros")
@click.option("--budget-kgco2eq", type=float, default=None, help="Monthly budget in kgCO2eq")
def set_command(
    tenant: str,
    service_name: str,
    login: str,
    requests_per_minute: int | None,
    tokens_per_day: int | None,
    budget_eur: float | None,
    budget_kgco2eq: float | None,
    tokens_per_minute: int | None,
) -> None:
    with database() as db:
        t, service, user = _target(db, tenant, service_name, login)
        quotas.set_quota(
            db,
            tenant=t,
            service=service,
            user=user,
            requests_per_minute=requests_per_minute,
            tokens_per_day=tokens_per_day,
            budget_eur_month=budget_eur,
            budget_kgco2eq_month=budget_kgco2eq,
            tokens_per_minute=tokens_per_minute,
        )
    click.echo(
        f"Quota set: {requests_per_minute or '-'}/min, {tokens_per_day or '-'} tokens/day, "
        f"{budget_eur or '-'} €/month, {budget_kgco2eq or '-'} kgCO2eq/month."
    )


@quotas_group.command("clear")
@TENANT
@SERVICE
@USER
def clear_command(tenant: str, service_name: str, login: str) -> None:
    with database() as db:
        t, service, user = _target(db, tenant, service_name, login)
        if not quotas.clear_quota(db, tenant=t, service=service, user=user):
            raise click.ClickException("No such quota.")
    click.echo("Quota cleared.")


@quotas_group.command("list")
@TENANT
def list_command(tenant: str) -> None:
    from civia.usage.models import Quota

    with database() as db:
        t = get_tenant(db, tenant)
        for row in db.scalars(select(Quota).where(Quota.tenant_id == t.id).order_by(Quota.id)):
            scope = (
                f"user:{db.get(User, row.user_id).login}"  # type: ignore[union-attr]
                if row.user_id
                else f"service:{db.get(Service, row.service_id).name}"  # type: ignore[union-attr]
                if row.service_id
                else "tenant"
            )
            click.echo(
                f"{scope}\trpm={row.requests_per_minute}\ttokens/day={row.tokens_per_day}"
                f"\teur/month={row.budget_eur_month}\tkgco2eq/month={row.budget_kgco2eq_month}"
            )
