"""Stored originals: written while received, moved in place, partial uploads swept."""

from __future__ import annotations

import os
import time
from pathlib import Path

from civia.documents import storage


def test_keep_read_remove_and_sizes(tmp_path: Path) -> None:
    upload = storage.incoming_dir(tmp_path) / "a.part"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"abcdef")
    target = storage.keep(tmp_path, upload, tenant_id=3, document_id=9)
    assert target == tmp_path / "documents" / "3" / "9" and not upload.exists()
    assert storage.read(tmp_path, 3, 9) == b"abcdef"
    assert storage.size_on_disk(tmp_path, 3, [9, 10]) == 6
    storage.remove(tmp_path, 3, 9)
    assert storage.read(tmp_path, 3, 9) is None


def test_sweep_removes_only_old_partial_uploads(tmp_path: Path) -> None:
    folder = storage.incoming_dir(tmp_path)
    folder.mkdir(parents=True)
    old, new = folder / "old.part", folder / "new.part"
    old.write_bytes(b"x")
    new.write_bytes(b"y")
    past = time.time() - 2 * storage.INCOMING_MAX_AGE_S
    os.utime(old, (past, past))
    assert storage.sweep_incoming(tmp_path) == 1
    assert not old.exists() and new.exists()
