"""The demo turns Démoville's public assistant on over its FAQ and guide (synthetic, marked),
writing to the demo mailbox, and its transparency page lists it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from civia import demo
from civia.app import create_app
from civia.citizens.models import PublicAssistant
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.documents.models import Collection
from civia.mailbox.models import Mailbox
from civia.settings import Settings
from tests.conftest import page_text


def test_demo_publishes_faq_and_guide_and_is_listed(settings: Settings) -> None:
    engine = make_engine(settings.db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    for _ in range(2):  # idempotent
        with session_scope(sessions) as db:
            demo.load(db, settings.data_dir)
    with session_scope(sessions) as db:
        [row] = db.scalars(select(PublicAssistant)).all()
        names = set(
            db.scalars(select(Collection.name).where(Collection.id.in_(row.collection_ids)))
        )
        assert row.enabled and names == {
            "FAQ de la mairie (démo)",
            "Guide pratique des habitants (démo)",
        }
        assert row.mailbox_id == db.scalar(select(Mailbox.id))
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        register = page_text(client.get("/transparence/demoville"))
        assert "Assistant public du site internet (démo)" in register
        page = page_text(client.get("/citoyens/demoville"))
        assert "démonstration" in page and "intelligence artificielle" in page
        client.app.state.engine.dispose()  # type: ignore[attr-defined]
