"""A reformulation checked against its source: a number, date or amount the source does not
give is marked « [à vérifier] » (as in the letters and arrêtés); the agent is told when the
length asked was not followed, when a FALC text keeps sentences of more than 15 words, and which
numbers and dates of the source the text no longer gives (to check that they may go, when it
was asked shorter).
The small model often returns the text barely changed: asked shorter, an answer that is not is
given back to the model once to shorten (`follow_up`), and the shorter of the two is kept
(`merge`); the agent sees the result before validating."""

from __future__ import annotations

import re
from typing import Any

from civia.assistants import facts, repetition

FALC_WORDS = 15  # words per sentence, the most FALC's guides allow
SHORTER = 0.9  # asked shorter, a text of more words than this share of its source's is not
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _words(text: str) -> int:
    return len(repetition.words(text))


def _not_shorter(text: str, source: str) -> bool:
    return _words(text) > SHORTER * _words(source)


def follow_up(text: str, values: dict[str, str], context: dict[str, Any]) -> dict[str, str]:
    """Asked shorter and not shorter: the same request on the model's own answer (already in
    the register asked), whose sentences the prompt then asks to halve; {} otherwise."""
    source = values.get("texte", "")
    if values.get("longueur") != "plus court" or not text.strip():
        return {}
    return {"texte": text.strip()} if _not_shorter(text, source) else {}


def merge(first: str, second: str, values: dict[str, str], context: dict[str, Any]) -> str:
    """The shorter of the two answers (the second may come back as long as the first)."""
    return second if second.strip() and _words(second) < _words(first) else first


def _length_note(text: str, source: str, asked: str) -> str:
    mine, theirs = _words(text), _words(source)
    said = f"{mine} mots contre {theirs} pour le texte d'origine"
    if asked == "plus court" and _not_shorter(text, source):
        return f"Le texte n'a pas été raccourci ({said}) : raccourcissez-le ou relancez."
    if asked == "plus développée" and mine < 1.1 * theirs:
        return f"Le texte n'a pas été développé ({said}) : complétez-le ou relancez."
    return ""


def _long_sentences(text: str) -> int:
    return sum(_words(s) > FALC_WORDS for s in SENTENCE.split(text))


def finish(text: str, values: dict[str, str], context: dict[str, Any]) -> tuple[str, list[str]]:
    source = values.get("texte", "")
    if not source.strip():  # a référent's assistant without the « texte » field: nothing to compare
        return text, []
    mark = facts.Marker(facts.given([source], context))
    marked = mark(text)
    notes = []
    if note := _length_note(text, source, values.get("longueur", "")):
        notes.append(note)
    if values.get("registre", "").endswith("FALC") and (long := _long_sentences(marked)):
        notes.append(
            f"{long} phrase(s) de plus de {FALC_WORDS} mots : le FALC demande des phrases "
            "courtes, coupez-les."
        )
    lost = facts.absent(source, facts.Source(text))
    if lost and values.get("longueur") == "plus court":
        notes.append(
            f"Absent du texte raccourci : {facts.listed(lost)} ; vérifiez qu'il peut être omis."
        )
    elif lost:
        notes.append(f"Absent de la reformulation, à reprendre : {facts.listed(lost)}.")
    if mark.found:
        notes.append(
            f"Absent du texte d'origine, marqué [à vérifier] : {facts.listed(mark.found)}."
        )
    return marked, notes
