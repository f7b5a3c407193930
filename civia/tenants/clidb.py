"""The database for the area's commands (not `civia.cli.common`: importing the `civia.cli`
package loads the plugins, this one among them)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from civia.accounts.manage import AccountError
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.settings import get_settings


@contextmanager
def database() -> Iterator[Session]:
    """French validation errors become a CLI error; nothing is written then."""
    engine = make_engine(get_settings().db_url)
    try:
        with session_scope(make_sessionmaker(engine)) as db:
            yield db
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
