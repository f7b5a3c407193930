"""A real PostgreSQL with the pgvector extension for tests: the `pgserver` package (PostgreSQL
16 + pgvector, from PyPI). Debian's PostgreSQL used by the other tests has no pgvector."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text


@pytest.fixture(scope="session")
def pgvector_server() -> Iterator[str]:
    """The server's socket folder (a short path: Unix sockets are limited to 107 bytes)."""
    pgserver = pytest.importorskip(
        "pgserver", reason="pgserver (PostgreSQL + pgvector from PyPI) is not installed"
    )
    folder = tempfile.mkdtemp(prefix="pgv-", dir="/tmp")
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        yield folder
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pgvector_url(pgvector_server: str) -> Iterator[str]:
    """A fresh database on the pgvector server."""
    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(
        f"postgresql+psycopg://postgres@/postgres?host={pgvector_server}",
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"postgresql+psycopg://postgres@/{name}?host={pgvector_server}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
