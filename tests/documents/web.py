"""Helpers for the documents HTTP tests: collections, uploads and running queued analyses."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from civia.jobs.worker import Worker
from civia.settings import Settings


def new_collection(
    client: TestClient, headers: dict[str, str], name: str = "Dossiers", scope: str = "personal"
) -> int:
    resp = client.post(
        "/documents/collections",
        data={"name": name, "scope": scope},
        headers=headers,
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    match = re.search(r"/documents/collections/(\d+)$", resp.headers["location"])
    assert match
    return int(match.group(1))


def upload(
    client: TestClient,
    headers: dict[str, str],
    collection_id: int,
    files: list[tuple[str, bytes, str]],
    **kw: object,
):
    """POST files the way the browser form does (csrf_token field first)."""
    return client.post(
        f"/documents/collections/{collection_id}/depot",
        data={"csrf_token": headers["X-CSRF-Token"]},
        files=[("files", (name, data, mime)) for name, data, mime in files],
        **kw,
    )


def run_jobs(client: TestClient, settings: Settings) -> int:
    """Run every queued ingestion job, as the worker would; return how many ran."""
    worker = Worker(client.app.state.sessions, settings, {})  # type: ignore[attr-defined]
    ran = 0
    while worker.run_once("ingestion"):
        ran += 1
    return ran
