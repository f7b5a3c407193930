"""Score a detector on a JSONL file of annotated texts (``civia eval pii``).

Each line: ``{"text": ..., "entities": [{"type", "start", "end"}]}``. Precision, recall and F1
per type and overall (micro), with exact matching (same type and offsets) and overlap
matching (same type, spans intersect: a gold entity is found if any prediction overlaps it,
a prediction is right if it overlaps any gold entity). ``results`` repeats what was detected,
line by line, so anyone can recompute the figures.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from civia.privacy.entities import ENTITY_TYPES, Entity

Detector = Callable[[str], Iterable[Entity]]
Span = tuple[str, int, int]


class DatasetError(ValueError):
    """A line of the evaluation file is not what the format says (message in French)."""


@dataclass(frozen=True)
class Sample:
    text: str
    spans: tuple[Span, ...]


def _fail(line_no: int, why: str) -> DatasetError:
    return DatasetError(f"Ligne {line_no} : {why}")


def parse_line(line: str, line_no: int) -> Sample:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _fail(line_no, f"JSON invalide ({exc.msg}, colonne {exc.colno}).") from None
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise _fail(line_no, 'un objet avec un champ "text" (chaîne) est attendu.')
    text, raw_entities = row["text"], row.get("entities", [])
    if not isinstance(raw_entities, list):
        raise _fail(line_no, '"entities" doit être une liste.')
    spans = []
    for index, entity in enumerate(raw_entities, start=1):
        if not isinstance(entity, dict):
            raise _fail(line_no, f"l'entité n° {index} doit être un objet.")
        kind, start, end = entity.get("type"), entity.get("start"), entity.get("end")
        if kind not in ENTITY_TYPES:
            allowed = ", ".join(ENTITY_TYPES)
            raise _fail(line_no, f"type inconnu {kind!r} (entité n° {index}) ; types : {allowed}.")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise _fail(line_no, f"positions start/end invalides pour l'entité n° {index}.")
        spans.append((str(kind), start, end))
    return Sample(text=text, spans=tuple(spans))


def load_samples(path: Path) -> list[Sample]:
    """Read and validate the whole file before any detection runs."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise DatasetError(f"{path} : le fichier doit être encodé en UTF-8.") from None
    samples = [parse_line(line, n) for n, line in enumerate(lines, start=1) if line.strip()]
    if not samples:
        raise DatasetError(f"{path} : aucun texte à évaluer.")
    return samples


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _scores(hits_pred: int, n_pred: int, hits_gold: int, n_gold: int) -> dict[str, Any]:
    precision, recall = _ratio(hits_pred, n_pred), _ratio(hits_gold, n_gold)
    f1 = None
    if precision is not None and recall is not None:
        f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def score(gold: Sequence[Sequence[Span]], predicted: Sequence[Sequence[Span]]) -> dict[str, Any]:
    """Per-type and overall scores for aligned lists of gold and predicted spans."""
    counts = {
        t: {"gold": 0, "pred": 0, "exact": 0, "ov_pred": 0, "ov_gold": 0} for t in ENTITY_TYPES
    }
    for gold_spans, pred_spans in zip(gold, predicted, strict=True):
        gold_set = set(gold_spans)
        for span in gold_spans:
            counts[span[0]]["gold"] += 1
            counts[span[0]]["ov_gold"] += any(_overlaps(span, p) for p in pred_spans)
        for span in pred_spans:
            counts[span[0]]["pred"] += 1
            counts[span[0]]["exact"] += span in gold_set
            counts[span[0]]["ov_pred"] += any(_overlaps(span, g) for g in gold_spans)

    def block(c: dict[str, int]) -> dict[str, Any]:
        return {
            "support": c["gold"],
            "predicted": c["pred"],
            "exact": _scores(c["exact"], c["pred"], c["exact"], c["gold"]),
            "overlap": _scores(c["ov_pred"], c["pred"], c["ov_gold"], c["gold"]),
        }

    total = {key: sum(c[key] for c in counts.values()) for key in counts[ENTITY_TYPES[0]]}
    return {"per_type": {t: block(c) for t, c in counts.items()}, "overall": block(total)}


def evaluate(samples: Sequence[Sample], detector: Detector) -> dict[str, Any]:
    """Run ``detector`` on every sample (after one warm-up call) and score it."""
    list(detector("Bonjour, je suis Jeanne Martin."))  # load models outside the timing
    predicted: list[list[Span]] = []
    elapsed = 0.0
    for sample in samples:
        started = time.perf_counter()
        entities = list(detector(sample.text))
        elapsed += time.perf_counter() - started
        predicted.append([(e.type.value, e.start, e.end) for e in entities])
    chars = sum(len(s.text) for s in samples)
    report: dict[str, Any] = {
        "texts": len(samples),
        "chars": chars,
        "ms_per_1000_chars": round(elapsed * 1000 / chars * 1000, 2) if chars else None,
    }
    report.update(score([s.spans for s in samples], predicted))
    report["results"] = [
        {"entities": [{"type": t, "start": s, "end": e} for t, s, e in spans]}
        for spans in predicted
    ]
    return report


def evaluate_file(path: Path, detector: Detector | None = None) -> dict[str, Any]:
    """Validate ``path``, then evaluate ``detector`` (Civia's ``detect`` by default)."""
    samples = load_samples(path)
    if detector is None:
        from civia.privacy.engine import detect  # loads spaCy only once the file is valid

        detector = detect
    report = {"file": str(path), **evaluate(samples, detector)}
    return report
