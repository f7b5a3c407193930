"""The one path every model call takes: resolve a provider, stream, time, record usage."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import threading
import time
import uuid
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import Tenant, User
from civia.audit import journal as audit
from civia.db.engine import session_scope
from civia.db.readcache import ReadCache
from civia.plugins.registries import CallGuard, GuardRefused
from civia.privacy.routing import (
    DEFAULT_CLEARANCE,
    PrivacyRefused,
    StreamRestorer,
    guard,
    needs_scan,
)
from civia.providers import registry, store
from civia.providers.base import ChatChunk, ChatModel, ChatRequest, ProviderError, ProviderTimeout
from civia.providers.models import HOSTING_LABELS, HostingClass, Provider
from civia.settings import Settings
from civia.telemetry import context
from civia.usage import ledger
from civia.usage.models import UsageEvent
from civia.usage.quotas import Hold, Keeper, Reserve, estimate

log = logging.getLogger("civia.gateway")
T = TypeVar("T")


class Blocked(ProviderError):
    """The comité's kill switch or training requirement refused the call (already audited)."""

    outcome = "blocked"


class NoProvider(ProviderError):
    message_fr = "Aucun modèle n'est disponible : un administrateur doit configurer un fournisseur."


@dataclass
class CallContext:
    tenant_id: int
    user_id: int | None
    service_id: int | None
    source: str  # web | api
    assistant_id: str = ""
    sensitivity: str = "internal"  # the assistant's declared data sensitivity
    conversation_id: int | None = None
    # The web request's id when there is one (logs of the call and of the request match).
    request_id: str = field(default_factory=lambda: context.current() or uuid.uuid4().hex[:16])


class AssistantRef(Protocol):
    """What a call context needs of an assistant (an `AssistantSpec`)."""

    @property
    def id(self) -> str: ...

    @property
    def sensitivity(self) -> Any: ...  # a Sensitivity (str enum)


def call_context(
    user: User,
    *,
    source: str,
    assistant: AssistantRef | None = None,
    conversation_id: int | None = None,
    request_id: str | None = None,
) -> CallContext:
    """The one place a call context is built: who calls (tenant, user, service), from where
    (web, api), for which assistant and at which data sensitivity."""
    ctx = CallContext(
        tenant_id=user.tenant_id,
        user_id=user.id,
        service_id=user.service_id,
        source=source,
        assistant_id=assistant.id if assistant is not None else "",
        sensitivity=str(assistant.sensitivity.value) if assistant is not None else "internal",
        conversation_id=conversation_id,
    )
    if request_id:
        ctx.request_id = request_id
    return ctx


@dataclass
class Resolved:
    provider_id: int
    provider_name: str
    model: str
    chat: ChatModel
    hosting_class: str = "local"
    clearance: str = "sensitive"
    pii_policy: str = "pseudonymise"


@dataclass
class CallResult:
    """Filled while streaming; read by callers once the stream ends."""

    text: str = ""
    outcome: str = "ok"
    error_fr: str = ""
    usage: dict[str, int] = field(default_factory=dict)
    masked: dict[str, int] = field(default_factory=dict)  # counts per type, never values
    finish_reason: str = "stop"  # stop | length (as the provider reported it)
    figures: ledger.Figures | None = None  # cost and footprint, once recorded


def provider_config(row: Provider) -> registry.ProviderConfig:
    return store.config_of(row)


class Admission:
    """A call its route admitted once (`Gateway.admit_call`): the comité's guards passed, a
    request counted in every quota, the call's reserve held. `Gateway.stream` takes it instead
    of checking again; a call that never streams gives its hold back with `abandon` (done by
    `AdmittedStream` whatever way its response ends). An admission dropped without either (a
    response never sent: an error once the route had returned it) gives its hold back when it
    is collected, so that no path keeps a reserve until its counters expire."""

    def __init__(self, ctx: CallContext, hold: Hold | None, keeper: Keeper) -> None:
        self.ctx = ctx
        self.hold = hold
        self.keeper = keeper
        self.used = False
        self._dropped = (
            None
            if hold is None
            else weakref.finalize(self, _give_back, keeper, hold, ctx.request_id)
        )
        if self._dropped is not None:
            self._dropped.atexit = False  # a stopping process's holds expire with its counters

    def take(self, ctx: CallContext) -> Hold | None:
        """The hold of the call `ctx`, once: its stream now releases it."""
        if ctx is not self.ctx or self.used:
            raise Blocked(f"admission of another call or used twice ({ctx.request_id})")
        self.used = True
        if self._dropped is not None:
            self._dropped.detach()
        return self.hold

    def abandon(self) -> None:
        """Release the hold of a call that was admitted but never streamed (the client left
        before the response started); nothing once `Gateway.stream` has taken it."""
        if not self.used:
            self.used = True
            if self._dropped is not None:
                self._dropped.detach()
            self.keeper.release(self.hold)


def _give_back(keeper: Keeper, hold: Hold, request_id: str) -> None:
    """An admission collected unused: its hold is released (a finaliser must not raise)."""
    try:
        keeper.release(hold)
        log.warning("admission dropped unused, its hold released request_id=%s", request_id)
    except Exception:
        log.exception("hold of a dropped admission not released request_id=%s", request_id)


# A collectivité's chat providers, resolved: read on every call, changed by an admin now and
# then. Emptied in this process when a provider, a credential or a collectivité changes; the
# other processes see the change within TTL_S.
PROVIDERS_TTL_S = 10.0

CLOSE_TIMEOUT_S = 5.0  # closing a provider's stream, once the answer ended or was stopped


class CallStream:
    """The chunks of `Gateway.stream`. Closed before its first step, it gives its admission's
    hold back: an async generator closed before it starts never runs its `finally`."""

    __slots__ = ("_admission", "_chunks")

    def __init__(
        self, chunks: AsyncGenerator[ChatChunk, None], admission: Admission | None
    ) -> None:
        self._chunks = chunks
        self._admission = admission

    def __aiter__(self) -> CallStream:
        return self

    def __anext__(self) -> Awaitable[ChatChunk]:
        return self._chunks.__anext__()  # the generator's own awaitable: no frame per chunk

    async def aclose(self) -> None:
        try:
            await self._chunks.aclose()
        finally:
            if self._admission is not None and not self._admission.used:
                await give_back(self._admission)


async def give_back(admission: Admission) -> None:
    """`admission.abandon()` of a call that never streamed: in a thread (the counters may be in
    Redis), and shielded (a client gone cancels every later await of its response's task)."""
    if not admission.used:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(admission.abandon)


class _Pending:
    """A call admitted in a thread while its task may be cancelled: the hold taken after the
    task has gone is released by the thread itself, one taken before by `abandon`."""

    def __init__(self, keeper: Keeper) -> None:
        self.keeper = keeper
        self.lock = threading.Lock()
        self.gone = False
        self.hold: Hold | None = None

    def admit(self, allow: Callable[..., Hold | None], *args: Any) -> Hold | None:
        hold = allow(*args)
        with self.lock:
            if not self.gone:
                self.hold = hold
                return hold
        self.keeper.release(hold)
        return None

    def abandon(self) -> None:
        with self.lock:
            self.gone, hold, self.hold = True, self.hold, None
        self.keeper.release(hold)


class Gateway:
    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        guards: Sequence[CallGuard] = (),
    ) -> None:
        """`guards`: the registered call guards (`Registries.call_guards`), run before every
        call."""
        self.settings = settings
        self.sessions = sessions
        self.guards = tuple(guards)
        self.quotas = Keeper(settings)  # requests and tokens per collectivité, service, user
        # Per app (the choices depend on its settings), per engine, per collectivité.
        self._choices = ReadCache[tuple[Resolved, ...]](
            "chat providers", PROVIDERS_TTL_S, ("providers", "provider_credentials", "tenants")
        )

    def _rows(self, db: Session, tenant_id: int) -> list[Provider]:
        rows = db.scalars(
            select(Provider)
            .where(
                Provider.tenant_id == tenant_id,
                Provider.capability == "chat",
                Provider.enabled.is_(True),
            )
            .order_by(Provider.is_default.desc(), Provider.id)
        ).all()
        # CIVIA_LOCAL_MODEL_ENABLED=false: the embedded model is never loaded.
        local = self.settings.local_model_enabled
        return [r for r in rows if local or not registry.in_process("chat", r.kind)]

    def models(self, db: Session, tenant_id: int) -> list[tuple[str, str]]:
        """Every (provider name, model id) a tenant may call, default provider first."""
        return [(c.provider_name, c.model) for c in self._choices_of(db, tenant_id)]

    def _choices_of(self, db: Session, tenant_id: int) -> tuple[Resolved, ...]:
        return self._choices.get(db, tenant_id, lambda: self._resolve_all(db, tenant_id)) or ()

    def _resolve_all(self, db: Session, tenant_id: int) -> tuple[Resolved, ...]:
        tenant = db.get(Tenant, tenant_id)
        policy = (tenant.profile or {}).get("pii_policy", "pseudonymise") if tenant else ""
        out: list[Resolved] = []
        for row in self._rows(db, tenant_id):
            chat = registry.build(provider_config(row), self.settings)
            for model_id in row.models or chat.list_models():
                out.append(
                    Resolved(
                        row.id,
                        row.name,
                        model_id,
                        chat,
                        hosting_class=row.hosting_class,
                        clearance=row.clearance
                        or DEFAULT_CLEARANCE.get(row.hosting_class, "internal"),
                        pii_policy=policy or "pseudonymise",
                    )
                )
        return tuple(out)

    def resolve(self, db: Session, tenant_id: int, model: str = "") -> Resolved:
        """The provider and model of a call (the default provider's first model when `model`
        is empty), from a short-lived cache of the collectivité's providers."""
        for choice in self._choices_of(db, tenant_id):
            if not model or choice.model == model:
                return dataclasses.replace(choice)  # the caller's own copy; the model is shared
        if model:
            raise NoProvider(
                f"model {model!r} not configured for tenant {tenant_id}",
                f"Le modèle « {model} » n'est pas disponible.",
            )
        raise NoProvider(f"no enabled provider for tenant {tenant_id}")

    def admit_call(
        self,
        db: Session,
        user: User,
        ctx: CallContext,
        target: Resolved,
        request: ChatRequest,
        *,
        checked: CallGuard | None = None,
    ) -> Admission:
        """A route's one admission of a call, in its own session, before it answers: the call
        guards (but `checked`, the one the route has just run itself, e.g. the comité's) and
        the quotas. Raises `Blocked` or `QuotaExceeded`; the route then hands the `Admission`
        to `stream`, which checks nothing again."""
        if user.id != ctx.user_id or user.tenant_id != ctx.tenant_id:
            raise Blocked(f"user {user.id} is not the caller of {ctx.request_id}")
        self._run_guards(db, user, ctx, skip=checked)
        hold = self.quotas.admit(db, user, reserve=self._reserve(db, ctx, target, request))
        return Admission(ctx, hold, self.quotas)

    def stream(
        self,
        ctx: CallContext,
        target: Resolved,
        request: ChatRequest,
        result: CallResult,
        admission: Admission | None = None,
    ) -> CallStream:
        """Stream from the provider with first-token and total timeouts; always records usage.

        Every call of a user passes the comité's guard and the quotas: here, or once in the
        route that hands its `admission` (for this very call context), whatever route or job
        made it. Closed before its first step, the stream gives that admission's hold back."""
        return CallStream(self._stream(ctx, target, request, result, admission), admission)

    async def _stream(
        self,
        ctx: CallContext,
        target: Resolved,
        request: ChatRequest,
        result: CallResult,
        admission: Admission | None,
    ) -> AsyncGenerator[ChatChunk, None]:
        hold: Hold | None = None
        if admission is not None:
            hold = admission.take(ctx)
        elif ctx.user_id is not None:
            pending = _Pending(self.quotas)
            try:
                hold = await asyncio.to_thread(pending.admit, self._allow, ctx, target, request)
            except asyncio.CancelledError:  # the thread goes on: its hold is given back
                pending.abandon()
                raise
        # Nothing may fail nor wait between taking the hold and the `try` that releases it.
        start = time.monotonic()
        first: float | None = None
        restorer = StreamRestorer({})
        chunks: AsyncIterator[ChatChunk] | None = None
        try:
            request.model = target.model
            if not request.user:
                request.user = f"{ctx.tenant_id}:{ctx.user_id or ''}"
            if request.seed is None:
                request.seed = self.settings.model_seed
            deadline = start + self.settings.provider_timeout_s
            # The scan (spaCy) runs in a thread; a model cleared for everything needs none.
            scan = asyncio.to_thread if needs_scan(target.clearance) else _inline
            guarded = await scan(
                guard,
                request.messages,
                sensitivity=ctx.sensitivity,
                clearance=target.clearance,
                policy=target.pii_policy,
                provider=target.provider_name,
                hosting=HOSTING_LABELS.get(
                    HostingClass(target.hosting_class), target.hosting_class
                ),
                scope=str(ctx.tenant_id),
            )
            result.masked = guarded.counts if guarded.action == "pseudonymised" else {}
            request.messages = guarded.messages
            restorer = StreamRestorer(guarded.mapping)
            chunks = target.chat.stream(request).__aiter__()
            while True:
                budget = deadline - time.monotonic()
                if first is None:
                    budget = min(budget, self.settings.provider_first_token_timeout_s)
                try:
                    # A timeout around the await, not `wait_for`: no task per chunk.
                    async with asyncio.timeout(max(budget, 0.01)):
                        chunk = await chunks.__anext__()
                except StopAsyncIteration:
                    break
                except TimeoutError:
                    raise ProviderTimeout(f"no chunk within {budget:.0f}s") from None
                if chunk.text and first is None:
                    first = time.monotonic()
                if chunk.usage:
                    result.usage = chunk.usage
                if chunk.finish_reason in ("stop", "length"):
                    result.finish_reason = chunk.finish_reason
                if result.masked:
                    chunk.text = restorer.feed(chunk.text)
                    if chunk.finish_reason:
                        chunk.text += restorer.flush()
                result.text += chunk.text
                yield chunk
        except ProviderError as exc:
            result.outcome, result.error_fr = exc.outcome, exc.message_fr
            if isinstance(exc, PrivacyRefused):
                result.masked = dict(exc.counts)
            log.warning("provider call failed request_id=%s: %s", ctx.request_id, exc)
            raise
        except (asyncio.CancelledError, GeneratorExit):
            result.outcome = "stopped"
            raise
        finally:
            # Shielded: once a client has gone, Starlette's cancel scope cancels every later
            # await of the response's task again, and closing the provider's stream (an await)
            # must not skip the usage and ledger rows. In a thread: on SQLite the insert may
            # wait for the database's one writer (a page's transaction that the event loop
            # itself has to finish), and the other streams must not wait with it. The close is
            # bounded so that a provider hanging on it cannot keep the task from ending.
            with anyio.CancelScope(shield=True):
                try:
                    if chunks is not None:  # bounded: a provider that hangs on close
                        with anyio.move_on_after(CLOSE_TIMEOUT_S):
                            await _close(chunks)
                finally:
                    await asyncio.shield(
                        asyncio.to_thread(self._finish, ctx, target, result, start, first, hold)
                    )

    def _finish(
        self,
        ctx: CallContext,
        target: Resolved,
        result: CallResult,
        start: float,
        first: float | None,
        hold: Hold | None,
    ) -> None:
        try:
            self._record(ctx, target, result, start, first)
        finally:
            self.quotas.release(hold)  # after the ledger row is committed

    def admit(self, ctx: CallContext) -> None:
        """The guards and quotas of a call that streams no chat (API embeddings and
        transcriptions): raises `Blocked` or `QuotaExceeded` as `stream` would. No reserve is
        held: a budget is checked against what was spent, and the call's cost is recorded after
        it."""
        with session_scope(self.sessions) as db:
            user = self._guard(db, ctx)
            self.quotas.release(self.quotas.admit(db, user))

    def _guard(self, db: Session, ctx: CallContext) -> User:
        user = db.get(User, ctx.user_id)
        if user is None or user.tenant_id != ctx.tenant_id:
            raise Blocked(f"user {ctx.user_id} unknown in tenant {ctx.tenant_id}")
        self._run_guards(db, user, ctx)
        return user

    def _run_guards(
        self, db: Session, user: User, ctx: CallContext, skip: CallGuard | None = None
    ) -> None:
        try:
            for check in self.guards:
                if check is not skip:
                    check(db, user, ctx.assistant_id, ctx.source)
        except GuardRefused as exc:
            raise Blocked(exc.reason, exc.message) from None

    def _reserve(
        self, db: Session, ctx: CallContext, target: Resolved, request: ChatRequest
    ) -> Callable[[], Reserve]:
        """The call's upper bound, computed only when a budget or a token limit applies."""
        return lambda: estimate(
            db,
            tenant_id=ctx.tenant_id,
            provider_id=target.provider_id,
            model=target.model,
            # Doubled: pseudonymisation may lengthen the text (« [PERSONNE_1] »).
            prompt_bytes=2 * sum(len(m.content.encode()) + 8 for m in request.messages),
            max_tokens=request.max_tokens,
            timeout_s=self.settings.provider_timeout_s,
        )

    def _allow(self, ctx: CallContext, target: Resolved, request: ChatRequest) -> Hold | None:
        with session_scope(self.sessions) as db:
            user = self._guard(db, ctx)
            # QuotaExceeded: HTTP 429 for the callers; budgets hold the call's upper bound.
            return self.quotas.admit(db, user, reserve=self._reserve(db, ctx, target, request))

    def _record(
        self,
        ctx: CallContext,
        target: Resolved,
        result: CallResult,
        start: float,
        first: float | None,
    ) -> None:
        self.quotas.consume(
            tenant_id=ctx.tenant_id,
            service_id=ctx.service_id,
            user_id=ctx.user_id,
            tokens=sum(result.usage.get(k, 0) for k in ("prompt_tokens", "completion_tokens")),
        )
        with session_scope(self.sessions) as db:
            event = UsageEvent(
                request_id=ctx.request_id,
                tenant_id=ctx.tenant_id,
                user_id=ctx.user_id,
                service_id=ctx.service_id,
                provider_id=target.provider_id,
                provider_name=target.provider_name,
                model=target.model,
                source=ctx.source,
                assistant_id=ctx.assistant_id,
                conversation_id=ctx.conversation_id,
                prompt_tokens=result.usage.get("prompt_tokens", 0),
                completion_tokens=result.usage.get("completion_tokens", 0),
                latency_ms=(time.monotonic() - start) * 1000,
                ttft_ms=None if first is None else (first - start) * 1000,
                outcome=result.outcome,
                extra=_extra(result),
            )
            db.add(event)
            result.figures = ledger.record(db, event)
            if result.masked:  # counts only: the values never leave the call
                audit.record(
                    db,
                    tenant_id=ctx.tenant_id,
                    actor=audit.Actor(ctx.user_id or 0),
                    action="pii.refused" if result.outcome == "refused" else "pii.masked",
                    target=f"provider:{target.provider_id}",
                    details={
                        "counts": result.masked,
                        "provider": target.provider_name,
                        "hosting": target.hosting_class,
                        "source": ctx.source,
                    },
                )


async def _inline(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    return function(*args, **kwargs)


async def _close(chunks: AsyncIterator[ChatChunk]) -> None:
    aclose = getattr(chunks, "aclose", None)
    if aclose is not None:
        with contextlib.suppress(ProviderError, RuntimeError):
            await aclose()


def _extra(result: CallResult) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if result.usage.get("estimated"):
        extra["usage_estimated"] = True
    if result.masked:
        extra["pii_refused" if result.outcome == "refused" else "pii_masked"] = result.masked
    return extra
