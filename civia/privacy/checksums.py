"""Checksum validators for French identifiers. Inputs may contain spaces, dots or dashes."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-]")
_NIR = re.compile(r"[1-478]\d{4}(?:\d{2}|2[AB])\d{6}\d{2}")
# La Poste's establishments share one SIREN and do not follow Luhn (INSEE rule).
_LA_POSTE_SIREN = "356000000"


def compact(value: str) -> str:
    """Remove the separators people type inside numbers, upper-cased."""
    return _SEPARATORS.sub("", value).upper()


def luhn_is_valid(digits: str) -> bool:
    """Luhn (mod 10) check over a string of digits."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def nir_key(first13: str) -> int:
    """The 2-digit key of a NIR: 97 - (number mod 97); Corsica's 2A/2B count as 19/18."""
    number = first13.upper().replace("2A", "19", 1).replace("2B", "18", 1)
    return 97 - int(number) % 97


def nir_is_valid(value: str) -> bool:
    """A 15-character French social security number (NIR) with a correct key."""
    nir = compact(value)
    if not _NIR.fullmatch(nir):
        return False
    # 2A/2B may only stand for the department (positions 6-7).
    if not nir[:5].isdigit() or not nir[7:].isdigit():
        return False
    return nir_key(nir[:13]) == int(nir[13:])


def siren_is_valid(value: str) -> bool:
    """A 9-digit SIREN (Luhn)."""
    siren = compact(value)
    return len(siren) == 9 and luhn_is_valid(siren)


def siret_is_valid(value: str) -> bool:
    """A 14-digit SIRET: Luhn, or La Poste's rule (sum of digits divisible by 5)."""
    siret = compact(value)
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(_LA_POSTE_SIREN) and sum(int(c) for c in siret) % 5 == 0:
        return True
    return luhn_is_valid(siret)


def iban_is_valid(value: str) -> bool:
    """ISO 13616 IBAN: country letters, two check digits, mod 97 == 1."""
    iban = compact(value)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


def card_is_valid(value: str) -> bool:
    """A payment card number: 13-19 digits, Luhn, and a known issuer prefix."""
    card = compact(value)
    if not card.isdigit() or not 13 <= len(card) <= 19:
        return False
    return bool(_CARD_PREFIX.match(card)) and luhn_is_valid(card)


# Visa, Mastercard (51-55, 2221-2720), Amex, Discover, JCB, Diners, CB co-branded.
_CARD_PREFIX = re.compile(
    r"4|5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[47]|6(?:011|5)|35|3(?:0[0-5]|[68])"
)
