"""The shared mailbox in governance, on SQLite and PostgreSQL: messages and drafts follow the
assistant results' retention period; the agent's export and erasure; a citizen who wrote is
found and erased by the DPO."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from civia.db.base import Base, utcnow
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.governance import citizen_erasure, dsr, retention
from civia.governance.models import GovernanceSettings
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus
from civia.plugins.registries import Governance
from civia.privacy.mentions import Subject
from tests.conftest import Personas, make_personas
from tests.governance.conftest import user

JEANNE = Subject(last_name="Martin", first_names="Jeanne")


@pytest.fixture
def world(db_url: str, password_hash: str) -> Iterator[tuple[Session, Personas]]:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        people = make_personas(db, password_hash)
    db = sessions()
    try:
        yield db, people
    finally:
        db.rollback()
        db.close()
        engine.dispose()


def _message(db: Session, box: Mailbox, uid: int, days_old: float, **values: object) -> int:
    fields: dict[str, object] = {
        "subject": "Demande d'acte de naissance", "sender": "jeanne.martin@exemple.fr",
        "sender_name": "Jeanne Martin",
        "body": "Bonjour, je suis Jeanne Martin et je souhaite une copie de mon acte.",
        "draft": "Madame Martin, vous pouvez demander votre acte en ligne.",
        "status": MessageStatus.TO_REVIEW, "created_at": utcnow() - timedelta(days=days_old),
    }  # fmt: skip
    message = MailMessage(
        tenant_id=box.tenant_id, mailbox_id=box.id, uidvalidity=1, uid=uid, **(fields | values)
    )
    db.add(message)
    db.flush()
    return message.id


def _boxes(db: Session, people: Personas) -> tuple[Mailbox, Mailbox]:
    ours = Mailbox(tenant_id=people.tenant.id, key="accueil", connected_by=user(db, "admin").id)
    theirs = Mailbox(tenant_id=people.other_tenant.id, key="autreville")
    db.add_all([ours, theirs])
    db.flush()
    return ours, theirs


def test_messages_and_drafts_follow_the_results_period(
    world: tuple[Session, Personas], hooks: Governance
) -> None:
    db, people = world
    ours, theirs = _boxes(db, people)
    old, recent = _message(db, ours, 1, 40), _message(db, ours, 2, 5)
    other_old = _message(db, theirs, 1, 40)
    db.add(GovernanceSettings(tenant_id=people.tenant.id, runs_days=30))
    db.flush()
    report = retention.sweep(db, hooks=hooks)
    assert report["demoville"].get("mail") == 1
    left = set(db.scalars(select(MailMessage.id)))
    assert left == {recent, other_old}  # Autreville set no period: its messages stay
    assert old not in left
    # Without a period, nothing goes.
    db.execute(update(GovernanceSettings).values(runs_days=None))
    assert "mail" not in retention.sweep(db, hooks=hooks)["demoville"]


def test_the_agent_export_and_erasure_cover_the_replies_they_validated(
    world: tuple[Session, Personas], hooks: Governance
) -> None:
    db, people = world
    ours, _ = _boxes(db, people)
    agent = user(db, "agent")
    mine = _message(db, ours, 1, 1, validated_by=agent.id, validated_at=utcnow(),
                    status=MessageStatus.FILED)  # fmt: skip
    _message(db, ours, 2, 1, validated_by=user(db, "bob").id, validated_at=utcnow())
    exported = dsr.export_user(db, agent, hooks=hooks)["courriels_valides"]
    assert [item["courriel"] for item in exported] == [mine]
    assert exported[0]["reponse_validee"].startswith("Madame Martin")
    assert dsr.summary(db, agent, hooks)["Réponses à des courriels validées"] == 1
    counts = dsr.erase_user(db, dpo=user(db, "dpo"), person=agent, hooks=hooks)
    assert counts["courriels_valides"] == 1
    row = db.get(MailMessage, mine)
    assert row is not None and row.validated_by is None and row.draft  # the reply stays
    assert db.scalar(select(MailMessage.validated_by).where(MailMessage.uid == 2)) == (
        user(db, "bob").id
    )
    counts = dsr.erase_user(db, dpo=user(db, "dpo"), person=user(db, "admin"), hooks=hooks)
    assert db.get(Mailbox, ours.id).connected_by is None  # type: ignore[union-attr]


def test_a_citizen_who_wrote_is_found_and_erased_in_their_tenant_only(
    world: tuple[Session, Personas], hooks: Governance
) -> None:
    db, people = world
    ours, theirs = _boxes(db, people)
    mine = _message(db, ours, 1, 1)
    other = _message(db, theirs, 1, 1)
    found = citizen_erasure.search(db, dpo=user(db, "dpo"), subject=JEANNE, hooks=hooks)
    refs = [f.ref for f in found.items if f.ref.startswith("mailbox|")]
    assert {ref.split(":")[-1] for ref in refs} >= {"sender_name", "body", "draft"}
    assert all(f":{mine}:" in ref for ref in refs)
    counts = citizen_erasure.erase(db, dpo=user(db, "dpo"), subject=JEANNE, refs=refs, hooks=hooks)
    assert counts["mailbox"] >= 3
    row = db.get(MailMessage, mine)
    assert row is not None and "Martin" not in row.body + row.draft + row.sender_name
    untouched = db.get(MailMessage, other)
    assert untouched is not None and "Jeanne Martin" in untouched.body
