"""Loops of a small model: the same paragraph, sentence or list item given again, word for word
(case, accents and punctuation ignored, so a retyped copy counts). Only exact copies count:
two items that merely open the same way (« Quels sont les déchets acceptés ? » / « … refusés ? »)
or one that adds a detail to another (an article and the same article « côté pair ») are
different, and a short formula repeated on purpose (« Adopté à l'unanimité. ») is not a loop.
Every check is one pass over the text (a 60,000-character report costs milliseconds).
Used by the runner (one retry, then the copies removed) and by the post-checks of the assistants
whose lists the model fills (considérants, articles, FAQ questions)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any

MIN_WORDS = 6  # a list item: shorter ones (« Bonjour, », a date) may repeat legitimately
LOOP_WORDS = 12  # a paragraph or sentence of free text: shorter ones may be formulas
SENTENCE_TIMES = 3  # a long sentence said this often is a loop (twice may be a reminder)
PARAGRAPH = re.compile(r"\n\s*\n")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def plain(text: str) -> str:
    """Lower case, accents removed (« Février » → « fevrier »)."""
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


def words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", plain(text)))


def _key(text: str, least: int) -> tuple[str, ...] | None:
    found = words(text)
    return found if len(found) >= least else None


def repeats(a: str, b: str) -> bool:
    """`b` says again what `a` says, word for word, both of at least MIN_WORDS words."""
    key = _key(a, MIN_WORDS)
    return key is not None and key == words(b)


def _unique(items: list[str], least: int) -> list[str]:
    """The items without the word-for-word copies of an earlier one of at least `least` words."""
    seen: set[tuple[str, ...]] = set()
    kept: list[str] = []
    for item in items:
        key = _key(item, least)
        if key is None or key not in seen:
            kept.append(item)
        if key is not None:
            seen.add(key)
    return kept


def dedupe(items: list[str]) -> tuple[list[str], int]:
    """The items without the exact copies of an earlier one (of at least MIN_WORDS words), and
    how many were removed."""
    kept = _unique(items, MIN_WORDS)
    return kept, len(items) - len(kept)


def repeated_parts(text: str) -> list[str]:
    """What of `text` loops: a paragraph of at least LOOP_WORDS words given again, or such a
    sentence given SENTENCE_TIMES times or more (each copy after the first is listed)."""
    found: list[str] = []
    for splitter, times in ((PARAGRAPH, 2), (SENTENCE, SENTENCE_TIMES)):
        counts: Counter[tuple[str, ...]] = Counter()
        parts = [(p.strip(), _key(p, LOOP_WORDS)) for p in splitter.split(text)]
        for _, key in parts:
            if key is not None:
                counts[key] += 1
        seen: set[tuple[str, ...]] = set()
        for part, key in parts:
            if key is not None and counts[key] >= times:
                if key in seen:
                    found.append(part)
                seen.add(key)
    return found


def drop_repeated_paragraphs(text: str) -> tuple[str, int]:
    """`text` without the paragraphs (of at least LOOP_WORDS words) that copy an earlier one,
    and how many were removed."""
    parts = PARAGRAPH.split(text.strip())
    kept = _unique(parts, LOOP_WORDS)
    return "\n\n".join(kept) + ("\n" if text.endswith("\n") else ""), len(parts) - len(kept)


def _copies(items: list[str]) -> bool:
    return dedupe(items)[1] > 0


def looped(data: Any) -> bool:
    """A structured answer with a text that loops (`repeated_parts`), or a list whose items (or
    the same field of its objects: two FAQ answers) copy each other. Two different fields may
    say the same thing (an answer and its quoted source)."""
    if isinstance(data, str):
        return bool(repeated_parts(data))
    if isinstance(data, dict):
        return any(looped(v) for v in data.values())
    if not isinstance(data, list):
        return False
    if _copies([x for x in data if isinstance(x, str)]):
        return True
    objects = [x for x in data if isinstance(x, dict)]
    keys = {k for x in objects for k, v in x.items() if isinstance(v, str)}
    if any(_copies([str(x[k]) for x in objects if isinstance(x.get(k), str)]) for k in keys):
        return True
    return any(looped(x) for x in data)
