"""What a draft says against what the agent gave (letters, arrêtés): numbers, dates and amounts
the request does not contain are marked in the draft (never silently kept), and facts of the
request the draft does not carry are listed for the agent."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

MARK = " [à vérifier]"
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
WRITTEN = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "mille": 1000,
}  # fmt: skip
UNITS = (
    r"(?:jours?|semaines?|mois|ans|années?|heures?|minutes?|euros?|places?|mètres?|"
    r"familles?|personnes?|enfants?|agents?|classes?|lots?|exemplaires?)"
)
# thousands groups of exactly 3 digits: « 25 00042 » is 25 and 42, never 25 000 and 42
NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3}(?!\d))+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
# a number as the draft's items see it; a time written « 10h » or « 14h30 » counts too
BOUNDED = rf"(?<![\w/-])(?:{NUMBER})(?=h\d{{0,2}}\b|(?!\w))"
HOUR_TAIL = re.compile(r"(?:h\d{0,2}\b)?")
# a time of the source: « 14h », « 14 h 30 », « 14h30 », « 14:30 » (hour, minutes or "")
TIME = re.compile(r"(?<![\w/-])(\d{1,2})(?:\s?h\s?(\d{2})?|:(\d{2}))(?!\d)")
# digits, maybe in groups separated by single spaces: a reference (« DP 099 001 25 00042 », a
# SIRET, a phone number) or an amount, compared whole since its groups may split either way
RUN = re.compile(r"\d+(?:[ \u00a0\u202f]\d+)*")
ITEM = re.compile(
    rf"(?P<date>\b(?:\d{{1,2}}|1er)\s+(?:{MONTHS})\b)"
    rf"|(?P<number>{BOUNDED})"
    rf"|(?P<month>\b(?:{MONTHS})\b)"
    rf"|(?P<written>\b(?:{'|'.join(WRITTEN)})\s+{UNITS}\b)",
    re.I,
)


def _num(text: str) -> str:
    text = re.sub(r"[ \u00a0\u202f]", "", text).replace(",", ".")
    return text.rstrip("0").rstrip(".") if "." in text else text.lstrip("0") or "0"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _inside(match: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    return any(start <= match.start() and match.end() <= end for start, end in spans)


def _time(hour: str, minutes: str | None) -> tuple[str, str]:
    return _num(hour), "" if not minutes or minutes == "00" else minutes


def _day(text: str) -> str:
    return "1" if text.lower() == "1er" else _num(text)


class Source:
    """The numbers, day-month dates and months of what the agent typed (and the profile)."""

    def __init__(self, text: str) -> None:
        low = text.lower()
        self.dates = {
            (_day(m.group(1)), m.group(2).lower())
            for m in re.finditer(rf"\b(\d{{1,2}}|1er)\s+({MONTHS})\b", low)
        }
        self.numbers = {_num(n) for n in re.findall(NUMBER, low)}
        self.numbers |= {_num(n) for n in re.findall(BOUNDED, low)}
        self.runs = {_digits(r) for r in RUN.findall(low)}
        self.numbers |= {d for d, _ in self.dates}
        self.numbers |= {str(v) for w, v in WRITTEN.items() if re.search(rf"\b{w}\b", low)}
        self.months = set(re.findall(rf"\b(?:{MONTHS})\b", low))
        self.times = {_time(m.group(1), m.group(2) or m.group(3)) for m in TIME.finditer(low)}

    def supports_time(self, hour: str, minutes: str) -> bool:
        """« 14h30 » only if the source gives that time: its hour alone (« 14 », « 14h ») or
        another number (« 10 mai » for « 10h ») is not enough."""
        return _time(hour, minutes) in self.times

    def runs_in(self, text: str) -> list[tuple[int, int]]:
        """Spans of `text`'s spaced digit runs that the source has, whole (the items inside
        them are the source's, however the groups split)."""
        return [
            m.span()
            for m in RUN.finditer(text)
            if not m.group().isdigit() and _digits(m.group()) in self.runs  # groups, not one
        ]

    def supports(self, match: re.Match[str]) -> bool:
        text = match.group().lower()
        if match.group("date"):
            day, month = text.split()[0], text.split()[-1]
            return (_day(day), month) in self.dates
        if match.group("number"):
            return _num(text) in self.numbers
        if match.group("month"):
            return text in self.months
        return str(WRITTEN[text.split()[0]]) in self.numbers


def mark_unsupported(paragraph: str, source: Source) -> tuple[str, list[str]]:
    """The paragraph with « [à vérifier] » after each item the request does not contain."""
    found: list[str] = []
    out, last = [], 0
    runs = source.runs_in(paragraph)
    for m in ITEM.finditer(paragraph):
        tail = HOUR_TAIL.match(paragraph, m.end())  # « 10h » is kept whole
        end = tail.end() if tail else m.end()
        time = paragraph[m.end() : end]  # « h30 » of « 14h30 »: compared as a whole time
        ok = source.supports_time(m.group(), time[1:]) if time else source.supports(m)
        if ok or _inside(m, runs) or paragraph.startswith(MARK, end):
            continue
        found.append(paragraph[m.start() : end])
        out += [paragraph[last:end], MARK]
        last = end
    return "".join(out) + paragraph[last:], found


def given(texts: Iterable[str], context: Mapping[str, Any]) -> Source:
    """What the agent gave: the request's texts and the collectivité's profile (the context's
    strings), the only place a number, date or amount of the draft may come from."""
    return Source("\n".join([*texts, *(v for v in context.values() if isinstance(v, str))]))


def listed(items: Iterable[str]) -> str:
    """« a », « b »: each item once, in order (the agent's note of what was marked)."""
    return ", ".join(f"« {u} »" for u in dict.fromkeys(items))


class Marker:
    """`mark_unsupported` over several texts of one answer: each call returns the text marked,
    and `found` keeps every item marked, in order (for the agent's note)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.found: list[str] = []

    def __call__(self, text: object) -> str:
        marked, found = mark_unsupported(str(text), self.source)
        self.found.extend(found)
        return marked


STOP = {
    "votre", "notre", "cette", "celui", "celle", "leurs", "avant", "après", "depuis", "pendant",
    "entre", "comme", "aussi", "ainsi", "alors", "encore", "toute", "toutes", "autre", "autres",
    "faire", "sera", "seront", "peut", "pourra", "doivent", "doit", "dans", "pour", "avec",
    "sans", "sous", "sont", "était", "demander", "rappeler", "indiquer", "préciser",
}  # fmt: skip


def _stems(text: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return {w[:6] for w in re.findall(r"[a-z]{5,}", plain) if w not in STOP}


def facts_of(faits: str) -> list[str]:
    """The agent's facts: one per line, sentence or « ; » item."""
    parts = re.split(r"\n+|(?<=[.!?;])\s+(?=\S)", faits)
    return [p.strip(" -•\t") for p in parts if len(re.findall(r"\w+", p)) >= 2]


def absent(text: str, said: Source) -> list[str]:
    """The numbers, dates and amounts of `text` (not a month alone) that `said` does not give."""
    runs = said.runs_in(text)
    return [
        m.group()
        for m in ITEM.finditer(text)
        if not m.group("month") and not (said.supports(m) or _inside(m, runs))
    ]


def missing_facts(faits: str, letter: str) -> list[str]:
    """Facts whose numbers or dates are absent from the letter, or of which fewer than
    two thirds of the meaningful words appear in it."""
    said = Source(letter)
    said_stems = _stems(letter)
    missing = []
    for fact in facts_of(faits):
        stems = _stems(fact)
        covered = len(stems & said_stems) / len(stems) if stems else 1.0
        if absent(fact, said) or covered < 2 / 3:
            missing.append(fact)
    return missing
