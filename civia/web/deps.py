"""Request dependencies: database session, current user, role checks, CSRF."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from civia.accounts.models import Role, User, WebSession
from civia.accounts.sessions import resolve_session
from civia.accounts.tokens import same
from civia.governance import guards

SESSION_COOKIE = "civia_session"
LOGIN_CSRF_COOKIE = "civia_login_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


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
        operator = user.tenant.kind == "platform"
        return cls(
            user.id, user.login, user.display_name, user.role, service, user.tenant.name, operator
        )


class LoginRequired(Exception):
    """Raised for anonymous or expired sessions; turned into a redirect to the login page."""


class CsrfFailed(Exception):
    pass


class OperatorOnly(Exception):
    """A platform operator asked for a collectivité's page: they only see /plateforme."""


OPERATOR_PATHS = ("/plateforme", "/deconnexion")


def get_db(request: Request) -> Iterator[Session]:
    db = request.app.state.sessions()
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise
    finally:
        db.close()


# scope="function": commit before the response leaves, so a redirect never races the write.
Db = Annotated[Session, Depends(get_db, scope="function")]


def current_session(request: Request, db: Db) -> tuple[User, WebSession]:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequired
    found = resolve_session(db, token, hours=request.app.state.settings.session_hours)
    if found is None:
        db.commit()  # keep the deletion of an expired session
        raise LoginRequired
    request.state.user = Viewer.of(found[0])
    request.state.csrf = found[1].csrf_token
    # One place for every session-based route (gated, streamed uploads, plugins): an operator
    # never reaches a collectivité's content.
    if request.state.user.operator and not request.url.path.startswith(OPERATOR_PATHS):
        raise OperatorOnly
    return found


async def check_csrf(
    request: Request, found: Annotated[tuple[User, WebSession], Depends(current_session)]
) -> User:
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


CurrentUser = Annotated[User, Depends(check_csrf)]


def require_role(*roles: Role) -> Callable[[User], User]:
    def dependency(user: CurrentUser) -> User:
        if user.role_enum not in roles:
            raise HTTPException(403, "Vous n'avez pas les droits nécessaires pour cette page.")
        return user

    return dependency


AdminUser = Annotated[User, Depends(require_role(Role.ADMIN))]


def allow_assistant(db: Session, user: User, assistant_id: str) -> None:
    """The comité's kill switch and training requirements, before any use from the web: 403
    with the French reason."""

    try:
        guards.check_assistant(db, user=user, assistant_id=assistant_id, source="web")
    except guards.AssistantBlocked as exc:
        raise HTTPException(403, exc.message) from None
