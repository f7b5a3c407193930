"""Energy and carbon of one call with ecologits: by model name when ecologits knows it, else from
the declared parameter counts; embeddings and speech from measured time × declared power."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ecologits.electricity_mix_repository import ElectricityMix, electricity_mixes
from ecologits.impacts.llm import compute_llm_impacts
from ecologits.tracers.utils import llm_impacts

LOCAL_PARAMS_B = 1.5  # the bundled Qwen2.5 1.5B


@dataclass
class Footprint:
    kwh: tuple[float, float]
    kgco2eq: tuple[float, float]
    detail: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def kwh_mid(self) -> float:
        return (self.kwh[0] + self.kwh[1]) / 2


@lru_cache(maxsize=64)
def mix(zone: str) -> ElectricityMix | None:
    return electricity_mixes.find_electricity_mix(zone=zone)


def _range(value: Any) -> tuple[float, float]:
    """ecologits gives a number, or a range with min/max."""
    if hasattr(value, "min") and hasattr(value, "max"):
        return float(value.min), float(value.max)
    return float(value), float(value)


def _parts(impacts: Any) -> dict[str, Any]:
    usage, embodied = impacts.usage, impacts.embodied
    return {
        "usage": {
            "kwh": _range(usage.energy.value),
            "kgco2eq": _range(usage.gwp.value),
            "water_l": _range(usage.wcf.value),
            "pe_mj": _range(usage.pe.value),
        },
        "embodied": {
            "kgco2eq": _range(embodied.gwp.value),
            "pe_mj": _range(embodied.pe.value),
        },
    }


def _of(impacts: Any, inputs: dict[str, Any]) -> Footprint:
    return Footprint(
        _range(impacts.energy.value), _range(impacts.gwp.value), _parts(impacts), inputs
    )


def by_parameters(
    *,
    active_b: float,
    total_b: float,
    output_tokens: int,
    latency_s: float,
    zone: str,
    pue: float,
    wue: float,
) -> Footprint | None:
    found = mix(zone)
    if found is None:
        return None
    inputs = {
        "method": "ecologits.compute_llm_impacts",
        "active_params_b": active_b,
        "total_params_b": total_b,
        "output_tokens": output_tokens,
        "latency_s": round(latency_s, 3),
        "zone": zone,
        "mix_kgco2eq_per_kwh": found.gwp,
        "pue": pue,
        "wue": wue,
    }
    impacts = compute_llm_impacts(
        model_active_parameter_count=active_b,
        model_total_parameter_count=total_b,
        output_token_count=output_tokens,
        if_electricity_mix_adpe=found.adpe,
        if_electricity_mix_pe=found.pe,
        if_electricity_mix_gwp=found.gwp,
        if_electricity_mix_wue=found.wue,
        datacenter_pue=pue,
        datacenter_wue=wue,
        request_latency=latency_s,
    )
    return _of(impacts, inputs)


def by_name(
    *, provider: str, model: str, output_tokens: int, latency_s: float, zone: str
) -> Footprint | None:
    """ecologits' own data for a known API model (its provider's PUE/WUE). None when unknown."""
    impacts = llm_impacts(provider, model, output_tokens, latency_s, electricity_mix_zone=zone)
    if impacts.errors or impacts.energy is None:
        return None
    inputs = {
        "method": "ecologits.llm_impacts",
        "ecologits_provider": provider,
        "model": model,
        "output_tokens": output_tokens,
        "latency_s": round(latency_s, 3),
        "zone": zone,
    }
    return _of(impacts, inputs)


def by_duration(*, seconds: float, power_w: float, zone: str, pue: float) -> Footprint | None:
    """Embeddings and speech run on this server's CPU: measured time × declared power × PUE.
    Usage only: the server's manufacture is not apportioned here (stated in the inputs)."""
    found = mix(zone)
    if found is None:
        return None
    kwh = seconds * power_w / 3_600_000 * pue
    kg = kwh * found.gwp
    inputs = {
        "method": "duration x power",
        "seconds": round(seconds, 3),
        "power_w": power_w,
        "pue": pue,
        "zone": zone,
        "mix_kgco2eq_per_kwh": found.gwp,
        "embodied": "not counted",
    }
    detail = {"usage": {"kwh": (kwh, kwh), "kgco2eq": (kg, kg)}, "embodied": {}}
    return Footprint((kwh, kwh), (kg, kg), detail, inputs)
