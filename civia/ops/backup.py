"""`civia backup` / `civia restore`: the database and the files of `data_dir` (documents,
recordings, impact assessments, exports) in one folder, with a manifest of checksums.

Consistency: the database is copied first, in one snapshot (SQLite's online backup API, or
`pg_dump`, which reads one transaction), then the files. A file written after the snapshot is
copied without a row pointing to it (harmless); one deleted before its copy is left out of the
backup and its manifest (logged); files are never deleted by the copy. Restore checks every
checksum before it changes anything, then replaces the database and the files; run it with the
app and the workers stopped."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

log = logging.getLogger("civia.backup")
FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite"
PG_FILE = "database.pgdump"
FILES = "files"
# Under data_dir: never copied (half-received uploads; the SQLite database, copied apart).
SKIPPED_DIRS = {"incoming", "__pycache__"}
# Directly under data_dir only: temporary files (e.g. audio sent to the transcription API).
SKIPPED_TOP_DIRS = {"tmp"}
SKIPPED_SUFFIXES = (".part", ".tmp", "-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message is for the operator (English)."""


@dataclass(frozen=True)
class Summary:
    folder: Path
    engine: str
    files: int
    bytes: int
    tables: dict[str, int]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while block := src.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_path(url: URL) -> Path | None:
    return Path(url.database).resolve() if url.database and url.database != ":memory:" else None


def _data_files(data_dir: Path, database: Path | None) -> list[Path]:
    if not data_dir.is_dir():
        return []
    found = []
    for root, dirs, names in os.walk(data_dir):
        skipped = SKIPPED_DIRS | (SKIPPED_TOP_DIRS if Path(root) == data_dir else set())
        dirs[:] = sorted(d for d in dirs if d not in skipped)
        for name in sorted(names):
            path = Path(root) / name
            if name.endswith(SKIPPED_SUFFIXES) or ".tmp" in name:
                continue
            if database is not None and path.resolve() == database:
                continue
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def _counts(conn: Connection) -> dict[str, int]:
    names = inspect(conn).get_table_names()
    return {
        # Names from the database's own catalogue, not from a user.
        name: int(conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar() or 0)  # noqa: S608
        for name in sorted(names)
    }


def row_counts(db_url: str) -> dict[str, int]:
    """Rows per table: recorded at backup (from the snapshot itself), compared at restore."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return _counts(conn)
    finally:
        engine.dispose()


# -- PostgreSQL ----------------------------------------------------------------------------------
def _query(url: URL, key: str) -> str | None:
    value = url.query.get(key)
    return ",".join(value) if isinstance(value, tuple) else value  # libpq's host lists


def _pg_args(url: URL) -> tuple[list[str], dict[str, str], str | None]:
    """libpq arguments (no password on the command line), its environment, and the schema
    named by `options=-csearch_path=…` (the test databases use one schema each). A Unix socket
    is named like the app's driver reads it: `postgresql+psycopg://civia@/civia?host=/run/…`."""
    host = url.host or _query(url, "host") or "127.0.0.1"
    args = ["--host", host, "--port", str(url.port or _query(url, "port") or 5432)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    schema = None
    options = url.query.get("options")
    option = options if isinstance(options, str) else ""
    if "search_path" in option:
        schema = option.split("search_path", 1)[1].lstrip("=").split(",")[0].strip()
    return args, env, schema


def _run(command: list[str], env: dict[str, str]) -> str:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} not found: install postgresql-client")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def _pg_dump(db_url: str, target: Path) -> dict[str, int]:
    """pg_dump of the snapshot an open REPEATABLE READ transaction exported: the row counts
    read in that transaction are exactly those of the dump."""
    url = make_url(db_url)
    args, env, schema = _pg_args(url)
    engine = create_engine(db_url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as conn:
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            tables = _counts(conn)
            command = ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(target)]
            command += [f"--snapshot={snapshot}"]
            if schema:
                command += ["--schema", schema]
            _run([*command, url.database or "postgres"], env)
            conn.rollback()
    finally:
        engine.dispose()
    return tables


# `pg_restore --list` lines of an extension and of its comment: "2; 3079 16386 EXTENSION - vector"
# and "3620; 0 0 COMMENT - EXTENSION vector".
_EXTENSION_ENTRY = re.compile(r"\d+; \d+ \d+ (?:EXTENSION -|COMMENT - EXTENSION) (\S+)")


def _extensions(db_url: str) -> set[str]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return set(conn.execute(text("SELECT extname FROM pg_extension")).scalars())
    finally:
        engine.dispose()


def _restore_list(listing: str, installed: set[str]) -> str:
    """The dump's table of contents without the extensions the target database already has.
    `--clean` would drop and recreate them (and set their comment), which only their owner, a
    superuser, may do: Civia's role owns the database, not pgvector's `vector`. Left in place,
    they serve the restored columns and indexes; an extension the target lacks stays in the
    list (creating it needs a superuser, as on installation)."""
    lines = []
    for line in listing.splitlines():
        entry = _EXTENSION_ENTRY.match(line)
        lines.append(f";{line}" if entry and entry.group(1) in installed else line)
    return "\n".join(lines) + "\n"


def _pg_restore(db_url: str, source: Path) -> None:
    url = make_url(db_url)
    args, env, _schema = _pg_args(url)
    listing = _restore_list(_run(["pg_restore", "--list", str(source)], env), _extensions(db_url))
    command = ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    with tempfile.TemporaryDirectory(prefix="civia-restore-") as scratch:
        entries = Path(scratch) / "entries.list"
        entries.write_text(listing, encoding="utf-8")
        command += ["--use-list", str(entries)]
        _run([*command, "--dbname", url.database or "postgres", str(source)], env)


# -- backup --------------------------------------------------------------------------------------
def _copy_files(data_dir: Path, database: Path | None, target_dir: Path) -> list[dict[str, Any]]:
    """Copy the files of `data_dir`; one manifest entry per file copied. The app keeps serving
    during a backup: a file deleted since the walk (a temporary file, an erased upload) is left
    out, as if the walk had come after its deletion."""
    entries = []
    for path in _data_files(data_dir, database):
        relative = path.relative_to(data_dir)
        target = target_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(path, target)
        except FileNotFoundError:
            target.unlink(missing_ok=True)  # copy2 may fail on the metadata, after the data
            log.info("backup: %s vanished before its copy, skipped", relative.as_posix())
            continue
        size = target.stat().st_size
        entries.append({"path": relative.as_posix(), "bytes": size, "sha256": _sha256(target)})
    return entries


def backup(db_url: str, data_dir: Path, folder: Path) -> Summary:
    url = make_url(db_url)
    engine = url.get_backend_name()
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} exists and is not empty: choose a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    database = _sqlite_path(url) if engine == "sqlite" else None
    if engine == "sqlite":
        if database is None or not database.is_file():
            raise BackupError(f"SQLite database not found: {url.database}")
        dump = folder / SQLITE_FILE
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        copy = sqlite3.connect(dump)
        try:
            source.backup(copy)  # a consistent copy, even while the app writes
        finally:
            copy.close()
            source.close()
        tables = row_counts(f"sqlite:///{dump}")
    elif engine == "postgresql":
        dump = folder / PG_FILE
        tables = _pg_dump(db_url, dump)
    else:
        raise BackupError(f"unsupported database engine: {engine}")
    entries = _copy_files(data_dir, database, folder / FILES)
    total = sum(entry["bytes"] for entry in entries)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "database": {"file": dump.name, "sha256": _sha256(dump)},
        "tables": tables,
        "files": entries,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return Summary(folder, engine, len(entries), total, tables)


# -- restore -------------------------------------------------------------------------------------
def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} not found: not a Civia backup")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def verify(folder: Path) -> dict[str, Any]:
    """Every checksum of the manifest, before anything is changed."""
    manifest = read_manifest(folder)
    dump = folder / manifest["database"]["file"]
    if not dump.is_file() or _sha256(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump.name}: missing or altered")
    for entry in manifest["files"]:
        path = folder / FILES / entry["path"]
        if ".." in Path(entry["path"]).parts or Path(entry["path"]).is_absolute():
            raise BackupError(f"{entry['path']}: path outside the data folder")
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"{entry['path']}: missing or altered")
    return manifest


def restore(db_url: str, data_dir: Path, folder: Path) -> Summary:
    manifest = verify(folder)
    url = make_url(db_url)
    engine = url.get_backend_name()
    if engine != manifest["engine"]:
        raise BackupError(f"backup of a {manifest['engine']} database, target is {engine}")
    dump = folder / manifest["database"]["file"]
    if engine == "sqlite":
        database = _sqlite_path(url)
        if database is None:
            raise BackupError("restore needs a SQLite database file")
        database.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        target = sqlite3.connect(database)
        try:
            source.backup(target)  # replaces every page of the target
        finally:
            target.close()
            source.close()
    else:
        _pg_restore(db_url, dump)
    total = 0
    for entry in manifest["files"]:
        target_path = data_dir / entry["path"]
        target_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / FILES / entry["path"], target_path)
        total += entry["bytes"]
    tables = row_counts(db_url)
    expected = {name: count for name, count in manifest["tables"].items()}
    if {k: v for k, v in tables.items() if k in expected} != expected:
        raise BackupError("restored row counts differ from the backup's")
    return Summary(folder, engine, len(manifest["files"]), total, tables)
