"""Small helpers of the governance pages: date bounds of a filter, redirects with a message.
(Their authorisation is `civia.web.deps`, as everywhere.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote

from fastapi import HTTPException, Response
from fastapi.responses import RedirectResponse


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
