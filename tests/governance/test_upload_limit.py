"""The upload body limit stops reading as soon as the limit is passed (nothing more is read)."""

from __future__ import annotations

import asyncio
import re

import pytest
from fastapi import HTTPException
from starlette.types import Message, Receive, Scope, Send

from civia.web.routes.gov_upload_limit import FORM_OVERHEAD, BodyLimit

CHUNK = 10_000


def _run(path: str, headers: list[tuple[bytes, bytes]], chunks: int) -> tuple[int, int, int]:
    """(chunks pulled from the client, bytes the app read, status or 0)."""
    pulled = 0

    async def client() -> Message:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": pulled < chunks}

    read = 0

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal read
        while True:
            message = await receive()
            read += len(message.get("body", b""))
            if not message.get("more_body"):
                return

    async def send(_message: Message) -> None:
        return None

    middleware = BodyLimit(
        app, path=re.compile(r"^/upload$"), limit=lambda _scope: 50_000, message="Trop gros."
    )
    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    try:
        asyncio.run(middleware(scope, client, send))
    except HTTPException as exc:
        assert exc.detail == "Trop gros."
        return pulled, read, exc.status_code
    return pulled, read, 0


def test_a_growing_body_is_cut_at_the_limit() -> None:
    pulled, read, status = _run("/upload", [], chunks=100)
    limit = 50_000 + FORM_OVERHEAD
    assert status == 413
    assert pulled == limit // CHUNK + 1 and read <= limit  # stopped right after the limit


def test_a_declared_length_above_the_limit_reads_nothing() -> None:
    pulled, read, status = _run("/upload", [(b"content-length", b"10000000")], chunks=100)
    assert (pulled, read, status) == (0, 0, 413)


@pytest.mark.parametrize("path", ["/upload", "/other"])
def test_small_bodies_and_other_paths_pass(path: str) -> None:
    chunks = 3 if path == "/upload" else 100
    pulled, read, status = _run(path, [], chunks=chunks)
    assert status == 0 and pulled == chunks and read == chunks * CHUNK
