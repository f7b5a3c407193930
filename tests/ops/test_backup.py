"""`civia backup` / `civia restore` round trip on SQLite and PostgreSQL: the personas, a
conversation, a document's original and a meeting's recording are lost, then restored from the
backup; a backup altered after the fact is refused before anything changes."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.engine import make_url

from civia.accounts.models import User
from civia.chat.models import Conversation
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.ops import backup
from tests.conftest import make_personas


def _seed(db_url: str, data_dir: Path, password_hash: str) -> dict[str, bytes]:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    with session_scope(make_sessionmaker(engine)) as db:
        personas = make_personas(db, password_hash)
        agent = personas["agent"]
        db.add(Conversation(tenant_id=agent.tenant_id, user_id=agent.id, title="Budget 2027"))
    engine.dispose()
    files = {
        "documents/1/7": b"%PDF-1.7 deliberation du conseil",
        "audio/1/12/recording.flac": bytes(range(256)) * 64,
        "fria/1/3/v1-abc.pdf": b"%PDF-1.4 analyse d'impact",
    }
    for relative, content in files.items():
        path = data_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (data_dir / "documents" / "incoming").mkdir(parents=True)
    (data_dir / "documents" / "incoming" / "half.part").write_bytes(b"half-received")
    return files


def _lose_everything(db_url: str, data_dir: Path) -> None:
    engine = make_engine(db_url)
    Base.metadata.drop_all(engine)
    engine.dispose()
    for child in data_dir.iterdir():
        if child.is_dir():
            shutil.rmtree(child)


def test_backup_and_restore_round_trip(db_url: str, tmp_path: Path, password_hash: str) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    files = _seed(db_url, data_dir, password_hash)
    folder = tmp_path / "sauvegarde"
    done = backup.backup(db_url, data_dir, folder)
    assert done.files == len(files) and done.tables["users"] == 9
    assert done.tables["conversations"] == 1
    manifest = json.loads((folder / "manifest.json").read_text())
    assert sorted(entry["path"] for entry in manifest["files"]) == sorted(files)
    assert not (folder / "files" / "documents" / "incoming").exists()  # half uploads left out

    _lose_everything(db_url, data_dir)
    restored = backup.restore(db_url, data_dir, folder)
    assert restored.tables == done.tables
    for relative, content in files.items():
        assert (data_dir / relative).read_bytes() == content
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        logins = set(db.scalars(select(User.login)))
        assert {"agent", "admin", "carol", "olivia"} <= logins
        assert db.scalar(select(Conversation.title)) == "Budget 2027"
    engine.dispose()


def test_an_altered_backup_is_refused_before_anything_changes(
    sqlite_url: str, tmp_path: Path, password_hash: str
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    _seed(sqlite_url, data_dir, password_hash)
    folder = tmp_path / "sauvegarde"
    backup.backup(sqlite_url, data_dir, folder)
    (folder / "files" / "documents" / "1" / "7").write_bytes(b"%PDF-1.7 autre contenu")
    (data_dir / "documents" / "1" / "7").write_bytes(b"version actuelle")
    with pytest.raises(backup.BackupError, match="documents/1/7: missing or altered"):
        backup.restore(sqlite_url, data_dir, folder)
    assert (data_dir / "documents" / "1" / "7").read_bytes() == b"version actuelle"
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.backup(sqlite_url, data_dir, folder)


def test_temporary_files_are_not_copied(db_url: str, tmp_path: Path, password_hash: str) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    files = _seed(db_url, data_dir, password_hash)
    (data_dir / "tmp").mkdir()
    (data_dir / "tmp" / "tmpa1b2c3.flac").write_bytes(b"audio sent to the transcription API")
    folder = tmp_path / "sauvegarde"
    done = backup.backup(db_url, data_dir, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert sorted(entry["path"] for entry in manifest["files"]) == sorted(files)
    assert done.files == len(files) and not (folder / "files" / "tmp").exists()


def test_a_file_deleted_during_the_backup_is_left_out(
    db_url: str,
    tmp_path: Path,
    password_hash: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The app keeps serving: a document erased between the walk of `data_dir` and its copy."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    files = _seed(db_url, data_dir, password_hash)
    walk = backup._data_files

    def walk_then_erase(data_dir: Path, database: Path | None) -> list[Path]:
        found = walk(data_dir, database)
        (data_dir / "documents" / "1" / "7").unlink()
        return found

    monkeypatch.setattr(backup, "_data_files", walk_then_erase)
    caplog.set_level(logging.INFO, logger="civia.backup")
    folder = tmp_path / "sauvegarde"
    done = backup.backup(db_url, data_dir, folder)
    kept = sorted(set(files) - {"documents/1/7"})
    manifest = json.loads((folder / "manifest.json").read_text())
    assert sorted(entry["path"] for entry in manifest["files"]) == kept
    assert done.files == 2 and done.bytes == sum(len(files[path]) for path in kept)
    assert not (folder / "files" / "documents" / "1" / "7").exists()
    assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "civia.backup"] == [
        (logging.INFO, "backup: documents/1/7 vanished before its copy, skipped")
    ]
    _lose_everything(db_url, data_dir)
    backup.restore(db_url, data_dir, folder)  # the manifest's checksums all verify
    assert (
        sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if p.is_file())
        == kept
    )


def test_pg_tools_reach_a_unix_socket_url() -> None:
    """`?host=/run/…` is how the psycopg driver names a socket: pg_dump/pg_restore went to
    127.0.0.1:5432 instead (another server, or none)."""
    url = make_url("postgresql+psycopg://civia@/civia?host=/run/postgresql&port=5433")
    args, _env, _schema = backup._pg_args(url)
    assert args == ["--host", "/run/postgresql", "--port", "5433", "--username", "civia"]
    args, _env, _schema = backup._pg_args(make_url("postgresql+psycopg://civia@db.interne/civia"))
    assert args == ["--host", "db.interne", "--port", "5432", "--username", "civia"]


def test_the_commands(
    sqlite_url: str, tmp_path: Path, password_hash: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from civia.cli import main
    from civia.settings import get_settings

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    _seed(sqlite_url, data_dir, password_hash)
    monkeypatch.setenv("CIVIA_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CIVIA_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    try:
        folder = tmp_path / "sauvegarde"
        out = CliRunner().invoke(main, ["backup", str(folder)])
        assert out.exit_code == 0, out.output
        assert "3 files" in out.output
        _lose_everything(sqlite_url, data_dir)
        refused = CliRunner().invoke(main, ["restore", str(folder)], input="n\n")
        assert refused.exit_code == 1 and not (data_dir / "documents").exists()
        out = CliRunner().invoke(main, ["restore", str(folder), "--yes"])
        assert out.exit_code == 0, out.output
        assert "row counts match the backup" in out.output
        assert (data_dir / "documents" / "1" / "7").is_file()
    finally:
        get_settings.cache_clear()
