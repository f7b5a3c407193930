"""0012_security_auth: tokens issued before the upgrade get an expiry a year away and keep
working until then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, MetaData, Table, insert, select
from sqlalchemy.engine import Connection

from civia.db.engine import make_engine
from civia.db.migrate import upgrade


def _row(conn: Connection, name: str, **given: Any) -> int:
    """Insert a row giving every required column a plain value (the schema as of 0011)."""
    table = Table(name, MetaData(), autoload_with=conn)
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.primary_key or column.nullable or column.server_default is not None:
            continue
        kind = column.type
        values[column.name] = (
            False if isinstance(kind, Boolean)
            else 0 if isinstance(kind, Integer)
            else datetime.now(UTC) if isinstance(kind, DateTime)
            else {} if isinstance(kind, JSON)
            else f"{name}-{column.name}"[: getattr(kind, "length", None) or 100]
        )  # fmt: skip
    values.update(given)
    return int(conn.execute(insert(table).values(**values)).inserted_primary_key[0])


def test_existing_tokens_get_a_year(db_url: str) -> None:
    upgrade(db_url, "0011_trust")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        tenant = _row(conn, "tenants")
        user = _row(conn, "users", tenant_id=tenant, service_id=None, active=True)
        _row(conn, "api_tokens", user_id=user, token_hash="a" * 64)
    upgrade(db_url)
    with engine.connect() as conn:
        tokens = Table("api_tokens", MetaData(), autoload_with=conn)
        expires = conn.execute(select(tokens.c.expires_at)).scalar_one()
    engine.dispose()
    expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
    assert abs(expires - (datetime.now(UTC) + timedelta(days=365))) < timedelta(minutes=5)
