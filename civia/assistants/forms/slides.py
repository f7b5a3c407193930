"""The slides' copies: a bullet given again word for word on a later slide (« Recettes : 9,2 M€ »
on three slides) is removed while its slide keeps the 3 bullets asked, and a sentence of the
speaker's notes copied from an earlier slide's notes is removed while the notes keep one; the
agent is told how many were removed. Any number, date or amount the title and the content do not
give (populations, years a small model makes up) is marked « [à vérifier] » and listed for the
agent, as in the letters and the minutes."""

from __future__ import annotations

import re
from typing import Any

from civia.assistants import facts, repetition

LEAST_BULLETS = 3  # the spec asks for 3 to 5 bullets per slide
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    mark = facts.Marker(facts.given((values.get("titre", ""), values.get("contenu", "")), context))
    bullets_seen: set[tuple[str, ...]] = set()
    said: set[tuple[str, ...]] = set()
    slides: list[dict[str, Any]] = []
    bullets_out = sentences_out = 0
    for slide in data.get("diapositives") or []:
        points = [str(p) for p in slide.get("points") or []]
        kept: list[str] = []
        for index, point in enumerate(points):
            key = repetition.words(point)
            left = len(kept) + len(points) - index - 1
            if key in bullets_seen and left >= LEAST_BULLETS:
                bullets_out += 1
                continue
            kept.append(point)
        bullets_seen |= {repetition.words(p) for p in kept if repetition.words(p)}
        sentences = [s for s in SENTENCE.split(str(slide.get("notes", "")).strip()) if s]
        new = [s for s in sentences if repetition.words(s) not in said]
        notes = new or sentences  # notes made only of copies are kept whole
        sentences_out += len(sentences) - len(notes)
        said |= {repetition.words(s) for s in sentences if repetition.words(s)}
        slides.append({**slide, "points": [mark(p) for p in kept], "notes": mark(" ".join(notes))})
    notes_fr = []
    if bullets_out:
        notes_fr.append(
            f"{bullets_out} puce(s) déjà donnée(s) sur une diapositive précédente : retirée(s)."
        )
    if sentences_out:
        notes_fr.append(
            f"{sentences_out} phrase(s) des notes de l'orateur copiée(s) d'une diapositive "
            "précédente : retirée(s)."
        )
    if mark.found:
        notes_fr.append(
            f"Absent du contenu donné, marqué [à vérifier] : {facts.listed(mark.found)}."
        )
    return {**data, "diapositives": slides}, notes_fr
