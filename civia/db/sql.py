"""Small SQL helpers that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from civia.db import readcache
from civia.db.base import Base


def insert_or_ignore(db: Session, model: type[Base], **values: Any) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was inserted.

    Used instead of a savepoint + IntegrityError: pysqlite's legacy transaction handling turns
    a SAVEPOINT opened before any write into the outer transaction. RETURNING tells whether a
    row went in (psycopg reports no rowcount for this statement)."""
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    key = next(iter(inspect(model).primary_key))
    stmt = insert(model).values(**values).on_conflict_do_nothing().returning(key)
    readcache.mark(db, str(model.__tablename__))  # on the connection: no ORM event sees it
    return db.connection().execute(stmt).first() is not None
