"""`civia eval transcription` (the click command object, before it is mounted)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from civia.meetings.cli import transcription_command

from .conftest import CLIP, needs_clip

CONTRACT = {"clips", "audio_seconds", "wer", "rtf", "model", "settings", "results"}
RESULT_KEYS = {"file", "reference", "hypothesis", "audio_seconds", "seconds"}


@pytest.mark.model
@needs_clip
def test_json_contract_on_one_clip(transcriber, model_dir: Path, tmp_path: Path) -> None:
    shutil.copy(CLIP, tmp_path)
    shutil.copy(CLIP.with_suffix(".txt"), tmp_path)
    shutil.copy(CLIP, tmp_path / "sans-reference.ogg")  # ignored: no .txt
    args = ["--dir", str(tmp_path), "--json", "--model-dir", str(model_dir), "--threads", "2"]
    result = CliRunner().invoke(transcription_command, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) >= CONTRACT
    assert report["clips"] == 1
    assert report["audio_seconds"] == pytest.approx(8.35, abs=0.1)
    assert 0.0 <= report["wer"] < 0.5
    assert report["rtf"] > 0
    assert report["settings"]["vad_filter"] is True
    (entry,) = report["results"]
    assert set(entry) == RESULT_KEYS
    assert entry["file"] == CLIP.name
    assert entry["reference"] == CLIP.with_suffix(".txt").read_text(encoding="utf-8").strip()
    assert entry["hypothesis"]


@pytest.mark.model
@needs_clip
def test_options_reach_the_settings(transcriber, model_dir: Path, tmp_path: Path) -> None:
    shutil.copy(CLIP, tmp_path)
    shutil.copy(CLIP.with_suffix(".txt"), tmp_path)
    args = ["--dir", str(tmp_path), "--json", "--model-dir", str(model_dir), "--threads", "2",
            "--beam-size", "1", "--no-vad", "--initial-prompt", "Conseil municipal."]  # fmt: skip
    result = CliRunner().invoke(transcription_command, args)
    assert result.exit_code == 0, result.output
    settings = json.loads(result.output)["settings"]
    assert settings["beam_size"] == 1
    assert settings["vad_filter"] is False
    assert settings["initial_prompt"] == "Conseil municipal."


def test_directory_without_references_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "seul.ogg").write_bytes(b"x")
    result = CliRunner().invoke(transcription_command, ["--dir", str(tmp_path), "--json"])
    assert result.exit_code == 2
    assert "Aucun enregistrement" in result.output
