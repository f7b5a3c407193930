"""The built-in catalogue: one YAML file per assistant beside this module."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from civia.assistants.spec import AssistantSpec, Sensitivity

__all__ = ["AssistantSpec", "Sensitivity", "builtins", "get"]


@lru_cache
def builtins() -> dict[str, AssistantSpec]:
    specs = {}
    for path in sorted(Path(__file__).parent.glob("*.yaml")):
        spec = AssistantSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        specs[spec.id] = spec
    return specs


def get(assistant_id: str) -> AssistantSpec | None:
    return builtins().get(assistant_id)
