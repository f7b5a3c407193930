"""What the ledger needs to price a call, read once and cached briefly: recording stays off the
database as much as possible (admins' edits clear the cache of this process)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from civia.providers.models import Provider
from civia.usage.models import DEFAULT_ZONE, ProviderRate, SteeringSettings

TTL_S = 30.0


@dataclass(frozen=True)
class Rate:
    provider_kind: str
    eur_per_mtok_input: float = 0.0
    eur_per_mtok_output: float = 0.0
    active_params_b: float | None = None
    total_params_b: float | None = None
    zone: str = DEFAULT_ZONE
    ecologits_provider: str = ""

    @property
    def is_local(self) -> bool:
        return self.provider_kind == "local_llama"


@dataclass(frozen=True)
class TenantRates:
    eur_per_kwh: float = 0.25
    pue: float = 1.5
    wue: float = 0.0
    server_power_w: float = 100.0


# Short-lived caches, one per database engine (one per app): two apps in one process, or two
# test databases whose rows share ids, never read each other's rates.
_rates: WeakKeyDictionary[Engine, dict[int, tuple[float, Rate]]] = WeakKeyDictionary()
_tenants: WeakKeyDictionary[Engine, dict[int, tuple[float, TenantRates]]] = WeakKeyDictionary()


def clear() -> None:
    _rates.clear()
    _tenants.clear()


def _cache(caches: WeakKeyDictionary[Engine, dict[int, Any]], db: Session) -> dict[int, Any]:
    bind = db.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return caches.setdefault(engine, {})


def provider_rate(db: Session, provider_id: int | None) -> Rate:
    if provider_id is None:
        return Rate(provider_kind="local_llama")  # embeddings and speech run here
    cache = _cache(_rates, db)
    hit = cache.get(provider_id)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    kind = db.scalar(select(Provider.kind).where(Provider.id == provider_id)) or ""
    row = db.scalar(select(ProviderRate).where(ProviderRate.provider_id == provider_id))
    rate = Rate(provider_kind=kind)
    if row is not None:
        rate = Rate(
            provider_kind=kind,
            eur_per_mtok_input=row.eur_per_mtok_input,
            eur_per_mtok_output=row.eur_per_mtok_output,
            active_params_b=row.active_params_b,
            total_params_b=row.total_params_b,
            zone=row.zone or DEFAULT_ZONE,
            ecologits_provider=row.ecologits_provider,
        )
    cache[provider_id] = (time.monotonic() + TTL_S, rate)
    return rate


def tenant_rates(db: Session, tenant_id: int) -> TenantRates:
    cache = _cache(_tenants, db)
    hit = cache.get(tenant_id)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    row = db.get(SteeringSettings, tenant_id)
    found = (
        TenantRates(row.eur_per_kwh, row.pue, row.wue, row.server_power_w)
        if row is not None
        else TenantRates()
    )
    cache[tenant_id] = (time.monotonic() + TTL_S, found)
    return found


def settings_row(db: Session, tenant_id: int) -> SteeringSettings:
    row = db.get(SteeringSettings, tenant_id)
    if row is None:
        defaults = TenantRates()
        row = SteeringSettings(
            tenant_id=tenant_id,
            eur_per_kwh=defaults.eur_per_kwh,
            pue=defaults.pue,
            wue=defaults.wue,
            server_power_w=defaults.server_power_w,
            targeted_agents={},
            launch_dates={},
        )
        db.add(row)
        db.flush()
    return row
