"""Record one model call's cost and footprint beside its `UsageEvent` (same transaction)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from civia.telemetry import metrics
from civia.usage import footprint
from civia.usage.equivalents import answer_fr
from civia.usage.models import LedgerEntry, UsageEvent
from civia.usage.rates import Rate, TenantRates, provider_rate, tenant_rates

log = logging.getLogger("civia.steering")


@dataclass(frozen=True)
class Figures:
    """What the caller may show: € and the footprint's ranges (None when not computable)."""

    cost_eur: float
    kwh: tuple[float, float] | None
    kgco2eq: tuple[float, float] | None

    def footprint_fr(self) -> str:
        """The answer's footprint for the chat (empty when unknown)."""
        if not (self.kwh and self.kgco2eq):
            return ""
        return answer_fr(self.kwh, self.kgco2eq)

    def carbon(self) -> dict[str, dict[str, float]] | None:
        """OpenGateLLM's shape: {"kWh": {"min", "max"}, "kgCO2eq": {"min", "max"}}."""
        if self.kwh is None or self.kgco2eq is None:
            return None
        return {
            "kWh": {"min": self.kwh[0], "max": self.kwh[1]},
            "kgCO2eq": {"min": self.kgco2eq[0], "max": self.kgco2eq[1]},
        }


def _llm_footprint(
    event: UsageEvent, rate: Rate, tenant: TenantRates
) -> footprint.Footprint | None:
    latency_s = (event.latency_ms or 0.0) / 1000
    tokens = event.completion_tokens or 0
    if rate.ecologits_provider:
        found = footprint.by_name(
            provider=rate.ecologits_provider,
            model=event.model,
            output_tokens=tokens,
            latency_s=latency_s,
            zone=rate.zone,
        )
        if found is not None:
            return found
    active = rate.active_params_b or (footprint.LOCAL_PARAMS_B if rate.is_local else None)
    if active is None:
        return None
    return footprint.by_parameters(
        active_b=active,
        total_b=rate.total_params_b or active,
        output_tokens=tokens,
        latency_s=latency_s,
        zone=rate.zone,
        pue=tenant.pue,
        wue=tenant.wue,
    )


def compute(
    db: Session, event: UsageEvent, kind: str = "chat"
) -> tuple[float, footprint.Footprint | None, dict[str, Any]]:
    rate = provider_rate(db, event.provider_id)
    tenant = tenant_rates(db, event.tenant_id)
    if kind == "chat":
        found = _llm_footprint(event, rate, tenant)
    else:
        found = footprint.by_duration(
            seconds=(event.latency_ms or 0.0) / 1000,
            power_w=tenant.server_power_w,
            zone=rate.zone,
            pue=tenant.pue,
        )
    pricing: dict[str, Any]
    if rate.eur_per_mtok_input or rate.eur_per_mtok_output:
        cost = (
            (event.prompt_tokens or 0) * rate.eur_per_mtok_input
            + (event.completion_tokens or 0) * rate.eur_per_mtok_output
        ) / 1_000_000
        pricing = {
            "method": "tokens x price",
            "eur_per_mtok_input": rate.eur_per_mtok_input,
            "eur_per_mtok_output": rate.eur_per_mtok_output,
        }
    elif (rate.is_local or kind != "chat") and found is not None:
        cost = found.kwh_mid * tenant.eur_per_kwh
        pricing = {"method": "energy x price", "eur_per_kwh": tenant.eur_per_kwh}
    else:
        cost, pricing = 0.0, {"method": "no price declared"}
    return cost, found, pricing


def record(
    db: Session, event: UsageEvent, *, kind: str = "chat", synthetic: bool = False
) -> Figures:
    """Add the ledger row for `event` (flushed with it). Never raises on missing declarations:
    an unknown footprint is stored as such, with the reason in its inputs."""
    if synthetic:
        event.source = "demo"  # the dashboard tells demo events apart by source, without a join
    else:
        _observe(event)
    try:
        cost, found, pricing = compute(db, event, kind)
    except Exception:  # a pricing or ecologits failure must never lose the call's record
        log.exception("ledger: cost and footprint not computed for request %s", event.request_id)
        cost, found, pricing = 0.0, None, {"method": "error: see the server log"}
    inputs: dict[str, Any] = {"pricing": pricing}
    if found is None:
        inputs["footprint"] = {"method": "unknown: no parameter count or known model declared"}
    else:
        inputs["footprint"] = found.inputs
    db.add(
        LedgerEntry(
            event=event,
            tenant_id=event.tenant_id,
            kind=kind,
            synthetic=synthetic,
            cost_eur=cost,
            energy_kwh_min=found.kwh[0] if found else None,
            energy_kwh_max=found.kwh[1] if found else None,
            gwp_kgco2eq_min=found.kgco2eq[0] if found else None,
            gwp_kgco2eq_max=found.kgco2eq[1] if found else None,
            detail=found.detail if found else {},
            inputs=inputs,
        )
    )
    return Figures(cost, found.kwh if found else None, found.kgco2eq if found else None)


def _observe(event: UsageEvent) -> None:
    """The call in this process's Prometheus counters (summed over processes by /metrics)."""
    source = event.source or "inconnu"
    metrics.model_calls.labels(source, event.outcome).inc()
    metrics.model_tokens.labels("prompt").inc(event.prompt_tokens or 0)
    metrics.model_tokens.labels("completion").inc(event.completion_tokens or 0)
    if event.latency_ms is not None:
        metrics.model_latency.labels(source).observe(event.latency_ms / 1000)
    if event.ttft_ms is not None:
        metrics.time_to_first_token.labels(source).observe(event.ttft_ms / 1000)
    if event.outcome in ("error", "timeout"):
        metrics.errors.labels("model").inc()


def record_call(
    db: Session,
    *,
    tenant_id: int,
    user_id: int | None,
    service_id: int | None,
    kind: str,
    provider_name: str,
    model: str,
    seconds: float,
    tokens: int = 0,
    outcome: str = "ok",
    extra: dict[str, Any] | None = None,
    source: str | None = None,
    request_id: str | None = None,
) -> Figures:
    """A call that does not go through the chat gateway (embedding batches, transcription): its
    `UsageEvent` and ledger row, footprint from the measured time. `source` defaults to `kind`
    (a background job); the API passes "api"."""
    event = UsageEvent(
        request_id=request_id or uuid.uuid4().hex[:16],
        tenant_id=tenant_id,
        user_id=user_id,
        service_id=service_id,
        provider_id=None,
        provider_name=provider_name[:100],
        model=model[:200],
        source=source or kind,
        assistant_id="",
        prompt_tokens=tokens,
        completion_tokens=0,
        latency_ms=seconds * 1000,
        ttft_ms=None,
        outcome=outcome,
        extra=extra or {},
    )
    db.add(event)
    return record(db, event, kind=kind)
