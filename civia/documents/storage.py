"""Original files of uploaded documents, kept under `data_dir/documents/<tenant>/<document>`
for download and re-indexing, and deleted with their document.

Uploads are written to `incoming/` while they arrive (never held whole in memory) and moved in
place once their document exists; a crash in between leaves only files `sweep_incoming` clears.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

INCOMING_MAX_AGE_S = 24 * 3600


def root(data_dir: Path) -> Path:
    return Path(data_dir) / "documents"


def path_of(data_dir: Path, tenant_id: int, document_id: int) -> Path:
    return root(data_dir) / str(int(tenant_id)) / str(int(document_id))


@dataclass
class Incoming:
    """A file being received: written piece by piece, hashed on the way, size counted."""

    path: Path
    size: int = 0
    _hash: hashlib._Hash = field(default_factory=hashlib.sha256)
    _handle: object = None

    def write(self, data: bytes) -> None:
        if self._handle is None:
            self._handle = self.path.open("wb")
        self._handle.write(data)  # type: ignore[attr-defined]
        self._hash.update(data)
        self.size += len(data)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()  # type: ignore[attr-defined]
            self._handle = None

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


def incoming(data_dir: Path) -> Incoming:
    folder = root(data_dir) / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return Incoming(folder / f"{uuid.uuid4().hex}.part")


def keep(data_dir: Path, upload: Incoming, *, tenant_id: int, document_id: int) -> Path:
    """Move a received file to its document's place (same file system: atomic)."""
    upload.close()
    target = path_of(data_dir, tenant_id, document_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not upload.path.exists():  # an empty upload wrote nothing
        upload.path.touch()
    os.replace(upload.path, target)
    return target


def read(data_dir: Path, tenant_id: int, document_id: int) -> bytes | None:
    path = path_of(data_dir, tenant_id, document_id)
    return path.read_bytes() if path.exists() else None


def remove(data_dir: Path, tenant_id: int, document_id: int) -> None:
    path_of(data_dir, tenant_id, document_id).unlink(missing_ok=True)


def size_on_disk(data_dir: Path, tenant_id: int, document_ids: list[int]) -> int:
    total = 0
    for document_id in document_ids:
        path = path_of(data_dir, tenant_id, document_id)
        if path.exists():
            total += path.stat().st_size
    return total


def sweep_incoming(data_dir: Path, max_age_s: float = INCOMING_MAX_AGE_S) -> int:
    """Delete partial uploads left by a stopped process."""
    folder = root(data_dir) / "incoming"
    if not folder.exists():
        return 0
    cutoff = time.time() - max_age_s
    removed = 0
    for path in folder.glob("*.part"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
