"""Usage events: one row per model call, read by steering dashboards and quotas."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civia.db.base import Base, Timestamped


class UsageEvent(Base, Timestamped):
    """One model call. Steering dashboards and quotas read these."""

    __tablename__ = "usage_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[str] = mapped_column(String(40), index=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id", ondelete="SET NULL"))
    provider_name: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))  # web | api
    assistant_id: Mapped[str] = mapped_column(String(100), default="")
    conversation_id: Mapped[int | None] = mapped_column(Integer)
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    ttft_ms: Mapped[float | None] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(20))  # ok | stopped | error | timeout
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


DEFAULT_ZONE = "FRA"  # local and French sovereign hosting: the French electricity mix


class LedgerEntry(Base, Timestamped):
    """Cost and footprint of one call, with the inputs used, so a figure can be explained."""

    __tablename__ = "steering_ledger"
    id: Mapped[int] = mapped_column(primary_key=True)
    usage_event_id: Mapped[int] = mapped_column(
        ForeignKey("usage_events.id", ondelete="CASCADE"), unique=True
    )
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="chat")  # chat|embeddings|transcription
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)  # demo data, never mixed
    cost_eur: Mapped[float] = mapped_column(Float, default=0.0)
    energy_kwh_min: Mapped[float | None] = mapped_column(Float)
    energy_kwh_max: Mapped[float | None] = mapped_column(Float)
    gwp_kgco2eq_min: Mapped[float | None] = mapped_column(Float)
    gwp_kgco2eq_max: Mapped[float | None] = mapped_column(Float)
    # usage / embodied parts of each impact (min, max), plus water and primary energy.
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    event: Mapped[UsageEvent] = relationship()


class ProviderRate(Base, Timestamped):
    """What an admin declares about a provider: prices and what the footprint is computed from."""

    __tablename__ = "steering_provider_rates"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("providers.id", ondelete="CASCADE"), unique=True
    )
    eur_per_mtok_input: Mapped[float] = mapped_column(Float, default=0.0)
    eur_per_mtok_output: Mapped[float] = mapped_column(Float, default=0.0)
    active_params_b: Mapped[float | None] = mapped_column(Float)  # billions
    total_params_b: Mapped[float | None] = mapped_column(Float)
    zone: Mapped[str] = mapped_column(String(3), default=DEFAULT_ZONE)
    # Name ecologits knows the provider by ("mistralai"): then `llm_impacts` by model name.
    ecologits_provider: Mapped[str] = mapped_column(String(40), default="")


class SteeringSettings(Base):
    """Per-collectivité settings of the footprint and of the local model's cost."""

    __tablename__ = "steering_settings"
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    eur_per_kwh: Mapped[float] = mapped_column(Float, default=0.25)
    pue: Mapped[float] = mapped_column(Float, default=1.5)
    wue: Mapped[float] = mapped_column(Float, default=0.0)  # L/kWh; 0: no evaporative cooling
    server_power_w: Mapped[float] = mapped_column(Float, default=100.0)  # embeddings, speech
    targeted_agents: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # service → n
    launch_dates: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # service → ISO date


# The dashboard reads a collectivité's calls by date; the counts (active users, calls per
# service) are answered from this index alone, without reading the rows.
Index(
    "ix_usage_events_tenant_created",
    UsageEvent.tenant_id,
    UsageEvent.created_at,
    UsageEvent.source,
    UsageEvent.service_id,
    UsageEvent.user_id,
)


class Quota(Base, Timestamped):
    """Limits of a collectivité, or of one of its services or users (the narrowest applies
    together with the wider ones)."""

    __tablename__ = "quotas"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    requests_per_minute: Mapped[int | None] = mapped_column(Integer)
    tokens_per_day: Mapped[int | None] = mapped_column(Integer)
    tokens_per_minute: Mapped[int | None] = mapped_column(Integer)
    # Monthly budgets (UTC calendar month), from the pilotage ledger: € and kgCO2eq (upper bound).
    budget_eur_month: Mapped[float | None] = mapped_column(Float)
    budget_kgco2eq_month: Mapped[float | None] = mapped_column(Float)
