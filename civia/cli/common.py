"""Helpers shared by CLI commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.settings import get_settings


@contextmanager
def database() -> Iterator[Session]:
    engine = make_engine(get_settings().db_url)
    try:
        with session_scope(make_sessionmaker(engine)) as db:
            yield db
    finally:
        engine.dispose()


def fail(message: str) -> None:
    raise click.ClickException(message)
