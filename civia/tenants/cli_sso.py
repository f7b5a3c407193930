"""`civia sso …`: the OpenID providers declared by the operator."""

from __future__ import annotations

import click
from sqlalchemy import select

from civia.accounts.models import Tenant
from civia.tenants import sso
from civia.tenants.clidb import database


def _pairs(values: tuple[str, ...], what: str) -> dict[str, str]:
    found = {}
    for value in values:
        key, sep, target = value.partition("=")
        if not sep or not key or not target:
            raise click.BadParameter(f"expected KEY=VALUE, got {value!r}", param_hint=what)
        found[key.strip()] = target.strip()
    return found


@click.group("sso")
def sso_group() -> None:
    """Single sign-on providers (OpenID Connect: ProConnect, Keycloak, Entra ID…)."""


@sso_group.command("add")
@click.argument("name")
@click.option("--issuer", required=True, help="Issuer URL (discovery at /.well-known/…).")
@click.option("--client-id", required=True)
@click.option("--client-secret-env", default="", help="Environment variable holding the secret.")
@click.option("--label", default="", help="Shown on the login page (« ProConnect »).")
@click.option("--scopes", default="openid email profile", show_default=True)
@click.option(
    "--claim",
    "claims",
    multiple=True,
    help="FIELD=PATH with FIELD in login, email, name, role, service, tenant, siret; PATH dotted "
    "for nested claims (organization.siret).",
)
@click.option("--role-map", "roles", multiple=True, help="CLAIM_VALUE=ROLE, strongest first.")
@click.option("--tenant", default="", help="Collectivité slug when no tenant/siret claim.")
def add(
    name: str,
    issuer: str,
    client_id: str,
    client_secret_env: str,
    label: str,
    scopes: str,
    claims: tuple[str, ...],
    roles: tuple[str, ...],
    tenant: str,
) -> None:
    with database() as db:
        found = db.scalar(select(Tenant).where(Tenant.slug == tenant)) if tenant else None
        if tenant and found is None:
            raise click.ClickException(f"Unknown tenant: {tenant}")
        sso.add_provider(
            db,
            name=name,
            label=label,
            issuer=issuer,
            client_id=client_id,
            client_secret_env=client_secret_env,
            scopes=scopes,
            claims=_pairs(claims, "--claim"),
            roles=_pairs(roles, "--role-map"),
            tenant=found,
        )
    click.echo(f"SSO provider {name} added.")


@sso_group.command("list")
def list_providers() -> None:
    with database() as db:
        for p in sso.providers(db):
            click.echo(f"{p.name}\t{p.label}\t{p.issuer}\t{p.client_id}\tclaims={p.claims}")


@sso_group.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    with database() as db:
        provider = sso.get_provider(db, name)
        if provider is None:
            raise click.ClickException(f"Unknown SSO provider: {name}")
        db.delete(provider)
    click.echo(f"SSO provider {name} removed.")
