"""The recipes of docs/architecture.md, followed as written (the provider recipe is
tests/plugins/test_example.py, the area recipe tests/plugins/test_loader.py)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from civia.assistants import catalogue
from civia.plugins import hookspecs

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
NEW = Path(catalogue.__file__).parent / "zz-recette-test.yaml"
SPEC = """id: recette-test
name: Recette de test
description: Assistant ajouté par la recette « ajouter un assistant ».
category: Rédaction
instructions: Tu réponds en une phrase.
prompt: "{{ texte }}"
fields:
  - {name: texte, label: Texte, kind: long_text, max_length: 2000}
"""


@pytest.fixture
def new_file() -> Iterator[Path]:
    catalogue.builtins.cache_clear()
    try:
        yield NEW
    finally:
        NEW.unlink(missing_ok=True)
        catalogue.builtins.cache_clear()


def test_add_an_assistant(new_file: Path) -> None:
    assert "recette-test" not in catalogue.builtins()
    new_file.write_text(SPEC, encoding="utf-8")
    catalogue.builtins.cache_clear()
    spec = catalogue.get("recette-test")
    assert spec is not None and spec.name == "Recette de test"
    new_file.write_text(SPEC + "fournisseur: externe\n", encoding="utf-8")  # unknown key
    catalogue.builtins.cache_clear()
    with pytest.raises(ValidationError):
        catalogue.builtins()


def test_every_hook_is_documented() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    hooks = [name for name, f in inspect.getmembers(hookspecs, inspect.isfunction)
             if hasattr(f, "civia_spec")]  # fmt: skip
    assert len(hooks) >= 9
    assert [name for name in hooks if f"`{name}(" not in text] == []
