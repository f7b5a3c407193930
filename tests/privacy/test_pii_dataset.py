"""The committed test set is what its generator produces, with exact offsets."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from civia.privacy.entities import ENTITY_TYPES

DATA = Path(__file__).parents[1] / "data" / "pii"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_pii_set", DATA / "make_pii_set.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_file_matches_generator() -> None:
    rows = [json.loads(line) for line in (DATA / "pii-fr.jsonl").read_text("utf-8").splitlines()]
    assert rows == load_generator().build()


def test_offsets_and_types() -> None:
    rows = [json.loads(line) for line in (DATA / "pii-fr.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) >= 200
    assert sum(1 for r in rows if not r["entities"]) >= 20  # negatives
    for row in rows:
        previous_end = 0
        for entity in row["entities"]:
            assert entity["type"] in ENTITY_TYPES
            value = row["text"][entity["start"] : entity["end"]]
            assert value and value == value.strip()
            assert entity["start"] >= previous_end
            previous_end = entity["end"]
