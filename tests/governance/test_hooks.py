"""One way to load every area's governance hooks, used by the app, the CLI and job workers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from civia.governance import dsr, hooks, retention, text_stores
from civia.jobs.worker import Worker
from civia.settings import Settings

STORES = {"conversations", "runs", "prompts", "incidents", "comments", "jobs", "documents",
          "document_chats", "meetings"}  # fmt: skip
SECTIONS = {"documents", "reunions", "fichiers_des_resultats_d_assistants"}


@pytest.fixture
def empty(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registries as in a fresh process."""
    for module, name in ((retention, "_PURGERS"), (dsr, "_EXPORTERS"), (dsr, "_ERASERS"),
                         (text_stores, "_STORES")):  # fmt: skip
        monkeypatch.setattr(module, name, {})


def assert_loaded() -> None:
    assert set(text_stores.stores()) == STORES
    assert set(retention._PURGERS) == {"audio", "transcripts", "documents"}
    assert set(dsr._EXPORTERS) == SECTIONS
    assert set(dsr._ERASERS) == {"documents", "reunions"}


def test_load_registers_every_area(empty: None, tmp_path: Path) -> None:
    hooks.load(Settings(data_dir=tmp_path, database_url="sqlite://"))
    assert_loaded()
    hooks.load(Settings(data_dir=tmp_path, database_url="sqlite://"))  # again: the same hooks
    assert_loaded()


def test_a_worker_process_has_the_hooks(
    empty: None, factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """`civia worker` and the app's embedded worker both start a `Worker`."""
    worker = Worker(factory, Settings(data_dir=tmp_path, database_url="sqlite://"), {})
    worker.start()
    try:
        assert_loaded()
    finally:
        worker.stop()
