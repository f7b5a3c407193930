"""`civia platform admin` and `civia platform operator`: a new account's password is asked
hidden and twice when `--password` is not given, never echoed; an existing account is appointed
without a prompt; `--password` still works for scripts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from civia.accounts.models import Tenant, User
from civia.accounts.passwords import verify_password
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from tests.conftest import make_personas

NEW_PASSWORD = "mot-de-passe-de-la-dgs-42"


@pytest.fixture
def cli_db(db_url: str, password_hash: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The personas' database, the one the commands open."""
    from civia.settings import get_settings

    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    with session_scope(make_sessionmaker(engine)) as db:
        make_personas(db, password_hash)
    engine.dispose()
    monkeypatch.setenv("CIVIA_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def _invoke(*args: str, input: str | None = None) -> Result:
    from civia.cli import main

    return CliRunner().invoke(main, list(args), input=input)


def _account(db_url: str, login: str) -> tuple[str, str, str | None]:
    """Role, collectivité's slug and password hash of LOGIN."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        row = db.execute(
            select(User.role, Tenant.slug, User.password_hash)
            .join(Tenant, Tenant.id == User.tenant_id)
            .where(User.login == login)
        ).one()
    engine.dispose()
    return row[0], row[1], row[2]


def test_a_new_admin_password_is_prompted_hidden_and_confirmed(cli_db: str) -> None:
    typed = f"{NEW_PASSWORD}\nune-faute-de-frappe-1\n{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    out = _invoke("platform", "admin", "demoville", "nouvelle-dgs", input=typed)
    assert out.exit_code == 0, out.output
    assert out.output.count("Password: ") == 2 and "Repeat for confirmation: " in out.output
    assert "do not match" in out.output and NEW_PASSWORD not in out.output
    assert "nouvelle-dgs is now admin of demoville." in out.output
    role, slug, hashed = _account(cli_db, "nouvelle-dgs")
    assert (role, slug) == ("admin", "demoville") and verify_password(hashed, NEW_PASSWORD)


def test_an_existing_account_is_appointed_without_a_prompt(cli_db: str, password_hash: str) -> None:
    out = _invoke("platform", "admin", "demoville", "agent", input="")
    assert out.exit_code == 0, out.output
    assert "Password" not in out.output
    assert _account(cli_db, "agent") == ("admin", "demoville", password_hash)


def test_the_password_option_still_works_and_errors_come_before_a_prompt(cli_db: str) -> None:
    out = _invoke("platform", "admin", "demoville", "adjoint", "--password", NEW_PASSWORD)
    assert out.exit_code == 0 and "Password" not in out.output, out.output
    assert verify_password(_account(cli_db, "adjoint")[2], NEW_PASSWORD)
    out = _invoke("platform", "admin", "inconnue", "quelquun", input="")
    assert out.exit_code == 1 and "Collectivité inconnue" in out.output
    assert "Password" not in out.output
    out = _invoke("platform", "admin", "demoville", "trop-court", "--password", "court")
    assert out.exit_code == 1 and "Password" not in out.output


def test_an_operator_password_is_prompted_hidden_and_confirmed(cli_db: str) -> None:
    out = _invoke("platform", "operator", "exploitant", input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert out.exit_code == 0, out.output
    assert "Repeat for confirmation: " in out.output and NEW_PASSWORD not in out.output
    assert verify_password(_account(cli_db, "exploitant")[2], NEW_PASSWORD)
