"""The demo's catalogue: one of Démoville's assistants, published and named, loaded once."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from civia.accounts.models import Tenant
from civia.assistants.models import AssistantDefinition
from civia.catalogue import demo, entries
from civia.db.engine import session_scope
from tests.conftest import Personas


def test_demo_publishes_one_named_assistant_once(client: TestClient, personas: Personas) -> None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        demo.load(db, tenant)
        demo.load(db, tenant)
        live = entries.live(db)
        assert [(e.kind, e.source_key, e.version) for e in live] == [("assistant", demo.SLUG, 1)]
        assert entries.publisher(live[0]) == "Commune de Démoville"
        count = select(func.count()).select_from(AssistantDefinition)
        assert db.scalar(count.where(AssistantDefinition.slug == demo.SLUG)) == 1
