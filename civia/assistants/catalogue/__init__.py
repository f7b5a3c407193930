"""The assistant spec and the built-in catalogue, loaded from the YAML files beside this one."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field


class Sensitivity(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    PERSONAL = "personal"
    SENSITIVE = "sensitive"


class AssistantSpec(BaseModel):
    """A strict assistant definition. Privilege-widening fields are set by governance, not YAML
    imports (enforced where imports are handled)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    name: str = Field(min_length=2, max_length=80)
    description: str = Field(max_length=300)
    category: str = Field(max_length=40)
    icon: str = Field(default="💬", max_length=8)
    instructions: str = Field(min_length=10, max_length=8000)
    time_saved_minutes: int = Field(default=5, ge=0, le=480)
    sensitivity: Sensitivity = Sensitivity.INTERNAL
    transparency: str = Field(
        default="Texte produit avec l'aide d'une intelligence artificielle, relu par un agent.",
        max_length=300,
    )


@lru_cache
def builtins() -> dict[str, AssistantSpec]:
    specs = {}
    for path in sorted(Path(__file__).parent.glob("*.yaml")):
        spec = AssistantSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        specs[spec.id] = spec
    return specs


def get(assistant_id: str) -> AssistantSpec | None:
    return builtins().get(assistant_id)
