"""The acculturation module: course, quiz (completion = all right), rates per service."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.audit.models import AuditEntry
from civia.governance import acculturation
from tests.conftest import Personas, page_text
from tests.governance.conftest import sign_in, text_of, user

RIGHT = {q.id: q.answer for q in acculturation.QUESTIONS}


def test_quiz_completion_and_rates(db: Session, people: Personas) -> None:
    assert 3 <= len(acculturation.QUESTIONS) <= 5
    for q in acculturation.QUESTIONS:
        assert q.answer in {k for k, _ in q.choices}
    agent, bob = user(db, "agent"), user(db, "bob")
    wrong = {**RIGHT, "q1": "a"}
    result = acculturation.submit(db, agent, wrong)
    assert not result.passed and [q.id for q in result.wrong] == ["q1"]
    partial = acculturation.submit(db, agent, {"q1": "b"})
    assert not partial.passed and len(partial.missing) == len(RIGHT) - 1
    assert not acculturation.completed(db, agent)
    assert acculturation.submit(db, agent, RIGHT).passed
    assert acculturation.submit(db, agent, RIGHT).passed  # again: still one completion
    db.commit()
    assert acculturation.completed(db, agent) and not acculturation.completed(db, bob)
    assert (
        db.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "training.completed")
        )
        == 1
    )
    rates = {r.service: r for r in acculturation.rates_by_service(db, people.tenant.id)}
    assert set(rates) == {"Population", "Urbanisme"}
    assert (rates["Population"].users, rates["Population"].trained) == (6, 1)
    assert rates["Population"].percent(1) == 17 and rates["Urbanisme"].trained == 0
    other = acculturation.rates_by_service(db, people.other_tenant.id)
    assert [(r.service, r.users, r.trained) for r in other] == [("Accueil", 2, 0)]


def test_course_page_and_quiz(client: TestClient, personas: Personas) -> None:
    headers = sign_in(client, "bob")
    page = page_text(client.get("/formation"))
    assert "Il invente" in page and "Ce qu'il ne faut jamais coller" in page
    assert 'type="radio" name="q1"' in page and "<legend>1." in page
    resp = client.post("/formation", data={**RIGHT, "q3": "a"}, headers=headers)
    assert "1 réponse(s) à revoir" in text_of(resp) and "RGPD art. 22" in page_text(resp)
    resp = client.post("/formation", data=RIGHT, headers=headers)
    assert "le module est validé" in page_text(resp)
    assert "Vous avez terminé ce module" in page_text(client.get("/formation"))
    sign_in(client, "pilotage")
    page = text_of(client.get("/gouvernance/formation"))
    assert "Urbanisme 1 1 (100 %) 1 (100 %)" in page and "Population 6 0 (0 %)" in page
