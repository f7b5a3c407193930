"""Home: the assistants a user may use and their recent conversations."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from civia.assistants import access
from civia.chat import conversations
from civia.governance import standing
from civia.providers import registry
from civia.providers.models import Provider
from civia.web.deps import CurrentUser, Db
from civia.web.render import render

router = APIRouter()
# Confirmations shown after an action that comes back to the home page (`?ok=<key>`).
CONFIRMATIONS = {"conversation-supprimee": "La conversation a été supprimée."}


@router.get("/")
def home(request: Request, db: Db, user: CurrentUser, ok: str = "") -> Response:
    providers = (
        db.query(Provider)
        .filter_by(tenant_id=user.tenant_id, capability="chat", enabled=True)
        .all()
    )
    return render(
        request,
        "home.html",
        assistants=access.available(db, user),
        unreviewed=standing.unreviewed(db, user.tenant_id),
        recent=conversations.list_for(db, user=user, limit=8),
        # Answers come from the default provider: warn while it is the bundled model, whatever
        # other provider is enabled (one without a key may answer nothing).
        only_local=_default_is_bundled(providers),
        confirmation=CONFIRMATIONS.get(ok, ""),
    )


def _default_is_bundled(providers: list[Provider]) -> bool:
    default = next((p for p in providers if p.is_default), providers[0] if providers else None)
    return default is None or registry.in_process("chat", default.kind)


@router.get("/sante")
def health(request: Request, db: Db) -> dict[str, str]:
    from sqlalchemy import text

    db.execute(text("SELECT 1"))
    return {"status": "ok"}
