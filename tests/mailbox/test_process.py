"""The analysis on the real local model: personal data counted, triaged to the right service,
a reply drafted; the message then waits for an agent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from civia.db.base import Base, utcnow
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.mailbox import process
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus
from civia.settings import Settings
from tests.conftest import make_personas


def test_a_message_left_in_analysis_by_a_dead_process_is_taken_again(
    db_url: str, password_hash: str
) -> None:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        personas = make_personas(db, password_hash)
        box = Mailbox(tenant_id=personas.tenant.id, key="accueil", last_uid=0)
        db.add(box)
        db.flush()
        for uid, hours in ((1, 0), (2, process.STALE_HOURS + 1)):
            db.add(MailMessage(tenant_id=box.tenant_id, mailbox_id=box.id, uidvalidity=1,
                               uid=uid, subject=f"n° {uid}", status=MessageStatus.ANALYSING,
                               claimed_at=utcnow() - timedelta(hours=hours)))  # fmt: skip
    with session_scope(sessions) as db:
        stale = db.scalar(select(MailMessage.id).where(MailMessage.uid == 2))
        assert process.claim(db) == stale
        assert process.claim(db) is None  # the other one is being analysed right now
    engine.dispose()


@pytest.mark.model
def test_a_message_is_triaged_and_answered_in_draft(settings: Settings, password_hash: str) -> None:
    engine = make_engine(settings.db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        personas = make_personas(db, password_hash)
        box = Mailbox(tenant_id=personas.tenant.id, key="accueil", last_uid=0,
                      service_id=personas.service_b.id)  # fmt: skip
        db.add(box)
        db.flush()
        db.add(
            MailMessage(
                tenant_id=box.tenant_id, mailbox_id=box.id, uidvalidity=1, uid=1,
                subject="Passeport", sender="paul.durand@exemple.fr",
                body="Bonjour, je voudrais renouveler mon passeport. Faut-il prendre "
                "rendez-vous ? Paul Durand, 06 12 34 56 78",
                service_id=box.service_id,
            )
        )  # fmt: skip
    assert process.process_one(sessions, settings) is not None
    with session_scope(sessions) as db:
        message = db.scalars(select(MailMessage)).one()
        assert message.status == MessageStatus.TO_REVIEW, message.problem
        assert message.proposed_service_id == personas.service_a.id  # Population, not Urbanisme
        assert message.service_id == personas.service_a.id
        assert message.pii_counts.get("PHONE") == 1 and message.pii_counts.get("PERSON")
        assert message.draft.strip() and message.justification and message.analysed_at
    engine.dispose()


def test_the_routing_rules_verdict_is_shown_with_the_justification() -> None:
    services = {1: "Voirie", 2: "Finances"}
    job = process.Job(message_id=1, tenant_id=1, service_id=None, text="", context={},
                      services=services, target=None)  # type: ignore[arg-type]  # fmt: skip
    verdict = (
        "à vérifier : service choisi par les règles de routage (le modèle proposait « Finances »)"
    )
    triaged = {"service": "Voirie", "justification": "Un lampadaire éteint.", "controle": verdict}
    message = MailMessage()
    process.apply(message, job, process.Analysis({}, triaged, {"reponse": "Bonjour."}, ""))
    assert message.proposed_service_id == message.service_id == 1
    assert message.justification == f"Un lampadaire éteint. Service {verdict}."
    agreed = {**triaged, "controle": "conforme aux règles de routage"}
    process.apply(message, job, process.Analysis({}, agreed, {"reponse": "Bonjour."}, ""))
    assert message.justification == "Un lampadaire éteint."
