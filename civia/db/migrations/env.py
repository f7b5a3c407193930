"""Alembic environment: uses the URL given by civia.db.migrate and Civia's metadata."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from civia.plugins.tables import metadata as all_tables

metadata = all_tables()

config = context.config


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """The SQLite full-text index (FTS5 virtual table and its shadow tables) is managed by
    migrations' raw DDL, not by the models."""
    return not (type_ == "table" and (name or "").startswith("doc_chunks_fts"))


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
