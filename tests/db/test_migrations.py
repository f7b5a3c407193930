"""Migrations build the schema the models describe, on SQLite and PostgreSQL."""

from alembic import command
from sqlalchemy import inspect

from civia.db.engine import make_engine
from civia.db.migrate import alembic_config, upgrade


def test_upgrade_then_models_match(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)  # idempotent
    engine = make_engine(db_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"users", "conversations", "messages", "usage_events", "api_tokens"} <= tables
    # Fails when a model changed without a migration.
    command.check(alembic_config(db_url))
