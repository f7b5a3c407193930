"""Database layer: SQLAlchemy 2 models, engine/session helpers, Alembic migrations."""
