"""Clearly synthetic activity for the demo: 90 days of calls and assistant runs by fictitious
agents ("Agent fictif … (démo)", logins `demo-fictif-…`, no usable password), each ledger row
marked `synthetic`. The dashboard never mixes them with real events; `civia steering
demo-remove` deletes them all."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from civia.accounts.models import Service, User
from civia.assistants.catalogue import builtins
from civia.assistants.models import AssistantRun
from civia.providers.models import Provider
from civia.steering import survey_demo
from civia.steering.filters import SYNTHETIC_LOGIN_PREFIX
from civia.usage import ledger
from civia.usage.models import LedgerEntry, UsageEvent

AGENTS_PER_SERVICE = (6, 14, 10)  # the demo's three services
ASSISTANTS = ("chat", "courrier", "reformulation", "correction", "reponse-usager", "compte-rendu")
DAYS = 90
NO_LOGIN = "!synthetic"  # not an argon2 hash: no password ever matches it


def load(db: Session, tenant_id: int, *, seed: int = 2026, now: datetime | None = None) -> int:
    """Add the synthetic activity once (a second call changes nothing); returns events added."""
    if db.scalar(select(User.id).where(User.login.startswith(SYNTHETIC_LOGIN_PREFIX))):
        return 0
    provider = db.scalar(select(Provider).where(Provider.tenant_id == tenant_id))
    services = db.scalars(
        select(Service).where(Service.tenant_id == tenant_id).order_by(Service.id)
    ).all()
    if provider is None or not services:
        return 0
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    agents: list[tuple[User, int, float, int]] = []
    number = 0
    for service_index, (service, count) in enumerate(
        zip(services, AGENTS_PER_SERVICE, strict=False)
    ):
        for _ in range(count):
            number += 1
            user = User(
                tenant_id=tenant_id, service_id=service.id,
                login=f"{SYNTHETIC_LOGIN_PREFIX}{number:03d}",
                display_name=f"Agent fictif {number:03d} (démo)", role="agent",
                password_hash=NO_LOGIN, active=True,
            )  # fmt: skip
            db.add(user)
            # each agent starts some day in the first month, with a habit of use
            agents.append((user, rng.randint(0, 30), rng.uniform(0.15, 0.7), service_index))
    db.flush()
    specs = builtins()
    added = 0
    for day in range(DAYS, -1, -1):
        when = now - timedelta(days=day)
        if when.weekday() >= 5:
            continue  # agents work on weekdays
        for user, start, habit, service_index in agents:
            # the third service drops off in the last week: the drop-off alarm shows on it
            fading = service_index == 2 and day < 8
            if DAYS - day < start or rng.random() > (habit / 10 if fading else habit):
                continue
            for _ in range(rng.randint(1, 3)):
                assistant = rng.choice(ASSISTANTS)
                at = when.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
                prompt, completion = rng.randint(150, 1500), rng.randint(60, 400)
                latency = completion / 22 * 1000 + rng.randint(200, 900)
                event = UsageEvent(
                    request_id=f"demo{added:08d}", tenant_id=tenant_id, user_id=user.id,
                    service_id=user.service_id, provider_id=provider.id,
                    provider_name=provider.name, model=(provider.models or ["local"])[0],
                    source="web", assistant_id=assistant, prompt_tokens=prompt,
                    completion_tokens=completion, latency_ms=latency,
                    ttft_ms=rng.randint(250, 900), outcome="ok" if rng.random() > 0.02 else "error",
                    extra={"synthetic": True}, created_at=at,
                )  # fmt: skip
                db.add(event)
                ledger.record(db, event, synthetic=True)
                added += 1
                if assistant != "chat":
                    _run(db, rng, user, assistant, specs[assistant].time_saved_minutes, at)
    db.flush()
    survey_demo.load(db, tenant_id, DAYS, now=now, rng=rng)  # the satisfaction survey's answers
    return added


def _run(db: Session, rng: random.Random, user: User, assistant: str, minutes: int,
         at: datetime) -> None:  # fmt: skip
    validated = rng.random() < 0.7
    rating = rng.choices(["useful", "not_useful", ""], weights=[6, 1, 3])[0]
    db.add(
        AssistantRun(
            tenant_id=user.tenant_id, user_id=user.id, service_id=user.service_id,
            assistant_id=assistant, inputs={"synthetic": True}, status="validated" if validated
            else "draft", draft="(donnée fictive de démonstration)", model="demo",
            validated_by=user.id if validated else None, validated_at=at if validated else None,
            rating=rating, time_saved_minutes=minutes, created_at=at, updated_at=at,
        )
    )  # fmt: skip


def remove(db: Session, tenant_id: int) -> int:
    """Delete every synthetic event, ledger row, agent and run of this collectivité."""
    ids = db.scalars(
        select(LedgerEntry.usage_event_id).where(
            LedgerEntry.tenant_id == tenant_id, LedgerEntry.synthetic.is_(True)
        )
    ).all()
    db.execute(delete(LedgerEntry).where(LedgerEntry.usage_event_id.in_(ids)))
    db.execute(delete(UsageEvent).where(UsageEvent.id.in_(ids)))
    users = select(User.id).where(
        User.tenant_id == tenant_id, User.login.startswith(SYNTHETIC_LOGIN_PREFIX)
    )
    db.execute(delete(AssistantRun).where(AssistantRun.user_id.in_(users)))
    survey_demo.remove(db, tenant_id)
    db.execute(delete(User).where(User.login.startswith(SYNTHETIC_LOGIN_PREFIX),
                                  User.tenant_id == tenant_id))  # fmt: skip
    return len(ids)
