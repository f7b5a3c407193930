"""Dependencies of the governance pages: role checks, the charter gate, small helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote

from fastapi import HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from civia.accounts.models import Role, User
from civia.governance.charter import needs_acceptance
from civia.web.deps import CurrentUser, Db
from civia.web.redirects import safe_next

NO_RIGHTS = "Vous n'avez pas les droits nécessaires pour cette page."
CHARTER_FIRST = "Acceptez la charte d'utilisation de l'IA avant d'utiliser Civia."


class CharterRequired(Exception):
    """The user has not accepted the current charter; turned into a redirect to /charte."""

    def __init__(self, path: str = "/") -> None:
        super().__init__(path)
        self.path = path


async def charter_required(request: Request, exc: Exception) -> Response:
    """Exception handler for `CharterRequired` (API and htmx callers get a JSON 403)."""
    target = exc.path if isinstance(exc, CharterRequired) and request.method == "GET" else "/"
    location = f"/charte?suivant={quote(safe_next(target))}"
    wants_json = request.url.path.startswith(("/v1/", "/api/")) or "application/json" in (
        request.headers.get("accept", "")
    )
    if wants_json or request.headers.get("hx-request"):
        return JSONResponse(
            {"detail": CHARTER_FIRST}, status_code=403, headers={"HX-Redirect": location}
        )
    return RedirectResponse(location, status_code=303)


def require_charter(request: Request, db: Db, user: CurrentUser) -> User:
    """Add to every router of Civia except login, /charte, /compte/mes-donnees, /transparence."""
    if needs_acceptance(db, user):
        raise CharterRequired(request.url.path)
    return user


def allow(*roles: Role, charter: bool = True) -> Callable[..., User]:
    """The user, if their role is among `roles` (all roles when empty) and, unless
    `charter=False`, they accepted the current charter."""

    def dependency(request: Request, db: Db, user: CurrentUser) -> User:
        if roles and user.role_enum not in roles:
            raise HTTPException(403, NO_RIGHTS)
        if charter and needs_acceptance(db, user):
            raise CharterRequired(request.url.path)
        return user

    return dependency


def day(value: str, *, end: bool = False) -> datetime | None:
    """A date field (AAAA-MM-JJ) as a UTC bound; `end` gives the next midnight (exclusive)."""
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"Date invalide : « {value} » (format AAAA-MM-JJ).") from None
    moment = datetime.combine(parsed, time.min, tzinfo=UTC)
    return moment + timedelta(days=1) if end else moment


def back(path: str, message: str) -> Response:
    return RedirectResponse(f"{path}?ok={quote(message)}", status_code=303)
