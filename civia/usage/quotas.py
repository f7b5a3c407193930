"""Quotas of a collectivité, a service or a user: model requests per minute (an exact moving
window) and tokens per UTC day, counted with `limits` in this process's memory, or in Redis
(`CIVIA_REDIS_URL`) when several processes serve the same platform.

The gateway calls `admit` before every model call (it consumes a request) and `consume` after
it (the tokens used); web routes may `peek` first to answer 429 before anything is written.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from limits import RateLimitItemPerMinute
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from civia.accounts.limiter_storage import storage_for
from civia.accounts.manage import AccountError
from civia.accounts.models import Service, Tenant, User
from civia.providers.base import ProviderError
from civia.settings import Settings
from civia.telemetry import metrics
from civia.usage.models import Quota

SCOPE_FR = {"tenant": "de votre collectivité", "service": "de votre service", "user": "personnel"}


class QuotaExceeded(ProviderError):
    """Over a limit: HTTP 429 with `Retry-After: retry_after`."""

    outcome = "quota"

    def __init__(self, scope: str, what: str, retry_after: int) -> None:
        wait = _wait_fr(retry_after)
        message = f"Quota {SCOPE_FR[scope]} atteint ({what}) : réessayez dans {wait}."
        super().__init__(f"quota {scope} {what}", message)
        self.retry_after = retry_after
        metrics.quota_refusals.labels(scope).inc()  # raised once per refused call


def _wait_fr(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    if seconds < 3600:
        minutes = math.ceil(seconds / 60)
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    hours = math.ceil(seconds / 3600)
    return f"{hours} heure{'s' if hours > 1 else ''}"


@dataclass(frozen=True)
class Scope:
    kind: str  # tenant | service | user
    key: str
    quota: Quota


def scopes(db: Session, user: User) -> list[Scope]:
    """The quotas that apply to this user, widest first."""
    rows = db.scalars(
        select(Quota).where(
            Quota.tenant_id == user.tenant_id,
            or_(
                (Quota.service_id.is_(None)) & (Quota.user_id.is_(None)),
                (Quota.service_id == user.service_id) & (Quota.user_id.is_(None)),
                Quota.user_id == user.id,
            ),
        )
    ).all()
    found = []
    for row in rows:
        if row.user_id is not None:
            found.append(Scope("user", f"u{row.user_id}", row))
        elif row.service_id is not None:
            found.append(Scope("service", f"s{row.service_id}", row))
        else:
            found.append(Scope("tenant", f"t{row.tenant_id}", row))
    order = {"tenant": 0, "service": 1, "user": 2}
    return sorted(found, key=lambda s: order[s.kind])


def _day_key(key: str, now: datetime) -> str:
    return f"civia/tokens/{key}/{now:%Y%m%d}"


def _until_midnight(now: datetime) -> int:
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, math.ceil((tomorrow - now).total_seconds()))


class Keeper:
    """The counters of one app (or worker)."""

    def __init__(self, settings: Settings, store: Storage | None = None) -> None:
        self.storage = store or storage_for(settings)
        self.window = MovingWindowRateLimiter(self.storage)

    def _check_tokens(self, scope: Scope, now: datetime) -> None:
        limit = scope.quota.tokens_per_day
        if limit is not None and self.storage.get(_day_key(scope.key, now)) >= limit:
            raise QuotaExceeded(scope.kind, "jetons par jour", _until_midnight(now))

    def _retry(self, item: RateLimitItemPerMinute, key: str) -> int:
        stats = self.window.get_window_stats(item, "civia-rpm", key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def peek(self, db: Session, user: User) -> None:
        """Raise `QuotaExceeded` if a call would be refused now; consumes nothing."""
        now = datetime.now(UTC)
        for scope in scopes(db, user):
            self._check_tokens(scope, now)
            rpm = scope.quota.requests_per_minute
            if rpm is not None:
                item = RateLimitItemPerMinute(rpm)
                if not self.window.test(item, "civia-rpm", scope.key):
                    raise QuotaExceeded(
                        scope.kind, "requêtes par minute", self._retry(item, scope.key)
                    )

    def admit(self, db: Session, user: User) -> None:
        """Consume one request in every scope, or raise `QuotaExceeded` (the moving window is
        atomic per scope, so concurrent calls cannot all pass)."""
        now = datetime.now(UTC)
        applied = scopes(db, user)
        for scope in applied:
            self._check_tokens(scope, now)
        for scope in applied:
            rpm = scope.quota.requests_per_minute
            if rpm is None:
                continue
            item = RateLimitItemPerMinute(rpm)
            if not self.window.hit(item, "civia-rpm", scope.key):
                raise QuotaExceeded(scope.kind, "requêtes par minute", self._retry(item, scope.key))

    def consume(
        self, *, tenant_id: int, service_id: int | None, user_id: int | None, tokens: int
    ) -> None:
        """Count the tokens of a finished call in each scope it belongs to."""
        if tokens <= 0:
            return
        now = datetime.now(UTC)
        keys = [f"t{tenant_id}"]
        keys += [f"s{service_id}"] if service_id is not None else []
        keys += [f"u{user_id}"] if user_id is not None else []
        for key in keys:
            self.storage.incr(_day_key(key, now), expiry=_until_midnight(now) + 60, amount=tokens)

    def used_today(self, key: str) -> int:
        return int(self.storage.get(_day_key(key, datetime.now(UTC))))


def set_quota(
    db: Session,
    *,
    tenant: Tenant,
    service: Service | None = None,
    user: User | None = None,
    requests_per_minute: int | None = None,
    tokens_per_day: int | None = None,
) -> Quota:
    for value in (requests_per_minute, tokens_per_day):
        if value is not None and value < 1:
            raise AccountError("Une limite doit être un entier positif.")
    if user is not None and user.tenant_id != tenant.id:
        raise AccountError("Cet utilisateur n'appartient pas à cette collectivité.")
    if service is not None and service.tenant_id != tenant.id:
        raise AccountError("Ce service n'appartient pas à cette collectivité.")
    row = _find(db, tenant, service, user)
    if row is None:
        row = Quota(
            tenant_id=tenant.id,
            service_id=service.id if service else None,
            user_id=user.id if user else None,
        )
        db.add(row)
    row.requests_per_minute, row.tokens_per_day = requests_per_minute, tokens_per_day
    db.flush()
    return row


def clear_quota(
    db: Session, *, tenant: Tenant, service: Service | None = None, user: User | None = None
) -> bool:
    row = _find(db, tenant, service, user)
    if row is None:
        return False
    db.delete(row)
    db.flush()
    return True


def _find(db: Session, tenant: Tenant, service: Service | None, user: User | None) -> Quota | None:
    return db.scalar(
        select(Quota).where(
            Quota.tenant_id == tenant.id,
            Quota.service_id == service.id if service else Quota.service_id.is_(None),
            Quota.user_id == user.id if user else Quota.user_id.is_(None),
        )
    )
