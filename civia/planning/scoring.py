"""Scores of a diagnostic: per dimension and overall (0–100), level and weakest dimension.

A question scores its chosen option's value over the question's best value; a dimension is
the weighted mean of its questions; the overall score is the weighted mean of the dimensions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from civia.planning.grid import Dimension, Grid, Level


class AnswerError(ValueError):
    """Missing or impossible answers; `missing` lists the question texts left unanswered."""

    def __init__(self, message: str, missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.missing = missing or []


@dataclass(frozen=True)
class Result:
    scores: dict[str, float]  # dimension id → 0..100, one decimal
    overall: float
    level: Level
    weakest: Dimension


def check(grid: Grid, answers: Mapping[str, int]) -> dict[str, int]:
    """Answers for exactly the grid's questions, each one of its options' values."""
    missing = [q.text for d in grid.dimensions for q in d.questions if q.id not in answers]
    if missing:
        raise AnswerError(
            f"Répondez à toutes les questions ({len(missing)} sans réponse).", missing
        )
    clean = {}
    for key, value in answers.items():
        question = grid.question(key)
        if question is None:
            raise AnswerError(f"Question inconnue : « {key} ».")
        if question.option(value) is None:
            raise AnswerError(f"Réponse impossible à la question « {question.text} ».")
        clean[key] = value
    return clean


def _mean(pairs: list[tuple[float, float]]) -> float:
    total = sum(weight for _, weight in pairs)
    return sum(value * weight for value, weight in pairs) / total


def score(grid: Grid, answers: Mapping[str, int]) -> Result:
    answers = check(grid, answers)
    scores = {}
    for dimension in grid.dimensions:
        pairs = [(answers[q.id] / q.top, q.weight) for q in dimension.questions]
        scores[dimension.id] = round(100 * _mean(pairs), 1)
    overall = round(_mean([(scores[d.id], d.weight) for d in grid.dimensions]), 1)
    return Result(scores, overall, level_for(grid, overall), weakest(grid, scores))


def level_for(grid: Grid, overall: float) -> Level:
    return [lv for lv in grid.levels if overall >= lv.min_score][-1]


def weakest(grid: Grid, scores: Mapping[str, float]) -> Dimension:
    """The lowest dimension; on a tie, the first in the grid's order."""
    return min(grid.dimensions, key=lambda d: scores[d.id])
