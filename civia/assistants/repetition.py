"""Loops of a small model: the same paragraph, sentence or list item given twice. Found on the
words alone (case, accents and punctuation ignored), so that a retyped copy counts; two items
that merely open the same way (« Quels sont les déchets acceptés ? » / « … refusés ? ») do not.
Used by the runner (one retry, then the copies removed) and by the post-checks of the assistants
whose lists the model fills (considérants, articles, FAQ answers)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

MIN_WORDS = 6  # shorter items (« Bonjour, », a date) may repeat legitimately
PARAGRAPH = re.compile(r"\n\s*\n")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def words(text: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return tuple(re.findall(r"[a-z0-9]+", plain))


def _within(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def repeats(a: str, b: str) -> bool:
    """`b` says again what `a` says: the same words, or all of the words of one of them, in
    order, inside the other (a copy with a few words added), both of at least MIN_WORDS."""
    wa, wb = words(a), words(b)
    if len(wa) < MIN_WORDS or len(wb) < MIN_WORDS:
        return False
    short, long = sorted((wa, wb), key=len)
    return _within(short, long)


def dedupe(items: list[str]) -> tuple[list[str], int]:
    """The items without those that repeat an earlier one (of a copy that adds words, the
    longer is kept, at the earlier place), and how many were removed."""
    kept: list[str] = []
    for item in items:
        at = next((i for i, k in enumerate(kept) if repeats(k, item)), None)
        if at is None:
            kept.append(item)
        elif len(words(item)) > len(words(kept[at])):
            kept[at] = item
    return kept, len(items) - len(kept)


def repeated_parts(text: str) -> list[str]:
    """Paragraphs and sentences of `text` that repeat an earlier one."""
    found = []
    for splitter in (PARAGRAPH, SENTENCE):
        seen: list[str] = []
        for part in (p.strip() for p in splitter.split(text)):
            if any(repeats(s, part) for s in seen):
                found.append(part)
            elif part:
                seen.append(part)
    return found


def drop_repeated_paragraphs(text: str) -> tuple[str, int]:
    """`text` without the paragraphs that repeat an earlier one, and how many were removed."""
    parts = PARAGRAPH.split(text.strip())
    kept, removed = dedupe(parts)
    return "\n\n".join(kept) + ("\n" if text.endswith("\n") else ""), removed


def _pairs(items: list[str]) -> bool:
    return any(repeats(a, b) for i, a in enumerate(items) for b in items[i + 1 :])


def looped(data: Any) -> bool:
    """A structured answer with a text that repeats its own paragraph or sentence, or a list
    whose items (or the same field of its objects: two FAQ answers) repeat each other. Two
    different fields may say the same thing (an answer and its quoted source)."""
    if isinstance(data, str):
        return bool(repeated_parts(data))
    if isinstance(data, dict):
        return any(looped(v) for v in data.values())
    if not isinstance(data, list):
        return False
    if _pairs([x for x in data if isinstance(x, str)]):
        return True
    objects = [x for x in data if isinstance(x, dict)]
    keys = {k for x in objects for k, v in x.items() if isinstance(v, str)}
    if any(_pairs([str(x[k]) for x in objects if isinstance(x.get(k), str)]) for k in keys):
        return True
    return any(looped(x) for x in data)
