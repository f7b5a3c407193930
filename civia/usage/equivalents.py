"""Footprints said in words a person understands (French), with the references used."""

from __future__ import annotations

# ADEME Base Empreinte: an average petrol car, 0.193 kgCO2e per km (direct + upstream).
CAR_KGCO2E_PER_KM = 0.193
LED_W = 10.0  # a 10 W LED bulb
SMARTPHONE_CHARGE_KWH = 0.015  # one full charge of a smartphone, about 15 Wh


def number_fr(value: float, digits: int = 1) -> str:
    """1234.5 → « 1 234,5 » (French separators, no trailing zeros)."""
    text = f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def mass_fr(kg: float) -> str:
    if kg >= 1000:
        return f"{number_fr(kg / 1000)} t"
    if kg >= 1:
        return f"{number_fr(kg)} kg"
    if kg >= 0.001:
        return f"{number_fr(kg * 1000)} g"
    return f"{number_fr(kg * 1_000_000)} mg"


def energy_fr(kwh: float) -> str:
    if kwh >= 1:
        return f"{number_fr(kwh)} kWh"
    return f"{number_fr(kwh * 1000, 2)} Wh"


def duration_fr(seconds: float) -> str:
    if seconds < 60:
        return f"{number_fr(seconds)} s"
    if seconds < 3600:
        return f"{number_fr(seconds / 60)} min"
    return f"{number_fr(seconds / 3600)} h"


def car_fr(kgco2e: float) -> str:
    metres = kgco2e / CAR_KGCO2E_PER_KM * 1000
    if metres >= 1000:
        return f"{number_fr(metres / 1000)} km en voiture"
    if metres >= 1:
        return f"{number_fr(metres)} m en voiture"
    return f"{number_fr(metres * 100)} cm en voiture"


def led_fr(kwh: float) -> str:
    seconds = kwh * 1000 / LED_W * 3600
    return f"une ampoule LED de 10 W allumée {duration_fr(seconds)}"


def answer_fr(kwh: tuple[float, float], kgco2e: tuple[float, float]) -> str:
    """One answer's footprint, e.g. « ≈ 0,02 Wh et 2 mg CO₂e, comme une ampoule LED de 10 W
    allumée 6 s ». The middle of ecologits' range."""
    k = (kwh[0] + kwh[1]) / 2
    g = (kgco2e[0] + kgco2e[1]) / 2
    return (
        f"Empreinte estimée de cette réponse : ≈ {energy_fr(k)} et {mass_fr(g)} CO₂e, "
        f"comme {led_fr(k)}."
    )


def total_fr(kwh: float, kgco2e: float) -> str:
    """A period's footprint, with two equivalents."""
    charges = kwh / SMARTPHONE_CHARGE_KWH
    return (
        f"{energy_fr(kwh)} et {mass_fr(kgco2e)} CO₂e : autant que {car_fr(kgco2e)} "
        f"ou {number_fr(charges, 0)} recharge(s) de smartphone."
    )
