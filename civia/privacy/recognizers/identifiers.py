"""National and financial identifiers, each accepted only when its checksum holds."""

from __future__ import annotations

import re

from civia.privacy.checksums import (
    card_is_valid,
    iban_is_valid,
    nir_is_valid,
    siren_is_valid,
    siret_is_valid,
)
from civia.privacy.recognizers.base import RegexRecognizer, has_context

# What people type between digit groups: a space (also non-breaking), a dot, or a dash.
_SEP = r"(?:\s?[.\-/]\s?|[ \u00a0\u202f])?"
_START = r"(?<![\w@.\-])"
_END = r"(?![\w@]|[.\-]\w)"

_COMPANY_WORDS = (
    "siren", "siret", "rcs", "r.c.s", "immatricul", "entreprise", "société", "societe",
    "sas", "sarl", "eurl", "sci ", "association", "fournisseur", "prestataire", "titulaire",
    "raison sociale", "kbis",
)  # fmt: skip
_CARD_WORDS = ("carte", "cb", "visa", "mastercard", "amex", "paiement", "débit", "crédit")


class NirRecognizer(RegexRecognizer):
    """French social security number: 13 characters + a key (97 - n mod 97); 2A/2B for Corsica."""

    ENTITY = "NIR"
    # sex, year, month, then department + commune as 2+3 (2A/2B in Corsica) or 3+2 overseas,
    # order number, key.
    PATTERN = re.compile(
        _START
        + rf"[1-478]{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}"
        + rf"(?:(?:\d{{2}}|2[ABab]){_SEP}\d{{3}}|9[78]\d{_SEP}\d{{2}})"
        + rf"{_SEP}\d{{3}}{_SEP}\d{{2}}"
        + _END
    )

    def score(self, match: re.Match[str], text: str) -> float | None:
        return 1.0 if nir_is_valid(match.group()) else None


class SiretRecognizer(RegexRecognizer):
    """SIRET: 14 digits (SIREN + NIC), Luhn (La Poste's own rule accepted)."""

    ENTITY = "SIRET"
    _S = _SEP.replace("/", "")
    # 3-3-3-5, 3-3-3-3-2, 9-5 or 14 digits in a row.
    PATTERN = re.compile(
        _START
        + rf"(?:\d{{3}}{_S}\d{{3}}{_S}\d{{3}}{_S}(?:\d{{5}}|\d{{3}}{_S}\d{{2}})|\d{{9}}{_S}\d{{5}})"
        + _END
    )

    def score(self, match: re.Match[str], text: str) -> float | None:
        return 0.95 if siret_is_valid(match.group()) else None


class SirenRecognizer(RegexRecognizer):
    """SIREN: 9 digits, Luhn. One 9-digit number in ten passes Luhn, so a company keyword
    must stand nearby before it counts."""

    ENTITY = "SIREN"
    PATTERN = re.compile(
        r"(?<![\w@.\-])(?<!\d[ \u00a0.])\d{3}[ \u00a0.]?\d{3}[ \u00a0.]?\d{3}(?![ \u00a0.]?\d)"
        + _END
    )

    def score(self, match: re.Match[str], text: str) -> float | None:
        if not siren_is_valid(match.group()):
            return None
        return 0.9 if has_context(text, match.start(), _COMPANY_WORDS) else 0.3


class CardRecognizer(RegexRecognizer):
    """Payment cards: grouped 16 or Amex 4-6-5 digits, or 15-19 digits in a row; Luhn + issuer."""

    ENTITY = "CARD"
    PATTERN = re.compile(
        _START
        + r"(?:(?P<grouped>\d{4}(?:[ \u00a0\-]\d{4}){3}|\d{4}[ \u00a0\-]\d{6}[ \u00a0\-]\d{5})"
        r"|\d{15,19})" + _END
    )

    def score(self, match: re.Match[str], text: str) -> float | None:
        if not card_is_valid(match.group()):
            return None
        if match.group("grouped") or has_context(text, match.start(), _CARD_WORDS):
            return 0.95
        return 0.6


class IbanMod97Recognizer(RegexRecognizer):
    """IBAN in groups of four or in one block, any case, mod 97.

    Presidio's own recognizer misses lower-case IBANs ("fr76 3000 ..."). When the longest
    reading fails the check (a BIC or a word glued after it), shorter readings are tried.
    """

    ENTITY = "IBAN"
    PATTERN = re.compile(
        r"(?<![\w@])[A-Za-z]{2}\d{2}(?:[ \u00a0\-]?[A-Za-z0-9]{4}){2,7}"
        r"(?:[ \u00a0\-]?[A-Za-z0-9]{1,3})?(?![\w@])"
    )
    _GROUP_END = re.compile(r"(?=[ \u00a0\-][A-Za-z0-9])|$")

    def evaluate(self, match: re.Match[str], text: str) -> tuple[int, int, float] | None:
        value = match.group()
        ends = sorted({m.start() for m in self._GROUP_END.finditer(value)}, reverse=True)
        for end in ends:
            if iban_is_valid(value[:end]):
                return match.start(), match.start() + end, 1.0
        return None
