"""Run Alembic migrations programmatically (the CLI and the prestart step call this)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    from civia.db.engine import make_engine  # creates the SQLite folder when needed

    make_engine(url).dispose()
    command.upgrade(alembic_config(url), revision)
