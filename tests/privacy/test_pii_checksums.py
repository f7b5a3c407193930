from __future__ import annotations

import pytest

from civia.privacy.checksums import (
    card_is_valid,
    iban_is_valid,
    luhn_is_valid,
    nir_is_valid,
    nir_key,
    siren_is_valid,
    siret_is_valid,
)


@pytest.mark.parametrize(
    "nir",
    [
        "2 85 03 75 111 222 03",
        "285037511122203",
        "2.85.03.75.111.222.03",
        "1 69 12 99 123 456 30",
        "1 78 08 2B 033 042 73",  # Corsica: 2B counts as 18
        "178082B03304273",
    ],
)
def test_valid_nir(nir: str) -> None:
    assert nir_is_valid(nir)


@pytest.mark.parametrize(
    "nir",
    [
        "2 85 03 75 111 222 04",  # wrong key
        "2 85 03 75 111 222",  # no key
        "5 85 03 75 111 222 03",  # no such first digit
        "1 78 08 2A 033 042 73",  # key computed for 2B
        "2 85 13 75 111 222 03",  # month 13 with this key
    ],
)
def test_invalid_nir(nir: str) -> None:
    assert not nir_is_valid(nir)


def test_nir_key_corsica() -> None:
    assert nir_key("178082B033042") == 73
    assert nir_key("1780818033042") == 73


def test_luhn() -> None:
    assert luhn_is_valid("79927398713")
    assert not luhn_is_valid("79927398710")
    assert not luhn_is_valid("12a4")


def test_siren_siret() -> None:
    assert siren_is_valid("317 066 900")
    assert not siren_is_valid("317 066 901")
    assert not siren_is_valid("31706690")
    assert siret_is_valid("743 915 001 00015")
    assert siret_is_valid("74391500100015")
    assert not siret_is_valid("743 915 001 00016")


def test_siret_la_poste_exception() -> None:
    # La Poste's establishments: sum of digits divisible by 5, Luhn or not.
    assert siret_is_valid("356 000 000 12346")
    assert not siret_is_valid("356 000 000 12347")


def test_card_and_iban() -> None:
    assert card_is_valid("4970 1051 2345 6787")
    assert not card_is_valid("4970 1051 2345 6781")
    assert not card_is_valid("9970 1051 2345 6786")  # no known issuer
    assert iban_is_valid("FR14 2004 1010 0505 0001 3M02 606")
    assert iban_is_valid("fr1420041010050500013m02606")
    assert not iban_is_valid("FR15 2004 1010 0505 0001 3M02 606")
