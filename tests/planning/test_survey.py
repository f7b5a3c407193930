"""The anonymous agent survey: the public link, the anonymity rules, aggregation."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.audit.models import AuditEntry
from civia.db.base import Base
from civia.planning.models import SurveyAnswer
from tests.conftest import Personas, login, page_text

UA = "Navigateur-Temoin/9.9"
IP = "203.0.113.77"


def _text(resp: object) -> str:
    """The page's visible text, whitespace collapsed."""
    soup = BeautifulSoup(resp.text, "html.parser")  # type: ignore[attr-defined]
    return " ".join(soup.get_text(" ").split())


def _open(client: TestClient, title: str = "Vos irritants") -> tuple[str, str]:
    """As pilotage: open a survey; return its page and its public link's path."""
    csrf = login(client, "pilotage")
    page = client.post("/pilotage/enquetes", data={"csrf_token": csrf, "title": title})
    assert page.status_code == 200, page.text
    link = re.search(r'value="http://testserver(/enquete/[^"]+)"', page.text)
    assert link
    return page.url.path, link.group(1)


def _answer(client: TestClient, link: str, **extra: object) -> object:
    data: dict[str, object] = {
        "irritants": ["courriels", "arretes"],
        "hours_per_week": "6",
        "ai_use": "parfois",
    }
    data.update(extra)
    return client.post(link, data=data)


def test_results_only_from_five_answers(client: TestClient, personas: Personas) -> None:
    page, link = _open(client)
    anonymous = TestClient(client.app)  # a private window: no cookie
    assert "Votre anonymat est garanti" in page_text(anonymous.get(link))
    for hours in ("2", "4", "6", "8"):
        resp = _answer(anonymous, link, hours_per_week=hours)
        assert resp.status_code == 200 and "réponse anonyme est enregistrée" in page_text(resp)
    four = page_text(client.get(page))
    assert "4 réponses." in four and "à partir de 5 réponses (encore 1 à recevoir)" in four
    assert "Irritants cités" not in four and "Moyenne" not in four
    _answer(anonymous, link, hours_per_week="10", irritants=["saisie"], ai_use="jamais")
    five = _text(client.get(page))
    assert "5 réponses." in five and "Irritants cités" in five
    assert "Moyenne : 6,0 h par semaine" in five and "30 heures par semaine pour les 5" in five
    # Démoville's 7 active accounts × 6 h.
    assert "environ 42 heures par semaine pour les 7 agents ayant un compte" in five
    # 4 of 5 cited citizen e-mails: 80 %.
    assert "Répondre aux courriels récurrents des usagers 4 80 %" in five
    # A sixth answer changes nothing until the next group of five is complete.
    _answer(anonymous, link, hours_per_week="40", irritants=["tri"], ai_use="souvent")
    six = _text(client.get(page))
    assert "6 réponses." in six and "calculés sur les 5 premières" in six
    assert "Moyenne : 6,0 h par semaine" in six and "Trier et orienter" not in six


def test_nothing_about_the_respondent_is_stored(client: TestClient, personas: Personas) -> None:
    _, link = _open(client)
    login(client, "agent")  # a logged-in agent answers: still no link to the account
    before = client.app.state.sessions().scalar(
        select(AuditEntry.id).order_by(AuditEntry.id.desc())
    )
    resp = client.post(
        link,
        data={
            "irritants": ["saisie"],
            "hours_per_week": "5",
            "ai_use": "souvent",
            "wishes": "Que Jean Dupont (06 12 34 56 78, jean.dupont@demoville.fr) "
            "arrête de ressaisir les factures.",
        },
        headers={"User-Agent": UA, "X-Forwarded-For": IP},
    )
    assert resp.status_code == 200 and "set-cookie" not in resp.headers
    with client.app.state.sessions() as db:
        answer = db.scalars(select(SurveyAnswer)).one()
        assert "Dupont" not in answer.wishes and "06 12" not in answer.wishes
        assert "@demoville.fr" not in answer.wishes and "ressaisir les factures" in answer.wishes
        assert "[" in answer.wishes  # placeholders
        assert set(SurveyAnswer.__table__.columns.keys()) == {
            "id",
            "survey_id",
            "tenant_id",
            "irritants",
            "irritant_other",
            "hours_per_week",
            "ai_use",
            "ai_tasks",
            "fears",
            "wishes",
        }  # no user, time, IP or user agent column
        # Nowhere in the database: every table, every value.
        for table in Base.metadata.sorted_tables:
            for row in db.execute(table.select()):
                flat = " ".join(str(v) for v in row)
                assert IP not in flat and UA not in flat and "testclient" not in flat, table.name
        after = db.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()))
        assert after == before  # answering is not audited either


def test_bad_answers_closed_surveys_and_unknown_links(
    client: TestClient, personas: Personas
) -> None:
    page, link = _open(client)
    anonymous = TestClient(client.app)
    too_many = _answer(anonymous, link, irritants=["courriels", "arretes", "saisie", "tri"])
    assert too_many.status_code == 422 and "trois irritants au plus" in page_text(too_many)
    hours = _answer(anonymous, link, hours_per_week="99")
    assert hours.status_code == 422 and "de 0 à 45" in page_text(hours)
    none = _answer(anonymous, link, irritants=[])
    assert none.status_code == 422 and "au moins un irritant" in page_text(none)
    csrf = login(client, "pilotage")
    client.post(f"{page}/clore", data={"csrf_token": csrf})
    closed = _answer(anonymous, link)
    assert closed.status_code == 409 and "Cette enquête est close" in page_text(closed)
    assert anonymous.get("/enquete/jeton-inexistant-0123456789").status_code == 404
    with client.app.state.sessions() as db:
        assert db.scalars(select(SurveyAnswer)).all() == []


def test_surveys_stay_in_their_collectivite(client: TestClient, personas: Personas) -> None:
    page, _ = _open(client, "Enquête de Démoville")
    login(client, "olivia")
    assert client.get(page).status_code == 404
    assert "Enquête de Démoville" not in client.get("/pilotage/enquetes").text
    assert (
        client.post(f"{page}/clore", data={"csrf_token": login(client, "olivia")}).status_code
        == 404
    )
    login(client, "agent")
    assert client.get("/pilotage/enquetes").status_code == 403


def test_the_access_log_drops_survey_requests() -> None:
    import logging

    from civia.planning import logfilter

    logfilter.install()
    logfilter.install()  # once only
    logger = logging.getLogger(logfilter.ACCESS_LOGGER)
    assert sum(isinstance(f, logfilter.SurveyRequests) for f in logger.filters) == 1

    def record(path: str) -> logging.LogRecord:
        return logging.LogRecord(
            logfilter.ACCESS_LOGGER, logging.INFO, __file__, 1,
            '%s - "%s %s HTTP/%s" %d', (f"{IP}:5123", "POST", path, "1.1", 200), None,
        )  # fmt: skip

    assert not logger.filter(record("/enquete/AbCdEf0123456789xyz"))
    assert logger.filter(record("/pilotage/enquetes/1"))


def test_free_texts_are_grouped_without_arrival_order() -> None:
    from civia.planning.survey import _grouped

    texts = ["Zéro papier.", "", "Des comptes rendus  automatiques.", "zéro papier.",
             "Des comptes rendus automatiques.", "   "]  # fmt: skip
    assert _grouped(texts) == [
        ("Des comptes rendus automatiques.", 2),
        ("Zéro papier.", 1),
        ("zéro papier.", 1),
    ]
