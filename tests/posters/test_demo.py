"""The demo collectivité comes with one event whose poster the agent can lay out at once."""

from __future__ import annotations

from sqlalchemy import select

from civia import demo
from civia.assistants.models import AssistantRun
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.jobs.models import Job
from civia.posters.content import Brand, from_model
from civia.posters.demo import NOTICE
from civia.settings import Settings


def test_the_demo_event_is_loaded_once_without_a_model_call(settings: Settings) -> None:
    engine = make_engine(settings.db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    for _ in range(2):
        with session_scope(sessions) as db:
            demo.load(db)
    with session_scope(sessions) as db:
        run = db.scalars(select(AssistantRun).where(AssistantRun.assistant_id == "affiche")).one()
        assert (run.status, run.model, run.warning) == ("draft", "", NOTICE)
        assert run.inputs["quand"] == "Samedi 20 juin 2026, de 18 h à minuit"
        poster = from_model(run.data or {}, Brand("Commune de Démoville"))
        assert poster.title == "Fête de la musique" and poster.pictogram == "musique"
        assert db.scalars(select(Job)).all() == []  # nothing waits for the model
    engine.dispose()
