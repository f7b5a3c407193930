"""The SWOT's quadrants: an item the model put in two quadrants (« Organisation complexe » as a
weakness and again as a threat) is kept once, in the first quadrant that gives it, and the
agent is told where it also was; the hypotheses are read the same way (the small model copies
the strengths there). A quadrant whose only item was such a copy reads « [à compléter] »: never
empty, and never a contradiction the agent might sign without seeing it."""

from __future__ import annotations

from typing import Any

from civia.assistants import repetition

QUADRANTS = {
    "forces": "forces",
    "faiblesses": "faiblesses",
    "opportunites": "opportunités",
    "menaces": "menaces",
    "hypotheses": "hypothèses",
}
TO_COMPLETE = "[à compléter]"


def finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    out = dict(data)
    first: dict[tuple[str, ...], str] = {}  # an item's words → the quadrant that keeps it
    notes: list[str] = []
    for key, label in QUADRANTS.items():
        items = [str(i) for i in data.get(key) or []]
        kept: list[str] = []
        for index, item in enumerate(items):
            words = repetition.words(item)
            left = len(items) - index - 1 + len(kept)  # what the quadrant keeps without it
            if words and words in first:
                where = first[words]
                if where == label:
                    notes.append(f"« {item} » était donné deux fois en {label} : gardé une fois.")
                elif left:
                    notes.append(
                        f"« {item} » figurait aussi en {label} : gardé une fois, en {where} ; "
                        "vérifiez dans quelle case il va."
                    )
                else:  # the quadrant's only item: a placeholder the agent cannot miss
                    notes.append(
                        f"« {item} » figurait aussi en {label}, seul : gardé en {where} ; "
                        f"la case {label} est à compléter."
                    )
                    kept.append(TO_COMPLETE)
                continue
            first.setdefault(words, label)
            kept.append(item)
        if key in data:
            out[key] = kept
    return out, notes
