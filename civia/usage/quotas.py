"""Quotas of a collectivité, a service or a user: model requests per minute (an exact moving
window) and tokens per UTC day, counted with `limits` in this process's memory, or in Redis
(`CIVIA_REDIS_URL`) when several processes serve the same platform.

The gateway calls `admit` before every model call (it consumes a request) and `consume` after
it (the tokens used); web routes may `peek` first to answer 429 before anything is written.
With a limit of tokens, `admit` also counts the call's reserve of tokens (prompt bytes and
`max_tokens`) while it is in flight, so calls started in the same minute see each other and
pass the limit by one call at most; `release` takes the reserve back once `consume` has
counted the actual tokens.

Monthly budgets in € and kgCO2eq (UTC calendar month) are read from the pilotage ledger, so
they survive restarts. Concurrent calls cannot overshoot them: `admit` first adds the call's
*reserve* (an upper bound of its cost and footprint: prompt bytes as tokens, `max_tokens` out,
the provider timeout as its duration) to a shared counter of calls in flight, then checks
spent + in flight against the budget, and refuses (taking the reserve back) when over; the
gateway calls `release` only once the call's ledger row is committed. Between the commit and
the release a call counts twice, never zero times.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from limits import RateLimitItemPerMinute
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from civia.accounts.limiter_storage import storage_for
from civia.accounts.manage import AccountError
from civia.accounts.models import Service, Tenant, User
from civia.providers.base import ProviderError
from civia.settings import Settings
from civia.telemetry import metrics
from civia.usage import ledger
from civia.usage.models import LedgerEntry, Quota, UsageEvent

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
    if seconds >= 2 * 86400:
        return f"{math.ceil(seconds / 86400)} jours"
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


@dataclass(frozen=True)
class Reserve:
    """Upper bound of one call's cost (micro-euros), footprint (milligrams CO2eq) and tokens."""

    micro_eur: int
    mg_co2: int
    tokens: int = 0


@dataclass
class Hold:
    """What an admitted call holds until its ledger row is committed: on budgets (`keys`:
    scope key, micro-euros, milligrams) and on token counters (`tokens`: counter key, tokens)."""

    keys: list[tuple[str, int, int]]
    tokens: list[tuple[str, int]] = field(default_factory=list)


def _month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _until_next_month(now: datetime) -> int:
    start = _month_start(now)
    following = (start + timedelta(days=32)).replace(day=1)
    return max(1, math.ceil((following - now).total_seconds()))


def month_spent(db: Session, scope: Scope, now: datetime | None = None) -> tuple[float, float]:
    """(€, kgCO2eq upper bound) of the scope's calls this UTC month, from the ledger."""
    now = now or datetime.now(UTC)
    query = select(
        func.coalesce(func.sum(LedgerEntry.cost_eur), 0.0),
        func.coalesce(func.sum(LedgerEntry.gwp_kgco2eq_max), 0.0),
    ).where(
        LedgerEntry.tenant_id == scope.quota.tenant_id,
        LedgerEntry.synthetic.is_(False),
        LedgerEntry.created_at >= _month_start(now),
    )
    if scope.kind == "service":
        query = query.join(UsageEvent, UsageEvent.id == LedgerEntry.usage_event_id).where(
            UsageEvent.service_id == scope.quota.service_id
        )
    elif scope.kind == "user":
        query = query.join(UsageEvent, UsageEvent.id == LedgerEntry.usage_event_id).where(
            UsageEvent.user_id == scope.quota.user_id
        )
    eur, kg = db.execute(query).one()
    return float(eur or 0.0), float(kg or 0.0)


def _token_limited(scope: Scope) -> bool:
    return scope.quota.tokens_per_day is not None or scope.quota.tokens_per_minute is not None


def _budgeted(scope: Scope) -> bool:
    return scope.quota.budget_eur_month is not None or scope.quota.budget_kgco2eq_month is not None


def _minute_key(key: str, now: datetime) -> str:
    return f"civia/tokens-min/{key}/{now:%Y%m%d%H%M}"


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
        per_minute = scope.quota.tokens_per_minute
        if per_minute is not None and self.storage.get(_minute_key(scope.key, now)) >= per_minute:
            raise QuotaExceeded(scope.kind, "jetons par minute", 60 - now.second)

    def _retry(self, item: RateLimitItemPerMinute, key: str) -> int:
        stats = self.window.get_window_stats(item, "civia-rpm", key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def peek(self, db: Session, user: User) -> None:
        """Raise `QuotaExceeded` if a call would be refused now; consumes nothing."""
        now = datetime.now(UTC)
        for scope in scopes(db, user):
            self._check_tokens(scope, now)
            if _budgeted(scope):
                eur, kg = month_spent(db, scope, now)
                quota = scope.quota
                if quota.budget_eur_month is not None and eur >= quota.budget_eur_month:
                    raise QuotaExceeded(
                        scope.kind, "budget mensuel en euros", _until_next_month(now)
                    )
                if quota.budget_kgco2eq_month is not None and kg >= quota.budget_kgco2eq_month:
                    raise QuotaExceeded(
                        scope.kind, "budget carbone mensuel", _until_next_month(now)
                    )
            rpm = scope.quota.requests_per_minute
            if rpm is not None:
                item = RateLimitItemPerMinute(rpm)
                if not self.window.test(item, "civia-rpm", scope.key):
                    raise QuotaExceeded(
                        scope.kind, "requêtes par minute", self._retry(item, scope.key)
                    )

    def admit(
        self,
        db: Session,
        user: User,
        reserve: Callable[[], Reserve] | None = None,
    ) -> Hold | None:
        """Consume one request in every scope, or raise `QuotaExceeded` (the moving window is
        atomic per scope, so concurrent calls cannot all pass). With budgets, hold the call's
        `reserve()` until `release` (a call without a reserve holds nothing)."""
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
        budgeted = [s for s in applied if _budgeted(s)]
        metered = [s for s in applied if _token_limited(s)]
        if not budgeted and not metered:
            return None
        amount = reserve() if reserve is not None else Reserve(0, 0)
        hold = Hold([])
        try:
            for scope in metered:
                self._hold_tokens(scope, amount.tokens, hold, now)
            for scope in budgeted:
                self._hold(db, scope, amount, hold, now)
        except BaseException:  # refused, or the database gone mid-way: nothing stays held
            self.release(hold)
            raise
        return hold if hold.keys or hold.tokens else None

    def _hold_tokens(self, scope: Scope, tokens: int, hold: Hold, now: datetime) -> None:
        """Count the call's reserve of tokens now, in flight, so that calls started together
        see each other: a call passes while the count before it (finished calls' tokens plus
        the reserves of calls in flight) is under the limit, so concurrent calls overshoot by
        at most one call, as a single user calling in turn does."""
        if tokens <= 0:
            return
        quota = scope.quota
        counters = (
            (quota.tokens_per_day, _day_key(scope.key, now), _until_midnight(now) + 60),
            (quota.tokens_per_minute, _minute_key(scope.key, now), 120),
        )
        for limit, key, expiry in counters:
            if limit is None:
                continue
            count = self.storage.incr(key, expiry=expiry, amount=tokens)
            hold.tokens.append((key, tokens))
            if count - tokens >= limit:
                per_day = key.startswith("civia/tokens/")
                raise QuotaExceeded(
                    scope.kind,
                    "jetons par jour" if per_day else "jetons par minute",
                    _until_midnight(now) if per_day else 60 - now.second,
                )

    def _hold(self, db: Session, scope: Scope, amount: Reserve, hold: Hold, now: datetime) -> None:
        eur_key, co2_key = f"civia/hold-eur/{scope.key}", f"civia/hold-co2/{scope.key}"
        expiry = 3600  # a crashed process's holds fade after an hour
        # Hold first, then read: a concurrent call sees this one either in flight or spent.
        held_eur = self.storage.incr(eur_key, expiry=expiry, amount=amount.micro_eur)
        held_co2 = self.storage.incr(co2_key, expiry=expiry, amount=amount.mg_co2)
        hold.keys.append((scope.key, amount.micro_eur, amount.mg_co2))
        spent_eur, spent_kg = month_spent(db, scope, now)
        quota = scope.quota
        if quota.budget_eur_month is not None and (
            spent_eur * 1_000_000 + held_eur > quota.budget_eur_month * 1_000_000
            or spent_eur >= quota.budget_eur_month
        ):
            raise QuotaExceeded(scope.kind, "budget mensuel en euros", _until_next_month(now))
        if quota.budget_kgco2eq_month is not None and (
            spent_kg * 1_000_000 + held_co2 > quota.budget_kgco2eq_month * 1_000_000
            or spent_kg >= quota.budget_kgco2eq_month
        ):
            raise QuotaExceeded(scope.kind, "budget carbone mensuel", _until_next_month(now))

    def release(self, hold: Hold | None) -> None:
        """Give back what an admitted call held, once its ledger row is committed."""
        if hold is None:
            return
        for key, micro_eur, mg_co2 in hold.keys:
            self.storage.incr(f"civia/hold-eur/{key}", expiry=3600, amount=-micro_eur)
            self.storage.incr(f"civia/hold-co2/{key}", expiry=3600, amount=-mg_co2)
        hold.keys.clear()
        for key, tokens in hold.tokens:  # `consume` has counted the call's actual tokens
            self.storage.incr(key, expiry=120, amount=-tokens)
        hold.tokens.clear()

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
            self.storage.incr(_minute_key(key, now), expiry=120, amount=tokens)

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
    budget_eur_month: float | None = None,
    budget_kgco2eq_month: float | None = None,
    tokens_per_minute: int | None = None,
) -> Quota:
    for value in (requests_per_minute, tokens_per_day, tokens_per_minute):
        if value is not None and value < 1:
            raise AccountError("Une limite doit être un entier positif.")
    for amount in (budget_eur_month, budget_kgco2eq_month):
        if amount is not None and not (0 < amount < 1e9):
            raise AccountError("Un budget doit être un nombre positif.")
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
    row.budget_eur_month, row.budget_kgco2eq_month = budget_eur_month, budget_kgco2eq_month
    row.tokens_per_minute = tokens_per_minute
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


def estimate(
    db: Session,
    *,
    tenant_id: int,
    provider_id: int | None,
    model: str,
    prompt_bytes: int,
    max_tokens: int,
    timeout_s: float,
) -> Reserve:
    """An upper bound of a call's cost and footprint, priced by the ledger itself: a token is at
    least one byte of the prompt, the answer stops at `max_tokens`, and the gateway cuts the
    call at `timeout_s` (the duration the footprint grows with)."""
    event = UsageEvent(
        request_id="estimate",
        tenant_id=tenant_id,
        provider_id=provider_id,
        provider_name="",
        model=model,
        source="estimate",
        prompt_tokens=prompt_bytes,
        completion_tokens=max_tokens,
        latency_ms=timeout_s * 1000,
        outcome="ok",
    )
    cost, found, pricing = ledger.compute(db, event)
    if found is not None and pricing.get("method") == "energy x price":
        cost = max(cost, found.kwh[1] * ledger.tenant_rates(db, tenant_id).eur_per_kwh)
    kg = found.kgco2eq[1] if found is not None else 0.0
    return Reserve(
        math.ceil(cost * 1_000_000), math.ceil(kg * 1_000_000), prompt_bytes + max_tokens
    )
