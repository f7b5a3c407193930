"""Original files of uploaded documents, kept under `data_dir/documents/<tenant>/<document>`
for download and re-indexing, and deleted with their document.

Uploads are written to `incoming/` while they arrive (never held whole in memory) and moved in
place once their document exists; a crash in between leaves only files `sweep_incoming` clears.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

INCOMING_MAX_AGE_S = 24 * 3600


def root(data_dir: Path) -> Path:
    return Path(data_dir) / "documents"


def path_of(data_dir: Path, tenant_id: int, document_id: int) -> Path:
    return root(data_dir) / str(int(tenant_id)) / str(int(document_id))


def incoming_dir(data_dir: Path) -> Path:
    """Where uploads are written while they arrive (see civia/web/uploads/stream.py)."""
    return root(data_dir) / "incoming"


def keep(data_dir: Path, upload: Path, *, tenant_id: int, document_id: int) -> Path:
    """Move a received file to its document's place (same file system: atomic)."""
    target = path_of(data_dir, tenant_id, document_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(upload, target)
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
    folder = incoming_dir(data_dir)
    if not folder.exists():
        return 0
    cutoff = time.time() - max_age_s
    removed = 0
    for path in folder.glob("*.part"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
