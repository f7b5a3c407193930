"""Diagnostic grids: questions, options and weights as data (YAML, strict schema).

A grid is validated when loaded (the built-in file, an import): unknown keys, duplicate ids,
option values that do not rise from 0, or levels not starting at 0 are refused with a French
message naming where the problem is. Grids are shared as YAML files between collectivités.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

BUILTIN = Path(__file__).parent / "grids" / "standard.yaml"
MAX_IMPORT_BYTES = 128 * 1024
SLUG = r"^[a-z0-9][a-z0-9-]{1,62}$"
KEY = r"^[a-z][a-z0-9_]{0,39}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    value: int = Field(ge=0, le=10)
    label: str = Field(min_length=1, max_length=80)
    explanation: str = Field(min_length=1, max_length=400)


class Question(_Strict):
    id: str = Field(pattern=KEY)
    text: str = Field(min_length=5, max_length=300)
    weight: float = Field(default=1, gt=0, le=10)
    options: list[Option] = Field(min_length=2, max_length=6)

    @model_validator(mode="after")
    def _values(self) -> Question:
        values = [o.value for o in self.options]
        if len(set(values)) != len(values):
            raise ValueError(f"question « {self.id} » : deux options ont la même valeur")
        if min(values) != 0:
            raise ValueError(f"question « {self.id} » : la plus faible option doit valoir 0")
        return self

    @property
    def top(self) -> int:
        return max(o.value for o in self.options)

    def option(self, value: int) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


class Dimension(_Strict):
    id: str = Field(pattern=KEY)
    label: str = Field(min_length=2, max_length=80)
    weight: float = Field(default=1, gt=0, le=10)
    advice: str = Field(min_length=10, max_length=1000)
    questions: list[Question] = Field(min_length=1, max_length=12)


class Level(_Strict):
    id: Literal["faible", "moyenne", "elevee"]
    label: str = Field(min_length=2, max_length=80)
    min_score: float = Field(ge=0, le=100)
    recommendation: str = Field(min_length=10, max_length=1000)
    duration: str = Field(default="", max_length=80)


class Grid(_Strict):
    slug: str = Field(pattern=SLUG)
    title: str = Field(min_length=3, max_length=200)
    version: int = Field(default=1, ge=1)
    description: str = Field(default="", max_length=2000)
    levels: list[Level] = Field(min_length=3, max_length=3)
    dimensions: list[Dimension] = Field(min_length=2, max_length=8)

    @model_validator(mode="after")
    def _consistent(self) -> Grid:
        ids = [d.id for d in self.dimensions]
        if len(set(ids)) != len(ids):
            raise ValueError("deux dimensions ont le même identifiant")
        questions = [q.id for d in self.dimensions for q in d.questions]
        if len(set(questions)) != len(questions):
            raise ValueError("deux questions ont le même identifiant")
        levels = [lv.id for lv in self.levels]
        if levels != ["faible", "moyenne", "elevee"]:
            raise ValueError("les niveaux doivent être, dans l'ordre : faible, moyenne, elevee")
        bounds = [lv.min_score for lv in self.levels]
        if bounds[0] != 0 or not bounds[0] < bounds[1] < bounds[2]:
            raise ValueError("les seuils des niveaux doivent partir de 0 et croître strictement")
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for d in self.dimensions for q in d.questions if q.id == question_id), None)

    def dimension(self, dimension_id: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def level(self, level_id: str) -> Level:
        return next(lv for lv in self.levels if lv.id == level_id)

    def as_yaml(self) -> str:
        return yaml.safe_dump(
            self.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=100
        )


class GridError(ValueError):
    """A grid file that cannot be used; the message is French, for the user."""


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "la grille"


def parse(data: Any) -> Grid:
    if not isinstance(data, dict):
        raise GridError("Le fichier doit décrire une grille (paires « clé : valeur »).")
    try:
        return Grid.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:8]:
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "clé inconnue (faute de frappe ?)"
            elif err["type"] == "missing":
                message = "information obligatoire manquante"
            problems.append(f"{_where(err['loc'])} : {message}")
        raise GridError("Grille invalide — " + " ; ".join(problems) + ".") from None


def load_text(text: str | bytes) -> Grid:
    if len(text) > MAX_IMPORT_BYTES:
        raise GridError("Fichier trop volumineux (128 Ko au plus).")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark is not None else ""
        raise GridError(f"Ce fichier n'est pas un YAML lisible{where}.") from None
    return parse(data)


@cache
def builtin() -> Grid:
    return load_text(BUILTIN.read_text(encoding="utf-8"))
