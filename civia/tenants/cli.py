"""`civia platform …`: the operator's commands (collectivités, their admins, operators)."""

from __future__ import annotations

import click
from sqlalchemy import select

from civia.accounts.models import User
from civia.tenants import platform
from civia.tenants.cli_credentials import credentials_group
from civia.tenants.clidb import database as _db


@click.group("platform")
def platform_group() -> None:
    """Shared services: collectivités, their admins and the platform operators."""


@platform_group.command("list")
def list_tenants() -> None:
    """Collectivités with their status and 30-day consumption (figures only)."""
    with _db() as db:
        for row in platform.consumption(db):
            t = row.tenant
            click.echo(
                f"{t.slug}\t{t.status}\t{t.name}\tusers={row.users}\tcalls={row.calls}"
                f"\ttokens={row.tokens}"
            )


@platform_group.command("create")
@click.argument("slug")
@click.argument("name")
def create(slug: str, name: str) -> None:
    with _db() as db:
        platform.create_collectivite(db, slug=slug, name=name, actor=None)
    click.echo(f"Collectivité {slug} created.")


def _status_command(name: str, status: str, help_text: str) -> click.Command:
    @click.command(name, help=help_text)
    @click.argument("slug")
    def command(slug: str) -> None:
        with _db() as db:
            platform.set_status(db, platform.get_collectivite(db, slug), status, actor=None)
        click.echo(f"Collectivité {slug}: {status}.")

    return command


for _name, _status, _help in (
    ("suspend", "suspended", "Suspend: its users can no longer log in."),
    ("archive", "archived", "Archive: closed, data kept."),
    ("activate", "active", "Reactivate a suspended or archived collectivité."),
):
    platform_group.add_command(_status_command(_name, _status, _help))


def _is_new_account(slug: str, login: str) -> bool:
    """Whether LOGIN has no account yet; an unknown collectivité fails here, before a prompt."""
    with _db() as db:
        platform.get_collectivite(db, slug)
        return db.scalar(select(User.id).where(User.login == login.strip().lower())) is None


@platform_group.command("admin")
@click.argument("slug")
@click.argument("login")
@click.option("--name", "display_name", default="")
@click.option("--password", default=None, help="For a new account (else prompted).")
def appoint(slug: str, login: str, display_name: str, password: str | None) -> None:
    """Appoint LOGIN (existing in the collectivité, or new) as its admin."""
    if password is None and _is_new_account(slug, login):
        # An existing account keeps its password: nothing to ask.
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _db() as db:
        tenant = platform.get_collectivite(db, slug)
        platform.appoint_admin(
            db,
            tenant=tenant,
            login=login,
            password=password or "",
            display_name=display_name,
            actor=None,
        )
    click.echo(f"{login} is now admin of {slug}.")


@platform_group.command("sirets")
@click.argument("slug")
@click.argument("sirets", nargs=-1)
def set_sirets(slug: str, sirets: tuple[str, ...]) -> None:
    """The SIRETs of a collectivité (single sign-on through ProConnect)."""
    with _db() as db:
        platform.set_sirets(db, platform.get_collectivite(db, slug), list(sirets), actor=None)
    click.echo(f"SIRETs of {slug}: {', '.join(sirets) or 'none'}.")


@platform_group.command("operator")
@click.argument("login")
@click.option("--name", "display_name", default="")
@click.password_option("--password", prompt="Password")
def operator(login: str, display_name: str, password: str) -> None:
    """Create a platform operator account."""
    with _db() as db:
        platform.create_operator(db, login=login, password=password, display_name=display_name)
    click.echo(f"Operator {login} created.")


@platform_group.command("passwords")
@click.argument("slug")
@click.argument("state", type=click.Choice(["on", "off"]))
def passwords(slug: str, state: str) -> None:
    """Allow or forbid local passwords (off: single sign-on only)."""
    with _db() as db:
        tenant = platform.get_collectivite(db, slug)
        platform.set_local_passwords(db, tenant, state == "on", actor=None)
    click.echo(f"Local passwords of {slug}: {state}.")


platform_group.add_command(credentials_group)
