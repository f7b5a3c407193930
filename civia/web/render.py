"""Template rendering with the context every page needs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from civia.accounts import roles
from civia.accounts.roles import ROLE_LABELS, Role
from civia.dates import date_fr, datetime_fr
from civia.providers.model_files import MODEL_ID
from civia.providers.models import HOSTING_LABELS, HostingClass

CORE = Path(__file__).parent / "templates"


def is_bundled_model(name: str) -> bool:
    """Whether a text came from the small model shipped with Civia (it invents facts)."""
    return name == MODEL_ID


def templates_for(folders: Sequence[Path] = ()) -> Jinja2Templates:
    """The templates of one app: the core folder first, then each plugin's folders."""
    found = Jinja2Templates(directory=[CORE, *folders])
    found.env.globals.update(
        ROLE_LABELS=ROLE_LABELS,
        HOSTING_LABELS=HOSTING_LABELS,
        Role=Role,
        roles=roles,  # the named role sets: `user.role in roles.AUDITORS`
        HostingClass=HostingClass,
        date_fr=date_fr,
        is_bundled_model=is_bundled_model,
        datetime_fr=datetime_fr,
    )
    return found


templates = templates_for()  # for code rendering outside a request (exports)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    user = context.setdefault("user", getattr(request.state, "user", None))
    context.setdefault("csrf_token", getattr(request.state, "csrf", ""))
    registries = getattr(request.app.state, "registries", None)
    role = getattr(user, "role", None)
    context.setdefault("menu_links", registries.menu_for(role) if registries else [])
    context.setdefault("notices", registries.notices_for(role) if registries else [])
    found = getattr(request.app.state, "templates", templates)
    return found.TemplateResponse(request, name, context, status_code=status_code)
