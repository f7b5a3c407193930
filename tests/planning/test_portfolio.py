"""The use-case portfolio: group scores, circle rules, matrix, one-click draft and card."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.assistants.models import AssistantDefinition
from civia.audit.models import AuditEntry
from civia.governance.models import UseCase
from civia.planning import portfolio
from civia.planning.models import Candidate
from tests.conftest import Personas, login, page_text


def _db(client: TestClient) -> Session:
    return client.app.state.sessions()  # type: ignore[attr-defined,no-any-return]


def test_group_scores_priority_and_spread(client: TestClient, personas: Personas) -> None:
    with _db(client) as db:
        users = {u: db.merge(personas[u]) for u in ("pilotage", "admin", "comite")}
        case = portfolio.create(db, user=users["pilotage"], title="Réponses aux courriels")
        marks = {"pilotage": ("5", "4", "2"), "admin": ("3", "4", "5"), "comite": ("4", "4", "5")}
        for login_, (impact, ease, acc) in marks.items():
            portfolio.rate(
                db,
                user=users[login_],
                case=case,
                marks={"impact": impact, "ease": ease, "acceptability": acc},
            )
        portfolio.rate(
            db,
            user=users["comite"],
            case=case,  # a second rating replaces the first
            marks={"impact": "4", "ease": "4", "acceptability": "2"},
        )
        item = portfolio.scored(db, personas.tenant.id, users["admin"].id)[0]
        assert item.scorers == 3
        assert item.means == {"impact": 4.0, "ease": 4.0, "acceptability": 3.0}
        assert item.spreads == {"impact": 2, "ease": 0, "acceptability": 3}
        assert item.priority == 16.0 and item.quadrant == "Prioritaire"
        assert item.disputed == ["Acceptabilité par les agents"]
        assert item.mine == {"impact": 3, "ease": 4, "acceptability": 5}
        try:
            portfolio.rate(
                db,
                user=users["admin"],
                case=case,
                marks={"impact": "6", "ease": "4", "acceptability": "4"},
            )
        except portfolio.PortfolioError as exc:
            assert "Impact métier mesurable : notez de 1 à 5." in str(exc)
        else:
            raise AssertionError("a mark of 6 was accepted")
        db.rollback()


def test_circle_rules(client: TestClient, personas: Personas) -> None:
    services = {personas.service_a.id: "Population", personas.service_b.id: "Urbanisme"}
    with _db(client) as db:
        user = db.merge(personas["pilotage"])
        later = portfolio.create(db, user=user, title="Transcription des conseils", circle=2)
        items = portfolio.scored(db, personas.tenant.id)
        assert portfolio.warnings(items, services) == [
            "Aucun cas dans le premier cercle : commencez par une expérimentation sécurisée "
            "avant d'étendre."
        ]
        for i in range(3):
            portfolio.create(
                db, user=user, title=f"Cas simple {i}", circle=1, service_id=personas.service_a.id
            )
        assert portfolio.warnings(portfolio.scored(db, personas.tenant.id), services) == []
        risky = portfolio.create(
            db,
            user=user,
            title="Attribution des aides sociales",
            circle=1,
            service_id=personas.service_b.id,
            risk="eleve",
        )
        found = portfolio.warnings(portfolio.scored(db, personas.tenant.id), services)
        assert any("compte 4 cas" in w for w in found)
        assert any("un seul service pilote (ici : Population, Urbanisme)" in w for w in found)
        assert any(
            w.startswith("« Attribution des aides sociales » : un cas à risque élevé")
            for w in found
        )
        assert not any("premier cercle : commencez" in w for w in found)
        assert risky.id and later.id
        db.rollback()


def test_matrix_placement_and_one_click_draft(client: TestClient, personas: Personas) -> None:
    csrf = login(client, "pilotage")
    made = client.post(
        "/pilotage/portefeuille",
        data={
            "csrf_token": csrf,
            "title": "Comptes rendus de réunion",
            "risk": "faible",
            "description": "Les comptes rendus prennent 30 minutes par réunion.",
            "service_id": str(personas.service_a.id),
        },
    )
    assert made.status_code == 200 and "Cas candidat ajouté" in page_text(made)
    case_url = made.url.path
    client.post(
        f"{case_url}/noter",
        data={"csrf_token": csrf, "impact": "5", "ease": "4", "acceptability": "5"},
    )
    placed = client.post(
        f"{case_url}/placer",
        data={
            "csrf_token": csrf,
            "circle": "1",
            "service_id": str(personas.service_a.id),
            "risk": "faible",
        },
    )
    assert "« Comptes rendus de réunion » : Expérimentation sécurisée." in page_text(placed)
    soup = BeautifulSoup(placed.text, "html.parser")
    svg = soup.find("svg", attrs={"aria-labelledby": "matrix-t matrix-d"})
    assert svg is not None and "Comptes rendus de réunion : facilité 4.0, impact 5.0" in svg.text
    circle_1 = soup.find(id="circle-1").parent
    assert "Comptes rendus de réunion" in circle_1.text
    page = client.get(case_url)
    assert 'action="' + case_url + '/brouillon"' in page.text  # pilotage creates the draft
    done = client.post(f"{case_url}/brouillon", data={"csrf_token": csrf})
    assert "Brouillon d'assistant « comptes-rendus-de-reunion » et fiche n°" in page_text(done)
    with _db(client) as db:
        case = db.scalars(select(Candidate)).one()
        definition = db.scalars(select(AssistantDefinition)).one()
        card = db.get(UseCase, case.use_case_id)
        assert case.assistant_slug == definition.slug == card.assistant_id
        assert definition.status == "draft" and definition.tenant_id == personas.tenant.id
        assert definition.owner_service_id == personas.service_a.id
        assert card.status == "draft" and f"cas n° {case.id}" in card.purpose
        assert card.created_by == personas["pilotage"].id
        assert card.origin_url == case_url
        proposed = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "usecase.proposed")
        ).one()
        assert proposed.target == f"usecase:{card.id}"
        assert proposed.details["origin"] == case_url
    assert f'href="/gouvernance/cas-usage/{card.id}"' in done.text
    # The card links back to the case; pilotage reads it but neither edits nor submits it.
    shown = client.get(f"/gouvernance/cas-usage/{card.id}")
    origin = f'<a href="{case_url}">Portefeuille de cas d\'usage, cas n° {case.id}</a>'
    assert origin in page_text(shown)
    assert "Modifier la fiche" not in shown.text and "Soumettre au comité" not in shown.text
    edit = client.post(
        f"/gouvernance/cas-usage/{card.id}/modifier", data={"csrf_token": csrf, "title": "X"}
    )
    assert edit.status_code == 403
    submit = client.post(
        f"/gouvernance/cas-usage/{card.id}/transition",
        data={"csrf_token": csrf, "action": "submit"},
    )
    assert submit.status_code == 403
    with _db(client) as db:
        assert db.get(UseCase, card.id).status == "draft"
    csrf = login(client, "admin")  # an editor completes it (here: sees the edit button)
    assert "Modifier la fiche" in client.get(f"/gouvernance/cas-usage/{card.id}").text
    again = client.post(f"{case_url}/brouillon", data={"csrf_token": csrf})
    assert "déjà son brouillon" in page_text(again)
    kept = client.post(f"{case_url}/supprimer", data={"csrf_token": csrf})
    assert "il reste au portefeuille" in page_text(kept)
    other = client.post("/pilotage/portefeuille", data={"csrf_token": csrf, "title": "Doublon"})
    gone = client.post(f"{other.url.path}/supprimer", data={"csrf_token": csrf})
    assert "« Doublon » est retiré du portefeuille." in page_text(gone)
    assert client.get(other.url.path).status_code == 404


def test_from_survey_respects_anonymity_and_tenants(client: TestClient, personas: Personas) -> None:
    csrf = login(client, "pilotage")
    page = client.post("/pilotage/enquetes", data={"csrf_token": csrf, "title": "Irritants"})
    link = re.search(r'value="http://testserver(/enquete/[^"]+)"', page.text).group(1)
    survey_id = page.url.path.rsplit("/", 1)[1]
    anonymous = TestClient(client.app)
    for _ in range(4):
        anonymous.post(link, data={"irritants": ["tri"], "hours_per_week": "3", "ai_use": "jamais"})
    data = {"csrf_token": csrf, "survey_id": survey_id, "irritant": "tri"}
    refused = client.post("/pilotage/portefeuille/depuis-enquete", data=data)
    assert "moins de 5 réponses" in page_text(refused)
    anonymous.post(link, data={"irritants": ["tri"], "hours_per_week": "3", "ai_use": "jamais"})
    added = client.post("/pilotage/portefeuille/depuis-enquete", data=data)
    assert "Irritant cité par 5 agents sur 5" in page_text(added)
    case_url = added.url.path
    twice = client.post("/pilotage/portefeuille/depuis-enquete", data=data)
    assert "est déjà dans le portefeuille" in page_text(twice)
    csrf = login(client, "olivia")
    assert client.get(case_url).status_code == 404
    assert (
        client.post(
            f"{case_url}/noter",
            data={"csrf_token": csrf, "impact": "1", "ease": "1", "acceptability": "1"},
        ).status_code
        == 404
    )
    assert "Trier et orienter" not in client.get("/pilotage/portefeuille").text
    data["csrf_token"] = csrf
    assert client.post("/pilotage/portefeuille/depuis-enquete", data=data).status_code == 404


def test_a_portfolio_is_shared_without_marks_or_services(
    client: TestClient, personas: Personas
) -> None:
    csrf = login(client, "pilotage")
    assert "Le portefeuille est vide" in page_text(client.get("/pilotage/portefeuille/export.yaml"))
    made = client.post(
        "/pilotage/portefeuille",
        data={
            "csrf_token": csrf,
            "title": "Courriels récurrents",
            "risk": "moyen",
            "service_id": str(personas.service_b.id),
        },
    )
    client.post(
        f"{made.url.path}/noter",
        data={"csrf_token": csrf, "impact": "5", "ease": "4", "acceptability": "5"},
    )
    exported = client.get("/pilotage/portefeuille/export.yaml")
    assert exported.status_code == 200 and "format: civia-portefeuille/1" in exported.text
    assert "Courriels récurrents" in exported.text and "risk: moyen" in exported.text
    assert "Urbanisme" not in exported.text and "impact" not in exported.text
    csrf = login(client, "olivia")  # another collectivité imports it
    files = {"fichier": ("p.yaml", exported.content, "application/yaml")}
    done = client.post("/pilotage/portefeuille/importer", data={"csrf_token": csrf}, files=files)
    text = page_text(done)
    assert "1 cas importés" in text and "Courriels récurrents" in text
    assert "importé d'une autre collectivité" in text
    bad = exported.text.replace("risk: moyen", "risk: enorme").replace("cases:", "cas: []\ncases:")
    files = {"fichier": ("p.yaml", bad.encode(), "application/yaml")}
    refused = page_text(
        client.post("/pilotage/portefeuille/importer", data={"csrf_token": csrf}, files=files)
    )
    assert "Portefeuille invalide" in refused and "cas : clé inconnue" in refused
    assert "cases.0.risk : valeur non autorisée" in refused
    with _db(client) as db:
        assert (
            len(
                db.scalars(
                    select(Candidate).where(Candidate.tenant_id == personas.other_tenant.id)
                ).all()
            )
            == 1
        )


def test_pilotage_needs_a_service_for_the_draft(client: TestClient, personas: Personas) -> None:
    csrf = login(client, "pilotage")
    made = client.post("/pilotage/portefeuille", data={"csrf_token": csrf, "title": "Sans service"})
    refused = client.post(f"{made.url.path}/brouillon", data={"csrf_token": csrf})
    assert "Choisissez d'abord le service concerné par ce cas" in page_text(refused)
    with _db(client) as db:
        assert db.scalars(select(UseCase)).all() == []
        assert db.scalars(select(AssistantDefinition)).all() == []
    csrf = login(client, "olivia")  # another collectivité's admin
    assert client.post(f"{made.url.path}/brouillon", data={"csrf_token": csrf}).status_code == 404


def test_atelier_requests_become_candidates(client: TestClient, personas: Personas) -> None:
    from civia.assistants import builder
    from civia.assistants.spec import AssistantSpec

    with _db(client) as db:
        referent = db.merge(personas["referent"])
        for slug, name in (("tri-courrier", "Tri du courrier entrant"), ("menus", "Menus")):
            spec = AssistantSpec(
                id=slug,
                name=name,
                description=f"{name} du service.",
                category="Service",
                instructions="Aide les agents du service.",
            )
            builder.create(db, user=referent, spec=spec)
        carol = db.merge(personas["olivia"])
        spec = AssistantSpec(
            id="ailleurs",
            name="Autre commune",
            description="Un assistant d'une autre commune.",
            category="Service",
            instructions="Aide les agents du service.",
        )
        builder.create(db, user=carol, spec=spec)
        db.commit()
    csrf = login(client, "pilotage")
    page = client.get("/pilotage/portefeuille")
    listed = page_text(page)
    assert "Tri du courrier entrant" in listed and "Menus" in listed
    assert "Autre commune" not in listed
    added = client.post(
        "/pilotage/portefeuille/depuis-atelier", data={"csrf_token": csrf, "slug": "tri-courrier"}
    )
    assert "Cas candidat ajouté depuis l'Atelier." in page_text(added)
    case_url = added.url.path
    assert "Demande à l'Atelier" in page_text(added)
    again = client.post(
        "/pilotage/portefeuille/depuis-atelier", data={"csrf_token": csrf, "slug": "tri-courrier"}
    )
    assert "n'existe pas ou est déjà au portefeuille" in page_text(again)
    other = client.post(
        "/pilotage/portefeuille/depuis-atelier", data={"csrf_token": csrf, "slug": "ailleurs"}
    )
    assert "n'existe pas ou est déjà au portefeuille" in page_text(other)
    soup = BeautifulSoup(client.get("/pilotage/portefeuille").text, "html.parser")
    atelier = soup.find(id="atelier-h").parent
    assert "Menus" in atelier.text and "Tri du courrier" not in atelier.text
    done = client.post(f"{case_url}/brouillon", data={"csrf_token": csrf})
    assert "Brouillon d'assistant « tri-courrier » et fiche n°" in page_text(done)
    with _db(client) as db:
        case = db.scalars(select(Candidate)).one()
        assert case.source == "atelier" and case.service_id == personas.service_a.id
        card = db.get(UseCase, case.use_case_id)
        assert card.assistant_id == "tri-courrier" and card.status == "draft"
        assert db.scalars(  # no second assistant: the Atelier's one gets the card
            select(AssistantDefinition.slug).order_by(AssistantDefinition.slug)
        ).all() == ["ailleurs", "menus", "tri-courrier"]
