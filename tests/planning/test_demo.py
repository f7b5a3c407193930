"""Démoville's synthetic planning data: every page shows something on first run."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from civia import demo
from civia.accounts.models import Role, User
from civia.app import create_app
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.governance import charter
from civia.planning.models import Candidate, Diagnostic, SurveyAnswer
from civia.settings import Settings
from tests.conftest import login, page_text


def test_demo_pages_show_synthetic_data(settings: Settings) -> None:
    engine = make_engine(settings.db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        demo.load(db)
    with session_scope(sessions) as db:
        demo.load(db)  # idempotent
        assert db.scalar(select(func.count(Diagnostic.id))) == 2
        assert db.scalar(select(func.count(SurveyAnswer.id))) == 40
        assert db.scalar(select(func.count(Candidate.id))) == 8
        pilotage = db.scalars(select(User).where(User.login == "pilotage")).one()
        charter.accept(db, pilotage, version=1)
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        login(client, "pilotage", demo.demo_password(Role.PILOTAGE))
        diag = page_text(client.get("/pilotage/diagnostic"))
        assert "Diagnostic actuel (fictif)" in diag and "Diagnostic initial (fictif)" in diag
        assert "Maturité moyenne" in diag or "Maturité élevée" in diag
        surveys = client.get("/pilotage/enquetes")
        assert "Vos irritants au travail (fictif)" in page_text(surveys)
        survey_page = client.get(
            "/pilotage/enquetes/" + surveys.text.split('href="/pilotage/enquetes/')[1].split('"')[0]
        )
        assert "40 réponses." in page_text(survey_page) and "Irritants cités" in page_text(
            survey_page
        )
        folio = page_text(client.get("/pilotage/portefeuille"))
        assert "Matrice de priorité" in folio and "Comptes rendus de réunion (fictif)" in folio
        assert "Règles des cercles" not in folio  # the demo follows its own rules
