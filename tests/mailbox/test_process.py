"""The analysis on the real local model: personal data counted, triaged to the right service,
a reply drafted; the message then waits for an agent."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import Tenant
from civia.db.base import Base, utcnow
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.mailbox import process
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus
from civia.providers.models import Provider
from civia.settings import Settings
from tests.conftest import Personas, make_personas
from tests.servers import garbage_server, recording_proxy


def _mailbox(db_url: str, password_hash: str) -> tuple[Engine, sessionmaker[Session], Mailbox]:
    """A fresh database with the personas and one mailbox (detached: ids only)."""
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        personas = make_personas(db, password_hash)
        box = Mailbox(tenant_id=personas.tenant.id, key="accueil", last_uid=0)
        db.add(box)
        db.flush()
        db.expunge(box)
    return engine, sessions, box


def test_a_message_left_in_analysis_by_a_dead_process_is_taken_again(
    db_url: str, password_hash: str
) -> None:
    engine, sessions, box = _mailbox(db_url, password_hash)
    with session_scope(sessions) as db:
        for uid, hours in ((1, 0), (2, process.STALE_HOURS + 1)):
            db.add(MailMessage(tenant_id=box.tenant_id, mailbox_id=box.id, uidvalidity=1,
                               uid=uid, subject=f"n° {uid}", status=MessageStatus.ANALYSING,
                               claimed_at=utcnow() - timedelta(hours=hours)))  # fmt: skip
    with session_scope(sessions) as db:
        stale = db.scalar(select(MailMessage.id).where(MailMessage.uid == 2))
        assert process.claim(db) == stale
        assert process.claim(db) is None  # the other one is being analysed right now
    engine.dispose()


def test_one_collectivite_s_backlog_is_taken_in_turns_with_the_others(
    db_url: str, password_hash: str
) -> None:
    """A shared mailbox's first fetch brings 3 old messages to one collectivité; another's
    single new message is analysed second, not after the whole backlog."""
    engine, sessions, box = _mailbox(db_url, password_hash)
    with session_scope(sessions) as db:
        other = db.scalar(select(Tenant.id).where(Tenant.id != box.tenant_id).limit(1))
        assert other is not None
        their = Mailbox(tenant_id=other, key="mairie", last_uid=0)
        db.add(their)
        db.flush()
        for uid in (1, 2, 3):
            db.add(MailMessage(tenant_id=box.tenant_id, mailbox_id=box.id, uidvalidity=1,
                               uid=uid, subject=f"arriéré {uid}"))  # fmt: skip
        db.flush()
        db.add(MailMessage(tenant_id=other, mailbox_id=their.id, uidvalidity=1, uid=1,
                           subject="nouveau"))  # fmt: skip
    taken = []
    with session_scope(sessions) as db:
        while (found := process.claim(db)) is not None:
            taken.append(db.get(MailMessage, found).subject)  # type: ignore[union-attr]
    assert taken == ["arriéré 1", "nouveau", "arriéré 2", "arriéré 3"]
    engine.dispose()


def test_of_several_claiming_a_message_at_once_one_only_gets_it(
    db_url: str, password_hash: str
) -> None:
    """The periodic analysis and a fetch's job may go for the same message at the same time,
    in different processes: each claim is its own connection and transaction here."""
    engine, sessions, box = _mailbox(db_url, password_hash)
    with session_scope(sessions) as db:
        message = MailMessage(tenant_id=box.tenant_id, mailbox_id=box.id, uidvalidity=1, uid=1,
                              subject="Horaires", status=MessageStatus.RECEIVED)  # fmt: skip
        db.add(message)
        db.flush()
        wanted = message.id
    racers = 6
    start = threading.Barrier(racers)

    def take(by_id: bool) -> int | None:
        with sessions() as db:
            start.wait()
            return process.claim(db, wanted if by_id else None)  # the job; the periodic run

    with ThreadPoolExecutor(racers) as pool:
        won = list(pool.map(take, [True, False] * (racers // 2)))
    assert won.count(wanted) == 1 and won.count(None) == racers - 1
    engine.dispose()


def _one_message(settings: Settings, password_hash: str) -> tuple[sessionmaker[Session], Personas]:
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
    return sessions, personas


@pytest.mark.model
def test_a_message_is_triaged_and_answered_in_draft(settings: Settings, password_hash: str) -> None:
    settings = settings.model_copy(update={"max_tokens": 1024})  # above both assistants' own
    sessions, personas = _one_message(settings, password_hash)
    assert process.process_one(sessions, settings) is not None
    with session_scope(sessions) as db:
        message = db.scalars(select(MailMessage)).one()
        assert message.status == MessageStatus.TO_REVIEW, message.problem
        assert message.proposed_service_id == personas.service_a.id
        assert message.service_id == personas.service_a.id
        assert message.pii_counts.get("PHONE") == 1 and message.pii_counts.get("PERSON")
        assert message.draft.strip() and message.justification and message.analysed_at
    sessions.kw["bind"].dispose()


@pytest.mark.parametrize(("setting", "sent"), [(8, 8), (1024, 256)])
def test_the_analysis_asks_for_no_more_than_civia_max_tokens(
    settings: Settings, password_hash: str, setting: int, sent: int
) -> None:
    """CIVIA_MAX_TOKENS caps the analysis like every generation: the lower of the setting and
    the triage assistant's own 256 is what reaches the model server (a server answering
    garbage: the analysis then fails, which does not matter here)."""
    settings = settings.model_copy(update={"max_tokens": setting})
    sessions, personas = _one_message(settings, password_hash)
    with garbage_server() as upstream, recording_proxy(upstream) as (base, received):
        with session_scope(sessions) as db:
            db.execute(update(Provider).values(enabled=False))
            db.add(Provider(tenant_id=personas.tenant.id, name="Serveur", kind="openai_compat",
                            base_url=base, models=["enregistre"], is_default=True))  # fmt: skip
        assert process.process_one(sessions, settings) is not None
    with session_scope(sessions) as db:
        assert db.scalars(select(MailMessage.status)).one() == MessageStatus.FAILED
    assert received and [body["max_tokens"] for body in received] == [sent] * len(received)
    sessions.kw["bind"].dispose()


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
