"""`civia tokens …`: API tokens for business tools."""

from __future__ import annotations

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.db.engine import database
from civia.settings import get_settings


def _user(db: Session, login: str) -> User:
    user = db.scalar(select(User).where(User.login == login.lower()))
    if user is None:
        raise click.ClickException(f"Unknown user: {login}")
    return user


@click.group()
def tokens() -> None:
    """Create, list and revoke per-user API tokens."""


@tokens.command("create")
@click.option("--user", "login", required=True, help="Login of the token's owner")
@click.option("--name", default="CLI", show_default=True)
def create(login: str, name: str) -> None:
    """Create a token and print it once."""
    with database() as db:
        days = get_settings().api_token_days
        token, _ = api_tokens.create(db, user=_user(db, login), name=name, days=days)
    click.echo(token)


@tokens.command("list")
@click.option("--user", "login", required=True)
def list_tokens(login: str) -> None:
    with database() as db:
        for t in api_tokens.list_for(db, _user(db, login)):
            state = "revoked" if t.revoked_at else "expired" if api_tokens.expired(t) else "active"
            expires = t.expires_at.date().isoformat()
            click.echo(f"{t.id}\t{t.prefix}…\t{t.name}\t{state}\texpires {expires}")


@tokens.command("revoke")
@click.option("--user", "login", required=True)
@click.argument("token_id", type=int)
def revoke(login: str, token_id: int) -> None:
    with database() as db:
        if not api_tokens.revoke(db, user=_user(db, login), token_id=token_id):
            raise click.ClickException("No such active token for this user.")
    click.echo("Token revoked.")
