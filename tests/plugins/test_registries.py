"""Registries belong to one app (or one worker, or one command): every area registers itself
through the plugin hooks, and two apps in one process share nothing."""

from __future__ import annotations

import os
import time
from pathlib import Path

from civia.app import create_app
from civia.db.engine import make_engine, make_sessionmaker
from civia.documents import storage
from civia.jobs.worker import Worker
from civia.plugins import loader
from civia.plugins.registries import Registries
from civia.plugins.tables import metadata
from civia.settings import Settings

STORES = {"conversations", "runs", "prompts", "incidents", "comments", "jobs", "documents",
          "document_chats", "meetings", "mailbox"}  # fmt: skip
SECTIONS = {"documents", "reunions", "fichiers_des_resultats_d_assistants", "notes_du_portefeuille",
            "courriels_valides", "enquete_de_satisfaction"}  # fmt: skip
KINDS = {"assistants.document", "assistants.batch", "assistants.stream", "documents.ingest", "documents.reindex",
         "governance.reembed", "acts.import_scdl", "acts.embed", "meetings.transcribe",
         "meetings.minutes", "planning.survey_themes", "mailbox.analyse"}  # fmt: skip


def assert_complete(registries: Registries) -> None:
    hooks = registries.governance
    assert set(hooks.text_stores) == STORES
    assert set(hooks.purgers) == {"audio", "transcripts", "documents", "mail"}
    assert set(hooks.exporters) == SECTIONS
    assert set(hooks.erasers) == {
        "documents", "reunions", "notes_du_portefeuille", "courriels_valides",
        "enquete_de_satisfaction"}  # fmt: skip
    assert set(registries.job_kinds) == KINDS
    assert registries.resumable() <= KINDS


def test_every_area_registers_itself(tmp_path: Path) -> None:
    registries = loader.load(Settings(data_dir=tmp_path, database_url="sqlite://"))
    assert_complete(registries)
    tables = set(metadata().tables)
    assert {
        "users",
        "providers",
        "conversations",
        "usage_events",
        "audit_entries",
        "jobs",
    } <= tables
    assert {"doc_documents", "meetings", "assistant_runs", "use_cases"} <= tables
    labels = [link.label for link in registries.menu_for("agent")]
    assert labels[:3] == ["Accueil", "Nouvelle conversation", "Documents"]
    assert "Atelier" not in labels and "Atelier" in [
        m.label for m in registries.menu_for("referent")
    ]
    assert "Utilisateurs" in [m.label for m in registries.menu_for("admin")]
    assert registries.menu_for(None) == []


def test_a_worker_builds_its_own_registries(tmp_path: Path) -> None:
    """`civia worker` (no app) has every kind and governance hook too."""
    sessions = make_sessionmaker(make_engine("sqlite://"))
    worker = Worker(sessions, Settings(data_dir=tmp_path, database_url="sqlite://"), {})
    assert_complete(worker.registries)


def _leftover_upload(data_dir: Path) -> Path:
    folder = storage.incoming_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / "vieux.part"
    part.write_bytes(b"x")
    old = time.time() - storage.INCOMING_MAX_AGE_S - 60
    os.utime(part, (old, old))
    return part


def test_two_apps_in_one_process_share_nothing(tmp_path: Path) -> None:
    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    a_dir.mkdir()
    b_dir.mkdir()
    a_part, b_part = _leftover_upload(a_dir), _leftover_upload(b_dir)
    app_a = create_app(Settings(data_dir=a_dir))
    assert not a_part.exists() and b_part.exists()  # A's start-up swept A's folder only
    app_b = create_app(Settings(data_dir=b_dir))
    assert not b_part.exists()
    ra, rb = app_a.state.registries, app_b.state.registries
    assert ra is not rb and ra.governance is not rb.governance
    assert ra.job_kinds is not rb.job_kinds and ra.routes is not rb.routes
    ra.governance.purgers.clear()  # what one app changes, the other does not see
    ra.job_kinds.clear()
    assert set(rb.governance.purgers) == {"audio", "transcripts", "documents", "mail"}
    assert_complete(rb)
    assert app_a.state.templates is not app_b.state.templates
