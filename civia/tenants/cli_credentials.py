"""`civia platform credentials …`: provider keys declared by the operator."""

from __future__ import annotations

import click

from civia.providers import credentials
from civia.providers.secrets import KeySourceRefused
from civia.tenants.clidb import database as _db


@click.group("credentials")
def credentials_group() -> None:
    """Provider keys: which variable or file, which base URLs, which collectivités."""


@credentials_group.command("list")
def list_credentials() -> None:
    with _db() as db:
        for c in credentials.all_credentials(db):
            source = f"env:{c.key_env}" if c.key_env else f"file:{c.key_file}"
            click.echo(
                f"{c.name}\t{c.label}\t{source}\t{','.join(c.base_urls)}\t"
                f"{','.join(c.tenant_slugs) or '*'}"
            )


@credentials_group.command("add")
@click.argument("name")
@click.option("--label", required=True, help="What admins see")
@click.option("--env", "key_env", default="", help="Environment variable holding the key")
@click.option("--file", "key_file", default="", help="File holding the key")
@click.option("--base-url", "base_urls", multiple=True, required=True, help="Repeatable")
@click.option(
    "--tenant", "tenants", multiple=True, help="Collectivité slug (repeatable; none: all)"
)
def add(
    name: str,
    label: str,
    key_env: str,
    key_file: str,
    base_urls: tuple[str, ...],
    tenants: tuple[str, ...],
) -> None:
    """Declare (or replace) the credential NAME."""
    with _db() as db:
        try:
            credentials.declare(
                db,
                name=name,
                label=label,
                key_env=key_env,
                key_file=key_file,
                base_urls=list(base_urls),
                tenant_slugs=list(tenants),
            )
        except KeySourceRefused as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Credential {name} saved.")


@credentials_group.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    with _db() as db:
        if not credentials.remove(db, name):
            raise click.ClickException(f"Unknown credential: {name}")
    click.echo(f"Credential {name} removed.")
