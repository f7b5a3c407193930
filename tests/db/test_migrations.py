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


def test_full_text_index_is_created_by_migrations(db_url: str) -> None:
    from sqlalchemy import text

    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            found = conn.execute(
                text("SELECT name FROM sqlite_master WHERE name = 'doc_chunks_fts'")
            )
        else:
            found = conn.execute(
                text(
                    "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_doc_chunks_search_tsv'"
                )
            )
        assert found.scalar() is not None
    engine.dispose()


def test_one_linear_chain_numbered_in_order() -> None:
    """Branches merged in parallel each add a migration: they must end as one chain whose
    file numbers follow the order of application (no second head)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()
    chain = list(reversed(list(script.walk_revisions())))
    numbers = [int(rev.module.__file__.rsplit("/", 1)[1][:4]) for rev in chain]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers
