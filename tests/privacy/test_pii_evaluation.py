from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from presidio_analyzer import AnalyzerEngine

from civia.privacy.cli import pii_command
from civia.privacy.entities import ENTITY_TYPES
from civia.privacy.evaluation import score

TINY = [
    {"text": "Jeanne Dupont : 06 12 34 56 78", "entities": [
        {"type": "PERSON", "start": 0, "end": 13}, {"type": "PHONE", "start": 16, "end": 30}]},
    {"text": "Rien à signaler.", "entities": []},
]  # fmt: skip


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_score_exact_and_overlap() -> None:
    gold = [[("PERSON", 0, 13), ("PHONE", 16, 30)]]
    predicted = [[("PERSON", 0, 6), ("PHONE", 16, 30), ("EMAIL", 40, 50)]]
    report = score(gold, predicted)
    person = report["per_type"]["PERSON"]
    assert person["exact"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert person["overlap"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["per_type"]["EMAIL"]["exact"]["recall"] is None  # no gold: undefined
    assert report["overall"]["exact"]["precision"] == round(1 / 3, 4)


def test_cli_json(tmp_path: Path, analyzer: AnalyzerEngine) -> None:
    path = write(tmp_path / "tiny.jsonl", [json.dumps(row, ensure_ascii=False) for row in TINY])
    result = CliRunner().invoke(pii_command, ["--file", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"per_type", "overall", "ms_per_1000_chars", "results", "texts", "chars"} <= set(report)
    assert set(report["per_type"]) == set(ENTITY_TYPES)
    assert set(report["overall"]) == {"support", "predicted", "exact", "overlap"}
    assert set(report["overall"]["exact"]) == {"precision", "recall", "f1"}
    assert report["results"][0]["entities"] == TINY[0]["entities"]
    assert report["results"][1] == {"entities": []}
    assert report["overall"]["exact"]["recall"] == 1.0


def test_cli_table(tmp_path: Path, analyzer: AnalyzerEngine) -> None:
    path = write(tmp_path / "tiny.jsonl", [json.dumps(row) for row in TINY])
    result = CliRunner().invoke(pii_command, ["--file", str(path)])
    assert result.exit_code == 0, result.output
    assert "PERSON" in result.output and "TOTAL" in result.output
    assert "ms pour 1 000 caractères" in result.output


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"text": "abc", "entities": [', "Ligne 2 : JSON invalide"),
        ('["not", "an", "object"]', 'Ligne 2 : un objet avec un champ "text"'),
        ('{"text": "abc", "entities": [{"type": "NAME", "start": 0, "end": 1}]}', "type inconnu"),
        ('{"text": "abc", "entities": [{"type": "PERSON", "start": 2, "end": 9}]}', "positions"),
    ],
)
def test_cli_rejects_malformed_lines(tmp_path: Path, bad_line: str, message: str) -> None:
    path = write(tmp_path / "bad.jsonl", [json.dumps(TINY[1]), bad_line])
    result = CliRunner().invoke(pii_command, ["--file", str(path), "--json"])
    assert result.exit_code != 0
    assert message in result.output


def test_cli_requires_file() -> None:
    result = CliRunner().invoke(pii_command, [])
    assert result.exit_code == 2
    assert "--file" in result.output
