"""Free-text survey answers grouped into candidate use cases: the keyword grouping, the checks
on the model's proposal, pilotage's decisions, the anonymity threshold."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.planning import themes
from civia.planning.models import Candidate, SurveyTheme
from civia.planning.themes import Item
from tests.conftest import Personas, login, page_text


def _text(resp: object) -> str:
    """The page's visible text, whitespace collapsed."""
    soup = BeautifulSoup(resp.text, "html.parser")  # type: ignore[attr-defined]
    return " ".join(soup.get_text(" ").split())


COURRIELS = [
    "Répondre aux courriels des usagers sur l'état civil",
    "les courriels répétitifs : une réponse type",
    "Trier les courriels entrants",
    "Un modèle de réponse aux courriels",
    "Beaucoup de Courriels le lundi",
]
OTHER = ["Les plannings de la cantine", "Saisir les factures", "Les plannings des salles"]


def test_keyword_groups_need_five_answers_and_are_deterministic() -> None:
    items = [Item(i, t) for i, t in enumerate(COURRIELS + OTHER)]
    groups = themes.by_keywords(items)
    assert [(g.title, g.size) for g in groups] == [("Courriels (réponse)", 5)]
    assert {item.text for item in groups[0].items} == set(COURRIELS)
    assert themes.by_keywords(list(reversed(items))) == [
        themes.Group(groups[0].title, tuple(reversed(groups[0].items)))
    ]
    assert themes.by_keywords(items[1:]) == []  # 4 answers: no group
    # Two texts of one answer count once: still 4 answers.
    doubled = [Item(i, t) for i, t in enumerate(COURRIELS[:4])] + [Item(3, "courriels encore")]
    assert themes.by_keywords(doubled) == []
    # Masked personal data is never a keyword.
    masked = [Item(i, f"Appeler [PERSONNE_1] pour le dossier {i}") for i in range(6)]
    assert [g.title for g in themes.by_keywords(masked)] == ["Appeler (dossier)"]


def test_the_models_proposal_is_checked_and_counted_by_civia() -> None:
    items = [Item(i, t) for i, t in enumerate(COURRIELS + OTHER)]
    answer = {
        "groupes": [
            {"titre": "  Réponses   aux courriels ", "reponses": [1, 2, 3, 4, 5, 5, 99, "x"]},
            {"titre": "Plannings", "reponses": [6, 8, 1]},  # 1 already taken; 2 answers
            "pas un groupe",
        ]
    }
    groups = themes.from_model(json.dumps(answer), items)
    assert [(g.title, g.size) for g in groups] == [("Réponses aux courriels", 5)]
    short = {"groupes": [{"titre": "Courriels", "reponses": [1, 2, 3, 4]}]}
    assert themes.from_model(json.dumps(short), items) == []  # 4 answers: dropped
    for bad in ("pas du JSON", '{"groups": []}', '{"groupes": 3}'):
        with pytest.raises(themes.ThemeError, match="regroupement lisible"):
            themes.from_model(bad, items)


def _survey(client: TestClient) -> tuple[str, str, str]:
    csrf = login(client, "pilotage")
    page = client.post("/pilotage/enquetes", data={"csrf_token": csrf, "title": "Besoins"})
    link = re.search(r'value="http://testserver(/enquete/[^"]+)"', page.text)
    assert link
    return csrf, page.url.path, link.group(1)


def _answer(client: TestClient, link: str, wish: str) -> None:
    data = {"irritants": ["saisie"], "hours_per_week": "4", "ai_use": "jamais", "wishes": wish}
    assert client.post(link, data=data).status_code == 200


def test_pilotage_confirms_groups_from_five_answers(client: TestClient, personas: Personas) -> None:
    csrf, page, link = _survey(client)
    anonymous = TestClient(client.app)  # no account, no cookie
    for wish in COURRIELS[:4]:
        _answer(anonymous, link, wish)
    propose = {"csrf_token": csrf, "method": "mots-cles"}
    refused = client.post(f"{page}/regroupements", data=propose)
    assert "Il faut au moins 5 réponses libres publiées" in page_text(refused)
    assert "une réponse type" not in page_text(client.get(page))
    _answer(anonymous, link, COURRIELS[4])
    done = client.post(f"{page}/regroupements", data=propose)
    text = _text(done)
    assert "1 regroupement proposé" in text
    assert "Courriels (réponse) 5 réponses · mots-clés partagés · À confirmer" in text
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        theme = db.scalars(select(SurveyTheme)).one()
    url = f"{page}/regroupements/{theme.id}"
    accepted = client.post(
        url, data={"csrf_token": csrf, "action": "accept", "title": "Réponses aux courriels"}
    )
    assert "Cas candidat ajouté depuis les réponses libres" in page_text(accepted)
    assert "Besoin exprimé dans 5 réponses libres" in page_text(accepted)
    twice = client.post(url, data={"csrf_token": csrf, "action": "discard"})
    assert "Ce regroupement a déjà été traité." in page_text(twice)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        case = db.scalars(select(Candidate)).one()
        assert (case.title, case.source) == ("Réponses aux courriels", "enquete")
        theme = db.get(SurveyTheme, theme.id)
        assert (theme.status, theme.candidate_id) == ("accepted", case.id)
    # A second proposal replaces pending ones only; a discarded one stays discarded.
    client.post(f"{page}/regroupements", data=propose)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        rows = db.scalars(select(SurveyTheme).order_by(SurveyTheme.id)).all()
        assert [r.status for r in rows] == ["accepted", "proposed"]
        pending = rows[1].id
    client.post(f"{page}/regroupements/{pending}", data={"csrf_token": csrf, "action": "discard"})
    assert "Écarté" in _text(client.get(page))
    csrf = login(client, "olivia")  # another collectivité
    assert (
        client.post(f"{page}/regroupements", data=propose | {"csrf_token": csrf}).status_code == 404
    )
    theme_url = f"{page}/regroupements/{pending}"
    assert client.post(theme_url, data={"csrf_token": csrf, "action": "accept"}).status_code == 404


@pytest.mark.model
def test_the_local_model_proposes_groups(client: TestClient, personas: Personas) -> None:
    """One short real call: five answers about e-mails; whatever the model proposes, Civia
    keeps only groups it counted at five answers or more."""
    from civia.jobs.models import Job
    from civia.jobs.worker import Worker

    csrf, page, link = _survey(client)
    anonymous = TestClient(client.app)
    for wish in COURRIELS:
        _answer(anonymous, link, wish)
    queued = client.post(f"{page}/regroupements", data={"csrf_token": csrf, "method": "modele"})
    assert "/travaux/" in str(queued.url)
    assert "Regroupement des réponses d'une enquête" in page_text(queued)
    app = client.app
    assert Worker(app.state.sessions, app.state.settings, {}).run_once("redaction")  # type: ignore[attr-defined]
    with app.state.sessions() as db:  # type: ignore[attr-defined]
        job = db.scalars(select(Job)).one()
        assert job.status == "done", job.error
        rows = db.scalars(select(SurveyTheme)).all()
        assert job.result["groups"] == len(rows)
        assert all(r.size == 5 and r.method == "modele" and r.title for r in rows)
