"""Request dependencies: the database session, and the one way to authorise a route.

Every route of Civia declares exactly one *policy* (one of the `Annotated` users below, in its
signature or its `dependencies`), or none when it is public. A policy is: logged in (a session
cookie, its CSRF token on state-changing requests; or an API token), the user's role among a
named set of `civia.accounts.roles`, and the current charter accepted unless the page is the way
to accept it. `tests/web/test_route_policies.py` walks every route's dependencies and compares
its policy with the declared matrix (`tests/web/test_route_matrix.py`).

What a user may see among the objects of a page (their conversation, a collection of their
service…) is the area's own object-access helper, which answers 404 for the others.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from civia.accounts import api_tokens
from civia.accounts import roles as R
from civia.accounts.models import Role, User, WebSession
from civia.accounts.sessions import resolve_session
from civia.accounts.tokens import same
from civia.governance import guards
from civia.governance.charter import needs_acceptance
from civia.web.errors import ApiError, CharterRequired, CsrfFailed, LoginRequired, OperatorOnly

__all__ = [
    "AdminBeforeCharter",
    "AdminUser",
    "ApiUser",
    "AuditorUser",
    "BuilderUser",
    "CaseEditor",
    "CaseViewer",
    "CharterRequired",
    "ComiteUser",
    "CsrfFailed",
    "CurrentUser",
    "CurrentWebSession",
    "Db",
    "DpoUser",
    "FormSession",
    "KeeperUser",
    "LoginRequired",
    "OperatorOnly",
    "OperatorUser",
    "Policy",
    "SteeringUser",
    "UserBeforeCharter",
    "UserOrApi",
    "Viewer",
    "allow_assistant",
    "policy_of",
]

SESSION_COOKIE = "civia_session"
LOGIN_CSRF_COOKIE = "civia_login_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
NO_RIGHTS = "Vous n'avez pas les droits nécessaires pour cette page."
NOT_OPERATOR = "Cette page est réservée aux opérateurs de la plateforme."
OPERATOR_PATHS = ("/plateforme", "/deconnexion")


@dataclass(frozen=True)
class Viewer:
    """What templates show about the logged-in user: plain data that outlives the DB session."""

    id: int
    login: str
    display_name: str
    role: str
    service_name: str
    tenant_name: str
    operator: bool = False  # a platform operator (civia.tenants): figures, never content

    @classmethod
    def of(cls, user: User) -> Viewer:
        service = user.service.name if user.service else ""
        return cls(
            user.id,
            user.login,
            user.display_name,
            user.role,
            service,
            user.tenant.name,
            is_operator(user),
        )


def is_operator(user: User) -> bool:
    """A user of the platform's own tenant (shared services): sees figures, never content."""
    return user.tenant.kind == "platform"


def _end(db: Session, ok: bool) -> None:
    try:
        if ok:
            db.commit()
        else:
            db.rollback()
    finally:
        db.close()


BUSY_FR = "Le serveur est très sollicité : réessayez dans quelques secondes."


def _db_slots(request: Request) -> tuple[anyio.Semaphore, float] | None:
    """Requests holding a session at once, fewer than the pool's connections: a request never
    waits for a connection held by requests that wait for a worker thread (a deadlock under
    load when every worker thread waits for a connection). A pool without a limit (NullPool)
    needs none. The wait is bounded by the pool's own timeout, then 503."""
    pool = request.app.state.engine.pool
    if not isinstance(pool, QueuePool):
        return None
    slots: tuple[anyio.Semaphore, float] | None = getattr(request.app.state, "db_slots", None)
    if slots is None:
        capacity = pool.size() + max(getattr(pool, "_max_overflow", 0), pool.overflow(), 0)
        # A few connections stay for sessions opened outside a request's (usage rows, saves).
        semaphore = anyio.Semaphore(max(capacity - 3, 1))
        slots = request.app.state.db_slots = (semaphore, float(getattr(pool, "_timeout", 30)))
    return slots


@contextlib.asynccontextmanager
async def _db_slot(request: Request) -> AsyncIterator[None]:
    slots = _db_slots(request)
    if slots is None:
        yield
        return
    semaphore, timeout = slots
    try:
        with anyio.fail_after(timeout):
            await semaphore.acquire()
    except TimeoutError:
        raise HTTPException(503, BUSY_FR, headers={"Retry-After": "5"}) from None
    try:
        yield
    finally:
        semaphore.release()


async def get_db(request: Request) -> AsyncIterator[Session]:
    async with _db_slot(request):  # on the event loop: waiting holds no thread, no connection
        db = request.app.state.sessions()
        try:
            yield db
        except BaseException:
            await anyio.to_thread.run_sync(_end, db, False)
            raise
        await anyio.to_thread.run_sync(_end, db, True)


# scope="function": commit before the response leaves, so a redirect never races the write.
Db = Annotated[Session, Depends(get_db, scope="function")]


# --- Plumbing of the policies (never a route's dependency on its own) ---------------------------


def current_session(request: Request, db: Db) -> tuple[User, WebSession]:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequired
    found = resolve_session(db, token, hours=request.app.state.settings.session_hours)
    if found is None:
        db.commit()  # keep the deletion of an expired session
        raise LoginRequired
    if len(db.dirty) == 1 and found[1] in db.dirty and not db.new and not db.deleted:
        # The sliding expiry (and nothing else), committed now: on SQLite the request's
        # session would otherwise hold the one write lock through the route, and a write of
        # the route in its own session (a search's embedding usage) would wait for it until
        # the busy timeout.
        db.commit()
    request.state.user = Viewer.of(found[0])
    request.state.csrf = found[1].csrf_token
    # One place for every session-based route (policies, streamed uploads, plugins): an
    # operator never reaches a collectivité's content.
    if request.state.user.operator and not request.url.path.startswith(OPERATOR_PATHS):
        raise OperatorOnly
    return found


SessionFound = Annotated[tuple[User, WebSession], Depends(current_session)]


async def check_csrf(request: Request, found: SessionFound) -> User:
    """Every state-changing request of a logged-in user carries the session's CSRF token."""
    if request.method in UNSAFE:
        sent = request.headers.get("x-csrf-token")
        if sent is None:
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else ""
        if not sent or not same(sent, found[1].csrf_token):
            raise CsrfFailed
    return found[0]


LoggedIn = Annotated[User, Depends(check_csrf)]


def api_user(request: Request, db: Db) -> User:
    """The holder of a valid API token (`Authorization: Bearer …`) who accepted the charter."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    user = api_tokens.authenticate(db, token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        message = "Jeton d'API absent, invalide, expiré ou révoqué."
        raise ApiError(401, message, "authentication_error")
    db.commit()  # keep last_used_at
    if needs_acceptance(db, user):
        raise ApiError(
            403,
            "Acceptez la charte d'utilisation de l'IA dans Civia (/charte) avant d'utiliser l'API.",
            "permission_error",
        )
    return user


# --- Policies -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """Who may call a route. `name` is the policy's name in the route matrix test."""

    name: str
    roles: frozenset[Role] = R.EVERYONE
    charter: bool = True  # the current charter accepted (else a redirect to /charte)
    operator: bool = False  # platform operators only
    credential: str = "session"  # "session", "api" (token), "session_or_api"


_POLICIES: dict[Callable[..., Any], Policy] = {}


def policy_of(call: Callable[..., Any] | None) -> Policy | None:
    """The policy a dependency enforces, or None when it is not a policy."""
    return _POLICIES.get(call) if call is not None else None


def _check(policy: Policy, request: Request, db: Session, user: User) -> User:
    # The charter first, as the router-wide gate did: a newcomer is sent to accept it.
    if policy.charter and needs_acceptance(db, user):
        raise CharterRequired(request.url.path)
    if policy.operator and not is_operator(user):
        raise HTTPException(403, NOT_OPERATOR)
    if user.role not in policy.roles:
        raise HTTPException(403, NO_RIGHTS)
    return user


def _session_policy(policy: Policy) -> Callable[..., User]:
    def dependency(request: Request, db: Db, user: LoggedIn) -> User:
        return _check(policy, request, db, user)

    dependency.__name__ = f"policy_{policy.name.lower()}"
    _POLICIES[dependency] = policy
    return dependency


def _streaming(request: Request, db: Db, found: SessionFound) -> tuple[User, WebSession]:
    """For routes that stream their body: the CSRF token is checked by the route as the form
    arrives (`civia.web.uploads.stream.csrf`), before the first file byte is written."""
    _check(_POLICIES[_streaming], request, db, found[0])
    return found


async def _api(user: Annotated[User, Depends(api_user)]) -> User:  # no I/O: no thread hop
    return user


def _user_or_api(request: Request, db: Db) -> User:
    """An API token when one is sent (a bad token is a 401, never a fallback to the cookie),
    else the session; no charter needed to read the API's description."""
    if request.headers.get("authorization"):
        return api_user(request, db)
    return current_session(request, db)[0]


_POLICIES[_streaming] = Policy("ANY_USER")
_POLICIES[_api] = Policy("API", credential="api")
_POLICIES[_user_or_api] = Policy("USER_OR_API", charter=False, credential="session_or_api")


def _role(name: str, roles: frozenset[Role] = R.EVERYONE, **options: Any) -> Any:
    return Depends(_session_policy(Policy(name, roles, **options)))


# Any logged-in user who accepted the charter.
CurrentUser = Annotated[User, _role("ANY_USER")]
# Any logged-in user, charter or not: the charter itself, training, one's own data, the hub.
UserBeforeCharter = Annotated[User, _role("ANY_USER", charter=False)]
AdminUser = Annotated[User, _role("ADMIN", R.ADMINS)]
# An admin may have to publish the charter before anyone (themselves included) accepts it.
AdminBeforeCharter = Annotated[User, _role("ADMIN", R.ADMINS, charter=False)]
DpoUser = Annotated[User, _role("DPO", R.DPOS)]
ComiteUser = Annotated[User, _role("COMITE", R.COMITE)]
SteeringUser = Annotated[User, _role("STEERING", R.STEERING)]
BuilderUser = Annotated[User, _role("BUILDERS", R.BUILDERS)]
KeeperUser = Annotated[User, _role("KEEPERS", R.KEEPERS)]
AuditorUser = Annotated[User, _role("AUDITORS", R.AUDITORS)]
CaseEditor = Annotated[User, _role("CASE_EDITORS", R.CASE_EDITORS)]
CaseViewer = Annotated[User, _role("CASE_VIEWERS", R.CASE_VIEWERS)]
PoolerUser = Annotated[User, _role("POOLERS", R.POOLERS)]
# Operators of the platform (shared services), who have no charter of a collectivité to accept.
OperatorUser = Annotated[User, _role("OPERATOR", operator=True, charter=False)]
# Any user who accepted the charter, for routes that stream their body and check CSRF as it
# arrives (see `civia.web.uploads.stream`): the session, to give `stream.csrf`.
FormSession = Annotated[tuple[User, WebSession], Depends(_streaming)]
# The OpenAI-compatible API: an API token, never the session cookie.
ApiUser = Annotated[User, Depends(_api)]
UserOrApi = Annotated[User, Depends(_user_or_api)]


def _web_session(found: SessionFound) -> WebSession:
    return found[1]


# Not a policy: the session row of the user a policy let in (to keep it when others are revoked).
CurrentWebSession = Annotated[WebSession, Depends(_web_session)]
SESSION_DATA = frozenset({_web_session})


def allow_assistant(db: Session, user: User, assistant_id: str) -> None:
    """The comité's kill switch and training requirements, before any use from the web: 403
    with the French reason."""

    try:
        guards.check_assistant(db, user=user, assistant_id=assistant_id, source="web")
    except guards.AssistantBlocked as exc:
        raise HTTPException(403, exc.message) from None
