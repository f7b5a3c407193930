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
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from num2words import num2words


class MentionKind(StrEnum):
    PERSON = "person"
    ADDRESS = "address"
    CONTACT = "contact"


REPLACEMENTS = {
    MentionKind.PERSON: "[personne effacée]",
    MentionKind.ADDRESS: "[adresse effacée]",
    MentionKind.CONTACT: "[coordonnées effacées]",
}
_CIVILITIES = {
    "madame": r"madame|mme\.?|mlle\.?|mademoiselle|mrs\.?",
    "monsieur": r"monsieur|m\.|mr\.?|m(?=\s)",
}
_STREET_TYPES = {
    "rue": r"rue|r\.", "avenue": r"avenue|av\.?|ave\.?",
    "boulevard": r"boulevard|bd\.?|bld\.?|boul\.?", "place": r"place|pl\.?",
    "chemin": r"chemin|ch\.|chem\.?", "allee": r"allee|all\.?", "impasse": r"impasse|imp\.?",
    "route": r"route|rte\.?", "square": r"square|sq\.?", "faubourg": r"faubourg|fbg\.?|fg\.?",
    "residence": r"residence|res\.?", "lotissement": r"lotissement|lot\.?", "quai": r"quai",
    "cours": r"cours", "hameau": r"hameau|ham\.?", "passage": r"passage|pass\.?",
    "lieu-dit": r"lieu[\s-]?dit|l\.?-?d\.?",
}  # fmt: skip
_SEP = r"[\s\-]+"
_TIGHT = r"[\s\-']*"  # inside a surname: « Le Gall », « Le-Gall », « LEGALL », « N'Diaye »
_WORD_START, _WORD_END = r"(?<![\w])", r"(?![\w])"


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "’‘`´":
        return "'"
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> tuple[str, Sequence[int]]:
    """Lower case without accents, and for each folded character its index in `text`."""
    if text.isascii() and "`" not in text:
        return text.lower(), range(len(text))  # the common case, one character each
    pieces = list(map(_fold_char, text))
    folded = "".join(pieces)
    if len(folded) == len(text):
        return folded, range(len(text))  # "é" → "e": still one for one
    origin: list[int] = []
    for i, piece in enumerate(pieces):
        origin.extend([i] * len(piece))  # "ß" → "ss", "ﬁ" → "fi", a lone accent → ""
    return folded, origin


def _tokens(value: str) -> list[str]:
    return [t for t in re.split(r"[\s\-]+", fold(value)[0].strip()) if t]


def _words(tokens: list[str], sep: str) -> str:
    return sep.join(re.escape(t) for t in tokens)


@dataclass(frozen=True)
class Subject:
    """The person named in the request, as the DPO typed it."""

    last_name: str
    first_names: str = ""
    civility: str = ""  # "" (unknown) | "madame" | "monsieur"
    address: str = ""
    email: str = ""
    phone: str = ""

    def describe(self) -> str:
        return " ".join(p for p in (self.first_names, self.last_name) if p).strip()


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
        self._person_forms()
        self._address_forms()
        self._contact_forms()

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
        for value in self._anchor_sources():
            runs = re.findall(r"[A-Za-z]{3,}|\d{2,}", value)
            if not runs:
                return []
            found.append(max(runs, key=len))
        return sorted(set(found))

    def _anchor_sources(self) -> list[str]:
        s = self.subject
        sources = [s.last_name] if s.last_name.strip() else []
        if s.address.strip():
            street = re.sub(r"^\s*\d+\s*(bis|ter)?[\s,]*", "", s.address.split(",")[0], flags=re.I)
            sources.append(street)
        if s.email.strip():
            sources.append(s.email.split("@")[0])
        if s.phone.strip():
            sources.append(re.sub(r"\D", "", s.phone)[-2:])
        return sources

    # --- building the forms

    def _person_forms(self) -> None:
        s = self.subject
        last, firsts = _tokens(s.last_name), _tokens(s.first_names)
        if not last:
            return
        civility = _CIVILITIES.get(s.civility) or "|".join(_CIVILITIES.values())
        civ = rf"(?:(?:{civility})[\s\-]*)?"
        surname = _words(last, _TIGHT)
        shown_last = s.last_name.strip()
        if firsts:
            # Given names are separated by spaces; a hyphen makes one compound name.
            words = [_words(_tokens(w), _SEP) for w in s.first_names.split()]
            given = _SEP.join(words)
            # « J. Dupont », « J Dupont », « J.Dupont », « J.-P. Martin »
            initials = r"\.?[\s\-]*".join(
                re.escape(t[0]) for t in _tokens(s.first_names.split()[0])
            )
            after_initials = r"(?:\.[\s\-]*|[\s\-]+)"
            shown_first = s.first_names.strip()
            self._add(f"{shown_first} {shown_last}", rf"{civ}{given}{_SEP}{surname}")
            if len(words) > 1:
                self._add(
                    f"{shown_first.split()[0]} {shown_last}", rf"{civ}{words[0]}{_SEP}{surname}"
                )
            self._add(f"{shown_last} {shown_first}", rf"{civ}{surname}{_SEP}{given}")
            self._add(
                f"{shown_first[0]}. {shown_last}", rf"{civ}{initials}{after_initials}{surname}"
            )
            self._add(f"{shown_last} {shown_first[0]}.", rf"{civ}{surname}{_SEP}{initials}\.?")
            self.weak.append(_Form(shown_first, self._compile(given), MentionKind.PERSON))
        titles = {"madame": "Madame", "monsieur": "Monsieur"}.get(s.civility, "Madame / Monsieur")
        self._add(f"{titles} {shown_last}", rf"(?:{civility})[\s\-]*{surname}")
        self.weak.append(_Form(shown_last, self._compile(surname), MentionKind.PERSON))

    def _address_forms(self) -> None:
        raw = self.subject.address.strip()
        if not raw:
            return
        street = fold(raw.split(",")[0])[0].strip()
        match = re.match(r"(\d{1,4})\s*(bis|ter|[a-d](?![a-z]))?[\s,]*(.+)$", street)
        if not match:
            tokens = _tokens(street)
            if len(tokens) >= 2:
                self._add(raw, _words(tokens, r"[\s,\-]+"), MentionKind.ADDRESS)
            return
        number, suffix, rest = match.groups()
        tokens = rest.split()
        kind = tokens[0].rstrip(".")
        kind_re = next(
            (
                alt
                for key, alt in _STREET_TYPES.items()
                if re.fullmatch(alt, tokens[0]) or kind == key
            ),
            re.escape(tokens[0]),
        )
        name = _words([t for tok in tokens[1:] for t in re.split(r"[\s\-]+", tok) if t], _SEP)
        words = num2words(int(number), lang="fr")
        spoken = _words(re.split(r"[\s\-]+", fold(words)[0]), r"[\s\-]+")
        num = rf"(?:{int(number)}|{spoken})"
        if suffix:
            num += rf"[\s\-]?{re.escape(suffix)}"
        body = rf"{num}[\s,]*(?:{kind_re})" + (rf"{_SEP}{name}" if name else "")
        self._add(raw.split(",")[0].strip(), body, MentionKind.ADDRESS)

    def _contact_forms(self) -> None:
        s = self.subject
        if s.email.strip():
            self._add(s.email.strip(), re.escape(fold(s.email.strip())[0]), MentionKind.CONTACT)
        digits = re.sub(r"\D", "", s.phone)
        if digits.startswith("0033"):
            digits = "0" + digits[4:]
        elif digits.startswith("33") and len(digits) == 11:
            digits = "0" + digits[2:]
        if len(digits) == 10 and digits.startswith("0"):
            rest = r"[\s.\-]?".join(digits[1:])
            prefix = r"(?:\+33[\s.\-]?(?:\(0\)[\s.\-]?)?|0033[\s.\-]?|0)"
            self._add(s.phone.strip(), rf"{prefix}{rest}", MentionKind.CONTACT)
        elif len(digits) >= 6:
            self._add(s.phone.strip(), r"[\s.\-]?".join(digits), MentionKind.CONTACT)

    def _add(self, label: str, body: str, kind: MentionKind = MentionKind.PERSON) -> None:
        self.strong.append(_Form(label, self._compile(body), kind))

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
    from civia.privacy import detect

    return [(e.start, e.end) for e in detect(text, types=["PERSON"])]


def mask(value: str) -> str:
    """« Jeanne Dupont » → « J… D… »: shown to the DPO instead of the matched value."""
    return " ".join(w[0] + "…" for w in value.split() if w[:1].isalnum()) or "…"
