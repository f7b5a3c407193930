"""Parsers of single SCDL values, lenient with what spreadsheets and exports write: dates as
AAAA-MM-JJ, JJ/MM/AAAA or with a time, counts as "12.0", SIRETs with spaces or in scientific
notation, URLs without their scheme, act natures as ACTES codes or words."""

from __future__ import annotations

import re
from datetime import date, datetime

from civia.documents.acts.models import ActKind, Outcome
from civia.documents.analysis import fold

# The natures of the ACTES nomenclature (codes 1-6 and their two-letter forms), and words.
_NATURES = {
    "1": ActKind.DELIBERATION,
    "de": ActKind.DELIBERATION,
    "2": ActKind.ARRETE,  # actes réglementaires
    "ar": ActKind.ARRETE,
    "3": ActKind.ARRETE,  # actes individuels
    "ai": ActKind.ARRETE,
    "4": ActKind.OTHER,  # contrats, conventions
    "cc": ActKind.OTHER,
    "5": ActKind.OTHER,  # documents budgétaires
    "bf": ActKind.OTHER,
    "6": ActKind.OTHER,
    "au": ActKind.OTHER,
}
_KIND_WORDS = (
    ("delib", ActKind.DELIBERATION),
    ("arret", ActKind.ARRETE),
    ("decision", ActKind.DECISION),
)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y")
_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")
_INT_LIKE = re.compile(r"^\d+(?:[.,]0+)?$")


def vote_outcome(kind: str, pour: int | None, contre: int | None, abstention: int | None) -> str:
    if (pour is None and contre is None and abstention is None) or not (
        (pour or 0) + (contre or 0) + (abstention or 0)
    ):
        return Outcome.UNKNOWN.value if kind == ActKind.DELIBERATION else Outcome.NO_VOTE.value
    p, c, a = pour or 0, contre or 0, abstention or 0
    if c > p:
        return Outcome.REJECTED.value
    if c == p:
        return Outcome.TIED.value
    if c == 0:
        return Outcome.UNANIMOUS.value if a == 0 else Outcome.ABSTENTIONS.value
    return Outcome.OPPOSED.value


def parse_date(value: str) -> date | None:
    """AAAA-MM-JJ, JJ/MM/AAAA (and a few neighbours), with or without a time; None if empty.
    Raises ValueError for anything else, or a year outside 1800-2200."""
    value = value.strip()
    if not value:
        return None
    head = re.split(r"[T ]", value, maxsplit=1)[0]
    for pattern in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(head, pattern).date()
        except ValueError:
            continue
        if not 1800 <= parsed.year <= 2200:
            raise ValueError(value)
        return parsed
    raise ValueError(value)


def parse_count(value: str) -> int | None:
    """A vote count: empty → None; "12" or "12.0" (spreadsheets) → 12."""
    value = value.strip().replace("\u00a0", "").replace(" ", "")
    if not value:
        return None
    if not _INT_LIKE.match(value):
        raise ValueError(value)
    return int(re.split(r"[.,]", value)[0])


def parse_siret(value: str) -> str:
    """14 digits; spaces, dots and dashes are dropped. Raises ValueError with the reason."""
    cleaned = re.sub(r"[\s.\-\u00a0]", "", value)
    if _SCIENTIFIC.match(value.strip()):
        raise ValueError(
            f"le SIRET « {value.strip()} » est écrit en notation scientifique : le tableur qui a "
            "produit le fichier l'a pris pour un nombre et en a perdu des chiffres"
        )
    if not re.fullmatch(r"\d{14}", cleaned):
        raise ValueError(f"le SIRET « {value.strip()} » doit comporter 14 chiffres")
    return cleaned


def parse_url(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if value.lower().startswith("www."):
        value = "https://" + value
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        raise ValueError(value)
    return value[:1000]


def parse_kind(value: str, default: ActKind = ActKind.DELIBERATION) -> str:
    """An ACTES nature code ("1", "DE", "AR"…) or a word ("Arrêté") → our kind."""

    folded = fold(value.strip())
    if not folded:
        return default.value
    if folded in _NATURES:
        return _NATURES[folded].value
    if folded in {k.value for k in ActKind}:
        return folded
    for prefix, kind in _KIND_WORDS:
        if folded.startswith(prefix):
            return kind.value
    return ActKind.OTHER.value
