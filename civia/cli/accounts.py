"""`civia users …` and `civia services …` (and tenants, for shared-services deployments)."""

from __future__ import annotations

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts import manage as ops
from civia.accounts.models import Role, Service, Tenant, User
from civia.cli.common import fail
from civia.db.engine import database

TENANT = click.option("--tenant", default="demoville", show_default=True, help="Collectivité slug")


@click.group()
def users() -> None:
    """Manage user accounts."""


@users.command("list")
@TENANT
def list_users(tenant: str) -> None:
    with database() as db:
        t = _tenant(db, tenant)
        for u in db.scalars(select(User).where(User.tenant_id == t.id).order_by(User.login)):
            service = u.service.name if u.service else "-"
            click.echo(f"{u.login}\t{u.role}\t{service}\t{'active' if u.active else 'disabled'}")


@users.command("create")
@click.argument("login")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="agent")
@click.option("--service", "service_name", default="", help="Service name")
@click.option("--name", "display_name", default="")
@click.option("--email", default="")
@click.password_option("--password", prompt="Password")
@TENANT
def create_user(
    login: str,
    role: str,
    service_name: str,
    display_name: str,
    email: str,
    password: str,
    tenant: str,
) -> None:
    with database() as db:
        t = _tenant(db, tenant)
        service = _service(db, t, service_name) if service_name else None
        try:
            ops.create_user(
                db,
                tenant=t,
                login=login,
                password=password,
                role=role,
                display_name=display_name,
                email=email,
                service_id=service.id if service else None,
            )
        except ops.AccountError as exc:
            fail(str(exc))
    click.echo(f"User {login} created.")


@users.command("set-role")
@click.argument("login")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role(login: str, role: str) -> None:
    with database() as db:
        ops.update_user(db, _user(db, login), role=role)
    click.echo(f"{login} is now {role}.")


@users.command("passwd")
@click.argument("login")
@click.password_option("--password", prompt="New password")
def passwd(login: str, password: str) -> None:
    with database() as db:
        try:
            ops.set_password(db, _user(db, login), password)
        except ops.AccountError as exc:
            fail(str(exc))
    click.echo("Password changed; existing sessions closed.")


@users.command("disable")
@click.argument("login")
def disable(login: str) -> None:
    with database() as db:
        ops.update_user(db, _user(db, login), active=False)
    click.echo(f"{login} disabled.")


@click.group()
def services() -> None:
    """Manage the services (directions) of a collectivité."""


@services.command("list")
@TENANT
def list_services(tenant: str) -> None:
    with database() as db:
        t = _tenant(db, tenant)
        for s in db.scalars(
            select(Service).where(Service.tenant_id == t.id).order_by(Service.name)
        ):
            click.echo(f"{s.id}\t{s.name}")


@services.command("create")
@click.argument("name")
@TENANT
def create_service(name: str, tenant: str) -> None:
    with database() as db:
        try:
            ops.create_service(db, tenant=_tenant(db, tenant), name=name)
        except ops.AccountError as exc:
            fail(str(exc))
    click.echo(f"Service {name} created.")


@services.command("create-tenant")
@click.argument("slug")
@click.argument("name")
def create_tenant(slug: str, name: str) -> None:
    """Add a collectivité (shared-services deployments)."""
    with database() as db:
        if db.scalar(select(Tenant).where(Tenant.slug == slug)):
            fail(f"Tenant {slug} already exists.")
        db.add(Tenant(slug=slug, name=name))
    click.echo(f"Tenant {slug} created.")


def _tenant(db: Session, slug: str) -> Tenant:
    try:
        return ops.get_tenant(db, slug)
    except ops.AccountError:
        raise click.ClickException(f"Unknown tenant: {slug}") from None


def _service(db: Session, tenant: Tenant, name: str) -> Service:
    found = db.scalar(select(Service).where(Service.tenant_id == tenant.id, Service.name == name))
    if found is None:
        raise click.ClickException(f"Unknown service: {name}")
    return found


def _user(db: Session, login: str) -> User:
    found = db.scalar(select(User).where(User.login == login.lower()))
    if found is None:
        raise click.ClickException(f"Unknown user: {login}")
    return found
