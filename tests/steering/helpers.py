"""Known rows for the dashboard's tests: calls (with their ledger row) and assistant runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants.models import AssistantRun
from civia.providers.models import Provider
from civia.usage import ledger
from civia.usage.models import UsageEvent

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def call(
    db: Session, user: User, *, days_ago: float, assistant: str = "chat", prompt: int = 100,
    completion: int = 50, outcome: str = "ok", synthetic: bool = False, now: datetime = NOW,
) -> UsageEvent:  # fmt: skip
    provider = db.scalar(select(Provider).where(Provider.tenant_id == user.tenant_id))
    assert provider is not None
    event = UsageEvent(
        request_id="t", tenant_id=user.tenant_id, user_id=user.id, service_id=user.service_id,
        provider_id=provider.id, provider_name=provider.name, model="m", source="web",
        assistant_id=assistant, prompt_tokens=prompt, completion_tokens=completion,
        latency_ms=2000.0, ttft_ms=200.0, outcome=outcome, extra={},
        created_at=now - timedelta(days=days_ago),
    )  # fmt: skip
    db.add(event)
    ledger.record(db, event, synthetic=synthetic)
    return event


def run(
    db: Session, user: User, *, days_ago: float, assistant: str = "courrier",
    validated: bool = True, minutes: int = 20, rating: str = "", now: datetime = NOW,
) -> AssistantRun:  # fmt: skip
    at = now - timedelta(days=days_ago)
    row = AssistantRun(
        tenant_id=user.tenant_id, user_id=user.id, service_id=user.service_id,
        assistant_id=assistant, inputs={}, status="validated" if validated else "draft",
        time_saved_minutes=minutes, rating=rating, created_at=at, updated_at=at,
    )  # fmt: skip
    db.add(row)
    return row
