"""Governance pages, gathered in one router.

The gov_* modules each hold one area (audit, charter and training, use cases, incidents,
public transparency, retention and rights); this one adds the hub page at /gouvernance.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from civia.governance import acculturation, charter
from civia.web.deps import Db, UserBeforeCharter
from civia.web.render import render
from civia.web.routes import (
    gov_audit,
    gov_charter,
    gov_citizen,
    gov_fria,
    gov_incidents,
    gov_public,
    gov_review,
    gov_rights,
    gov_training,
    gov_usecases,
)

__all__ = ["router"]

router = APIRouter()
_MODULES = (
    gov_audit,
    gov_charter,
    gov_training,
    gov_usecases,
    gov_fria,
    gov_incidents,
    gov_public,
    gov_review,
    gov_citizen,  # before gov_rights: /droits/personne-citee/… is not /droits/{user_id}/…
    gov_rights,
)
for _module in _MODULES:
    router.include_router(_module.router)


@router.get("/gouvernance")
def hub(request: Request, db: Db, user: UserBeforeCharter) -> Response:
    return render(
        request,
        "governance/hub.html",
        charter_ok=not charter.needs_acceptance(db, user),
        trained=acculturation.completed(db, user),
        slug=user.tenant.slug,
    )
