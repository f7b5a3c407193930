"""The satisfaction survey in the browser's shoes: the prompt on every page, the accessible form,
errors, dismissal; pilotage's results (hidden below 5), CSV, roles and other tenants; the demo's
synthetic answers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from civia.governance.models import CharterAcceptance
from civia.steering import survey
from civia.steering.demo import load as load_synthetic
from civia.steering.demo import remove as remove_synthetic
from civia.steering.models import SurveyAnswer, SurveyTurn
from civia.usage import rates
from tests.conftest import Personas, login_as, page_text
from tests.steering.helpers import call
from tests.steering.test_survey import world  # noqa: F401  (fixture)

SERVICE_A = ("agent", "referent", "comite", "dpo", "pilotage", "admin")


def _open_j15(client: TestClient, personas: Personas) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        row = rates.settings_row(db, personas.tenant.id)
        row.launch_dates = {"all": (survey.today() - timedelta(days=16)).isoformat()}
        db.commit()


def _answer(client: TestClient, login: str, ease: str = "4", recommend: str = "9",
            improve: str = "") -> int:  # fmt: skip
    client.cookies.clear()
    headers = login_as(client, login)
    resp = client.post("/satisfaction", data={"vague": "J+15", "ease": ease,
                       "recommend": recommend, "improve": improve}, headers=headers,
                       follow_redirects=False)  # fmt: skip
    return resp.status_code


def test_an_agent_is_prompted_answers_once_and_stays_anonymous(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "agent")
    home = BeautifulSoup(client.get("/").text, "html.parser")
    assert home.find(attrs={"hx-get": "/satisfaction/bandeau"})  # the layout loads the prompt
    assert client.get("/satisfaction/bandeau").text == ""  # no launch date yet: nothing
    _open_j15(client, personas)
    notice = BeautifulSoup(client.get("/satisfaction/bandeau").text, "html.parser")
    assert "Votre avis sur Civia (J+15)" in notice.get_text()
    buttons = [b.get_text(strip=True) for b in notice.find_all("button")]
    assert buttons == ["Plus tard", "Ne plus proposer pour cette vague"]
    form = BeautifulSoup(client.get("/satisfaction").text, "html.parser")
    legends = [f.legend.get_text(" ", strip=True) for f in form.find_all("fieldset")]
    assert legends[0].startswith("1. Civia facilite-t-il votre travail ?")
    assert legends[1].startswith("2. Recommanderiez-vous Civia à un collègue ?")
    assert len(form.find_all("input", attrs={"name": "ease", "type": "radio"})) == 5
    assert len(form.find_all("input", attrs={"name": "recommend", "type": "radio"})) == 11
    assert form.find("label", attrs={"for": "improve"}) and form.find("textarea", id="improve")
    # a bad answer: 422, a French message, the other values kept, nothing stored
    resp = client.post("/satisfaction", data={"vague": "J+15", "ease": "9", "recommend": "7",
                       "improve": "Plus rapide"}, headers=headers)  # fmt: skip
    assert resp.status_code == 422 and "Choisissez une note de 1 à 5." in page_text(resp)
    kept = BeautifulSoup(resp.text, "html.parser")
    assert kept.find("input", attrs={"name": "recommend", "value": "7"}).has_attr("checked")
    assert kept.find("textarea", id="improve").get_text() == "Plus rapide"
    resp = client.post("/satisfaction", data={"vague": "J+15", "ease": "4", "recommend": "9",
                       "improve": ""}, headers=headers, follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303 and resp.headers["location"] == "/satisfaction?merci=1"
    assert "Merci" in page_text(client.get("/satisfaction?merci=1"))
    assert client.get("/satisfaction/bandeau").text == ""  # once per wave
    again = client.post("/satisfaction", data={"vague": "J+15", "ease": "1", "recommend": "0"},
                        headers=headers)  # fmt: skip
    assert again.status_code == 422 and "plus ouverte" in page_text(again)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        rows = db.scalars(select(SurveyAnswer)).all()
        assert [(r.ease, r.recommend, r.service_id) for r in rows] == [
            (4, 9, personas.service_a.id)
        ]
        turn = db.scalars(select(SurveyTurn)).one()
        assert (turn.user_id, turn.status) == (personas["agent"].id, "answered")


def test_no_prompt_before_the_charter_is_accepted(client: TestClient, personas: Personas) -> None:
    """The pages leading to the charter load the prompt too: it answers empty there (a
    redirection to the charter from the fragment would loop)."""
    _open_j15(client, personas)
    login_as(client, "agent")
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        db.execute(
            delete(CharterAcceptance).where(CharterAcceptance.user_id == personas["agent"].id)
        )
        db.commit()
    resp = client.get("/satisfaction/bandeau", follow_redirects=False)
    assert resp.status_code == 200 and resp.text == ""
    assert client.get("/satisfaction", follow_redirects=False).status_code == 303  # to /charte


def test_later_and_never_hide_the_prompt(client: TestClient, personas: Personas) -> None:
    _open_j15(client, personas)
    headers = login_as(client, "agent")
    resp = client.post("/satisfaction/plus-tard", data={"vague": "J+15"},
                       headers=headers | {"HX-Request": "true"})  # fmt: skip
    assert resp.status_code == 200 and "C'est noté" in page_text(resp)
    assert client.get("/satisfaction/bandeau").text == ""
    client.cookies.clear()
    headers = login_as(client, "bob")
    resp = client.post("/satisfaction/ne-plus-proposer", data={"vague": "J+15"}, headers=headers,
                       follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303 and resp.headers["location"] == "/"
    assert client.get("/satisfaction/bandeau").text == ""
    assert "Aucune enquête n'est en cours" in page_text(client.get("/satisfaction"))
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.scalar(select(func.count(SurveyAnswer.id))) == 0
        statuses = sorted(db.scalars(select(SurveyTurn.status)).all())
        assert statuses == ["dismissed", "later"]
    # without a session: to the login page
    client.cookies.clear()
    assert client.post("/satisfaction/plus-tard", data={"vague": "J+15"},
                       follow_redirects=False).status_code in (303, 401, 403)  # fmt: skip


def test_pilotage_sees_results_from_five_answers(client: TestClient, personas: Personas) -> None:
    _open_j15(client, personas)
    for login, (ease, rec) in zip(SERVICE_A[:4], [(5, 10), (4, 9), (3, 7), (2, 3)], strict=True):
        assert _answer(client, login, str(ease), str(rec)) == 303
    client.cookies.clear()
    login_as(client, "pilotage")
    page = page_text(client.get("/pilotage/satisfaction"))
    assert "4 réponses sur 5 nécessaires" in page and "Facilité moyenne" in page
    rows = list(
        csv.reader(
            io.StringIO(client.get("/pilotage/satisfaction/export.csv").text.lstrip("\ufeff"))
        )
    )
    population = next(r for r in rows if r[0] == "Population")
    assert population[3:7] == ["4", "6", "66.7", "masqué (moins de 5 réponses)"]
    assert _answer(client, "pilotage", "1", "0") == 303
    client.cookies.clear()
    headers = login_as(client, "pilotage")
    soup = BeautifulSoup(client.get("/pilotage/satisfaction").text, "html.parser")
    row = next(tr for tr in soup.find("table").tbody.find_all("tr")
               if tr.th.get_text(strip=True) == "Population")  # fmt: skip
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    # ease (5+4+3+2+1)/5 = 3; promoters 2 (10, 9), passives 1 (7), detractors 2 (3, 0): NPS 0
    assert cells[2:] == ["5 sur 6 comptes (83 %)", "3", "0", "2 / 1 / 2"]
    rows = list(
        csv.reader(
            io.StringIO(client.get("/pilotage/satisfaction/export.csv").text.lstrip("\ufeff"))
        )
    )
    population = next(r for r in rows if r[0] == "Population")
    assert population[2:12] == ["J+15", "5", "6", "83.3", "5", "3.00", "0", "2", "1", "2"]
    # the dashboard's satisfaction block
    board = page_text(client.get("/pilotage"))
    assert "Enquête de satisfaction des agents" in board
    # the J+15 review of the service carries its wave's results
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        for login in SERVICE_A:
            call(db, personas[login], days_ago=1, now=datetime.now(UTC))
        db.commit()
    launch = (survey.today() - timedelta(days=16)).isoformat()
    resp = client.post("/pilotage/revues", data={"milestone": "15", "launch": launch,
                       "service": str(personas.service_a.id)}, headers=headers)  # fmt: skip
    review = page_text(resp)
    assert resp.status_code == 200 and "Enquête de satisfaction J+15" in review
    assert "facilité 3 / 5, NPS +0 (5 réponses)" in review
    # agents do not see the results; Autreville's admin sees none of Démoville's
    client.cookies.clear()
    login_as(client, "agent")
    assert client.get("/pilotage/satisfaction").status_code == 403
    assert client.get("/pilotage/satisfaction/export.csv").status_code == 403
    client.cookies.clear()
    login_as(client, "olivia")
    other = page_text(client.get("/pilotage/satisfaction"))
    assert "Population" not in other and "Aucune vague ouverte" in other


def test_the_demo_adds_synthetic_answers_apart(world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    db, personas = world
    tenant_id = personas.tenant.id
    assert load_synthetic(db, tenant_id) > 0
    from civia.steering import survey_results

    fake = survey_results.by_service(db, tenant_id, synthetic=True, today=survey.today())
    assert any(not r.hidden for r in fake) and sum(r.answers for r in fake) > 5
    assert all(r.ease_mean is None or 1 <= r.ease_mean <= 5 for r in fake)
    real = survey_results.by_service(db, tenant_id, synthetic=False, today=survey.today())
    assert sum(r.answers for r in real) == 0
    # the launch date the demo set opens the J+90 wave for the real personas
    assert survey.offered(db, personas["agent"], survey.today()) is not None
    remove_synthetic(db, tenant_id)
    assert db.scalar(select(func.count(SurveyAnswer.id))) == 0
