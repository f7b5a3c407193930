"""The written forms of one person's name, address and contacts, as regular expressions over
folded text (see `fold`): what `civia.privacy.mentions.MentionMatcher` looks for."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from num2words import num2words


class MentionKind(StrEnum):
    PERSON = "person"
    ADDRESS = "address"
    CONTACT = "contact"


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


Add = Callable[..., None]  # add(label, regex body, kind)


def person_forms(s: Subject, add: Add, weak: Add) -> None:
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
        initials = r"\.?[\s\-]*".join(re.escape(t[0]) for t in _tokens(s.first_names.split()[0]))
        after_initials = r"(?:\.[\s\-]*|[\s\-]+)"
        shown_first = s.first_names.strip()
        add(f"{shown_first} {shown_last}", rf"{civ}{given}{_SEP}{surname}")
        if len(words) > 1:
            add(f"{shown_first.split()[0]} {shown_last}", rf"{civ}{words[0]}{_SEP}{surname}")
        add(f"{shown_last} {shown_first}", rf"{civ}{surname}{_SEP}{given}")
        add(f"{shown_first[0]}. {shown_last}", rf"{civ}{initials}{after_initials}{surname}")
        add(f"{shown_last} {shown_first[0]}.", rf"{civ}{surname}{_SEP}{initials}\.?")
        weak(shown_first, given, MentionKind.PERSON)
    titles = {"madame": "Madame", "monsieur": "Monsieur"}.get(s.civility, "Madame / Monsieur")
    add(f"{titles} {shown_last}", rf"(?:{civility})[\s\-]*{surname}")
    weak(shown_last, surname, MentionKind.PERSON)


def address_forms(s: Subject, add: Add, weak: Add) -> None:
    raw = s.address.strip()
    if not raw:
        return
    street = fold(raw.split(",")[0])[0].strip()
    match = re.match(r"(\d{1,4})\s*(bis|ter|[a-d](?![a-z]))?[\s,]*(.+)$", street)
    if not match:
        tokens = _tokens(street)
        if len(tokens) >= 2:
            add(raw, _words(tokens, r"[\s,\-]+"), MentionKind.ADDRESS)
        return
    number, suffix, rest = match.groups()
    tokens = rest.split()
    kind = tokens[0].rstrip(".")
    kind_re = next(
        (alt for key, alt in _STREET_TYPES.items() if re.fullmatch(alt, tokens[0]) or kind == key),
        re.escape(tokens[0]),
    )
    name = _words([t for tok in tokens[1:] for t in re.split(r"[\s\-]+", tok) if t], _SEP)
    words = num2words(int(number), lang="fr")
    spoken = _words(re.split(r"[\s\-]+", fold(words)[0]), r"[\s\-]+")
    num = rf"(?:{int(number)}|{spoken})"
    if suffix:
        num += rf"[\s\-]?{re.escape(suffix)}"
    body = rf"{num}[\s,]*(?:{kind_re})" + (rf"{_SEP}{name}" if name else "")
    add(raw.split(",")[0].strip(), body, MentionKind.ADDRESS)


def contact_forms(s: Subject, add: Add, weak: Add) -> None:
    if s.email.strip():
        add(s.email.strip(), re.escape(fold(s.email.strip())[0]), MentionKind.CONTACT)
    digits = re.sub(r"\D", "", s.phone)
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits.startswith("0"):
        rest = r"[\s.\-]?".join(digits[1:])
        prefix = r"(?:\+33[\s.\-]?(?:\(0\)[\s.\-]?)?|0033[\s.\-]?|0)"
        add(s.phone.strip(), rf"{prefix}{rest}", MentionKind.CONTACT)
    elif len(digits) >= 6:
        add(s.phone.strip(), r"[\s.\-]?".join(digits), MentionKind.CONTACT)


def anchor_sources(s: Subject) -> list[str]:
    sources = [s.last_name] if s.last_name.strip() else []
    if s.address.strip():
        street = re.sub(r"^\s*\d+\s*(bis|ter)?[\s,]*", "", s.address.split(",")[0], flags=re.I)
        sources.append(street)
    if s.email.strip():
        sources.append(s.email.split("@")[0])
    if s.phone.strip():
        sources.append(re.sub(r"\D", "", s.phone)[-2:])
    return sources
