"""The slides' copies. A small model asked for more slides than the content fills pads them
with copies: a bullet given again word for word on a later slide (« Recettes : 9,2 M€ » on three
slides) or repeating a slide's title, speaker's notes that copy earlier notes or read the
bullets out again. A copy is removed while its slide keeps the 3 bullets asked; where it would
leave fewer, or notes made only of copies, « [à compléter] » takes its place, so the agent sees
what the content did not fill instead of a slide that only looks complete. The agent is told
how many of each. Any number, date or amount the title and the content do not give (populations,
years a small model makes up) is marked « [à vérifier] » and listed for the agent, as in the
letters and the minutes."""

from __future__ import annotations

import re
from typing import Any

from civia.assistants import facts, repetition

LEAST_BULLETS = 3  # the spec asks for 3 to 5 bullets per slide
SENTENCE = re.compile(r"(?<=[.!?])\s+")
TO_COMPLETE = "[à compléter]"


def finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    mark = facts.Marker(facts.given((values.get("titre", ""), values.get("contenu", "")), context))
    bullets_seen: set[tuple[str, ...]] = set()  # and the titles, this slide's included
    said: set[tuple[str, ...]] = set()  # the notes' sentences and the bullets, so far
    slides: list[dict[str, Any]] = []
    removed = blanked = sentences_out = notes_blanked = 0
    for slide in data.get("diapositives") or []:
        points = [str(p) for p in slide.get("points") or []]
        bullets_seen.add(repetition.words(str(slide.get("titre", ""))))
        seen = set(bullets_seen)
        kept: list[str] = []
        for index, point in enumerate(points):
            key = repetition.words(point)
            if not key or key not in seen:
                kept.append(point)
                seen.add(key)
            elif len(kept) + len(points) - index - 1 >= LEAST_BULLETS:
                removed += 1
            else:
                kept.append(TO_COMPLETE)
                blanked += 1
        own = {repetition.words(p) for p in kept if p != TO_COMPLETE} - {()}
        bullets_seen |= own
        said |= own
        sentences = [s for s in SENTENCE.split(str(slide.get("notes", "")).strip()) if s]
        new = [s for s in sentences if repetition.words(s) not in said]
        said |= {repetition.words(s) for s in sentences} - {()}
        sentences_out += len(sentences) - len(new)
        if sentences and not new:
            notes_blanked += 1
        notes = mark(" ".join(new)) if new else TO_COMPLETE if sentences else ""
        marked = [p if p == TO_COMPLETE else mark(p) for p in kept]
        slides.append({**slide, "points": marked, "notes": notes})
    return {**data, "diapositives": slides}, _notes(
        removed, blanked, sentences_out, notes_blanked, mark.found
    )


def _notes(
    removed: int, blanked: int, sentences_out: int, notes_blanked: int, found: list[str]
) -> list[str]:
    said: list[str] = []
    if removed:
        said.append(f"{removed} puce(s) copiée(s) d'une diapositive ou d'un titre : retirée(s).")
    if blanked:
        said.append(
            f"{blanked} puce(s) copiée(s) d'une diapositive ou d'un titre, remplacée(s) "
            f"par {TO_COMPLETE} : le contenu donné ne suffit pas à remplir ces diapositives."
        )
    if sentences_out:
        said.append(
            f"{sentences_out} phrase(s) des notes de l'orateur copiée(s) d'une diapositive "
            "précédente ou des puces : retirée(s)"
            + (f", {notes_blanked} note(s) laissée(s) {TO_COMPLETE}." if notes_blanked else ".")
        )
    if found:
        said.append(f"Absent du contenu donné, marqué [à vérifier] : {facts.listed(found)}.")
    return said
