"""Access logs keep the path, never the query string (agents' searches)."""

from __future__ import annotations

import logging
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from civia.web import access_log


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def capture() -> object:
    logger = logging.getLogger(access_log.ACCESS_LOGGER)
    saved = list(logger.filters)
    handler = _Capture()
    yield handler
    logger.removeHandler(handler)
    logger.filters[:] = saved


def test_a_real_uvicorn_access_log_drops_the_query(capture: _Capture) -> None:
    app = FastAPI()

    @app.get("/documents")
    def documents(q: str = "") -> dict[str, int]:
        return {"n": len(q)}

    access_log.install()
    access_log.install()  # idempotent
    port = _free_port()
    # uvicorn.Config configures logging (dictConfig) after the filter is installed, as `serve`.
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info"))
    logging.getLogger(access_log.ACCESS_LOGGER).addHandler(capture)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        resp = httpx.get(f"http://127.0.0.1:{port}/documents?q=dossier+de+M.+Dupont")
        assert resp.json() == {"n": len("dossier de M. Dupont")}
    finally:
        server.should_exit = True
        thread.join(10)
    lines = [line for line in capture.lines if "/documents" in line]
    assert lines and all("Dupont" not in line for line in lines), capture.lines
    assert '"GET /documents?… HTTP/1.1" 200' in lines[0]
    filters = logging.getLogger(access_log.ACCESS_LOGGER).filters
    assert sum(isinstance(f, access_log.DropQueryString) for f in filters) == 1
