"""Template rendering with the context every page needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from civia.db.models import HOSTING_LABELS, ROLE_LABELS, HostingClass, Role

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals.update(
    ROLE_LABELS=ROLE_LABELS, HOSTING_LABELS=HOSTING_LABELS, Role=Role, HostingClass=HostingClass
)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("user", getattr(request.state, "user", None))
    context.setdefault("csrf_token", getattr(request.state, "csrf", ""))
    return templates.TemplateResponse(request, name, context, status_code=status_code)
