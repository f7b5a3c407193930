"""Mentions of one given person in free text, for erasure requests (GDPR Art. 17).

A DPO describes a person who is not a user (« Mme Jeanne Dupont, 12 rue des Lilas »); Civia
must find them in texts written by others and redact them. Matching runs on a folded copy of
the text (accents removed, case folded, offsets mapped back), so « DUPONT », « Dupont » and
« dupont » match, as do « Hélène » and « Helene ».

Strong forms are redacted wherever they appear: first name(s) + surname in either order, the
initial + surname (« J. Dupont », « Dupont J. »), a civility + surname (« Mme Dupont »,
« Madame Dupont »), the street address (number in digits or in words, usual abbreviations of
the street type), the e-mail and the phone number (any separators, +33 / 0033 prefixes).
Weak forms — the surname or first name alone — are ambiguous: they are redacted only in a text
that holds a strong form too, and only where the PII engine also sees a person there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from civia.privacy.mention_forms import (
    MentionKind,
    Subject,
    address_forms,
    anchor_sources,
    contact_forms,
    fold,
    person_forms,
)

__all__ = ["MentionKind", "MentionMatcher", "Subject", "engine_persons", "fold", "mask"]


REPLACEMENTS = {
    MentionKind.PERSON: "[personne effacée]",
    MentionKind.ADDRESS: "[adresse effacée]",
    MentionKind.CONTACT: "[coordonnées effacées]",
}
_WORD_START, _WORD_END = r"(?<![\w])", r"(?![\w])"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: MentionKind


@dataclass
class _Form:
    label: str  # what the DPO is shown, e.g. « J. Dupont »
    pattern: re.Pattern[str]
    kind: MentionKind


@dataclass
class MentionMatcher:
    """Built once per request; `find` and `redact` take any text."""

    subject: Subject
    confirm: Callable[[str], list[tuple[int, int]]] | None = None  # person spans (PII engine)
    strong: list[_Form] = field(default_factory=list)
    weak: list[_Form] = field(default_factory=list)

    def __post_init__(self) -> None:
        for build in (person_forms, address_forms, contact_forms):
            build(self.subject, self._add, self._add_weak)

    @property
    def variants(self) -> list[str]:
        return [f.label for f in self.strong]

    @property
    def weak_variants(self) -> list[str]:
        return [f.label for f in self.weak]

    def anchors(self) -> list[str]:
        """ASCII fragments that every strong form contains (for a SQL LIKE pre-filter); empty
        when one form has none, which means: scan every row."""
        found = []
        for value in anchor_sources(self.subject):
            runs = re.findall(r"[A-Za-z]{3,}|\d{2,}", value)
            if not runs:
                return []
            found.append(max(runs, key=len))
        return sorted(set(found))

    def _add(self, label: str, body: str, kind: MentionKind = MentionKind.PERSON) -> None:
        self.strong.append(_Form(label, self._compile(body), kind))

    def _add_weak(self, label: str, body: str, kind: MentionKind = MentionKind.PERSON) -> None:
        self.weak.append(_Form(label, self._compile(body), kind))

    @staticmethod
    def _compile(body: str) -> re.Pattern[str]:
        return re.compile(rf"{_WORD_START}(?:{body}){_WORD_END}")

    # --- matching

    def find(self, text: str) -> list[Mention]:
        """Every mention in `text`, in order, without overlaps (the longest wins)."""
        if not text:
            return []
        folded, origin = fold(text)
        strong = self._spans(self.strong, folded, origin)
        if not strong:
            return []
        found = list(strong)
        weak = [
            m
            for m in self._spans(self.weak, folded, origin)
            if all(m.end <= s.start or m.start >= s.end for s in strong)
        ]
        if weak and self.confirm is not None:  # the engine runs only when it has to decide
            persons = self.confirm(text)
            found += [m for m in weak if any(m.start < e and s < m.end for s, e in persons)]
        return _no_overlaps(found)

    @staticmethod
    def _spans(forms: list[_Form], folded: str, origin: Sequence[int]) -> list[Mention]:
        spans = []
        for form in forms:
            for match in form.pattern.finditer(folded):
                if match.end() > match.start():
                    start, end = origin[match.start()], origin[match.end() - 1] + 1
                    spans.append(Mention(start, end, form.kind))
        return spans

    def redact(self, text: str) -> tuple[str, int]:
        """`text` with every mention replaced, and how many were."""
        mentions = self.find(text)
        pieces, position = [], 0
        for m in mentions:
            pieces += [text[position : m.start], REPLACEMENTS[m.kind]]
            position = m.end
        pieces.append(text[position:])
        return "".join(pieces), len(mentions)


def _no_overlaps(mentions: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def engine_persons(text: str) -> list[tuple[int, int]]:
    """Person spans found by the PII engine: what confirms a weak mention."""
    # Deferred: the detection engine loads spaCy and Presidio on first use.
    from civia.privacy import detect

    return [(e.start, e.end) for e in detect(text, types=["PERSON"])]


def mask(value: str) -> str:
    """« Jeanne Dupont » → « J… D… »: shown to the DPO instead of the matched value."""
    return " ".join(w[0] + "…" for w in value.split() if w[:1].isalnum()) or "…"
