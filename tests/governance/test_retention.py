"""Retention: settings per collectivité, the sweep (with per-assistant periods, purger hooks and
the six-month floor of the audit log)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants.models import AssistantRun
from civia.audit import journal as audit
from civia.audit.models import AuditEntry
from civia.chat.models import Conversation, Message
from civia.db.base import utcnow
from civia.documents import collections
from civia.documents.models import Collection, Document
from civia.governance import retention
from civia.governance.models import GovernanceSettings, UseCase
from civia.jobs import queue
from civia.jobs.models import Job
from civia.plugins.registries import Governance, Purger
from tests.conftest import Personas, page_text
from tests.governance.conftest import sign_in, text_of, user
from tests.governance.test_incidents import make_conversation, make_run


@pytest.fixture
def purgers(hooks: Governance) -> list[tuple[int, datetime]]:
    """This test's audio purger, in its own registries."""
    calls: list[tuple[int, datetime]] = []

    def purge_audio(_db: Session, tenant_id: int, cutoff: datetime) -> int:
        calls.append((tenant_id, cutoff))
        return 2

    hooks.purgers["audio"] = purge_audio
    return calls


def _age(
    db: Session, model: type[Conversation] | type[AssistantRun], row_id: int, days: int
) -> None:
    db.execute(
        update(model).where(model.id == row_id).values(updated_at=utcnow() - timedelta(days=days))
    )


def test_sweep(
    db: Session, people: Personas, purgers: list[tuple[int, datetime]], hooks: Governance
) -> None:
    agent, carol = user(db, "agent"), user(db, "carol")
    old_conv, new_conv = make_conversation(db, agent), make_conversation(db, agent)
    chat_conv = make_conversation(db, agent)  # assistant "chat", shorter period on its card
    foreign = make_conversation(db, carol)
    old_run, new_run = make_run(db, agent), make_run(db, agent)
    _age(db, Conversation, old_conv.id, 100)
    _age(db, Conversation, chat_conv.id, 20)
    _age(db, Conversation, foreign.id, 1000)
    _age(db, AssistantRun, old_run.id, 400)
    _age(db, AssistantRun, new_run.id, 10)
    db.add(
        GovernanceSettings(
            tenant_id=people.tenant.id,
            conversations_days=90,
            runs_days=365,
            audio_days=30,
            audio_policy="keep",
            audit_days=10,
        )
    )
    db.add(UseCase(tenant_id=people.tenant.id, assistant_id="chat", title="Chat", retention_days=7))
    db.commit()
    report = retention.sweep(db, hooks=hooks)
    db.commit()
    assert report["demoville"] == {"conversations": 2, "runs": 1, "audio": 2}
    # No settings: nothing is deleted but recordings (by default at most 7 days after upload).
    assert report["autreville"] == {"audio": 2}
    left = set(db.scalars(select(Conversation.id)))
    assert left == {new_conv.id, foreign.id}
    assert (
        db.scalar(select(func.count(Message.id)).where(Message.conversation_id == old_conv.id)) == 0
    )
    assert set(db.scalars(select(AssistantRun.id))) == {new_run.id}
    assert [t for t, _ in purgers] == [people.tenant.id, people.other_tenant.id]
    assert [round((utcnow() - cutoff).days) for _, cutoff in purgers] == [30, 7]
    swept = db.scalar(select(AuditEntry).where(AuditEntry.action == "retention.swept"))
    assert swept is not None and swept.details["conversations"] == 2
    assert audit.verify(db) == []


def test_audit_is_kept_six_months_whatever_the_setting(
    db: Session, people: Personas, hooks: Governance
) -> None:
    tid = people.tenant.id
    for i in range(3):
        audit.record(db, tenant_id=tid, actor=None, action="login.success", target=str(i))
    db.add(GovernanceSettings(tenant_id=tid, audit_days=1))  # bypassing the form's check
    db.commit()
    assert retention.settings_for(db, tid).audit_days == audit.AUDIT_MIN_DAYS
    report = retention.sweep(db, utcnow() + timedelta(days=audit.AUDIT_MIN_DAYS - 1), hooks=hooks)
    assert report["demoville"] == {}
    report = retention.sweep(db, utcnow() + timedelta(days=audit.AUDIT_MIN_DAYS + 1), hooks=hooks)
    db.commit()
    assert report["demoville"] == {"audit": 3}
    remaining = db.scalars(select(AuditEntry.action).where(AuditEntry.chain == tid)).all()
    assert remaining == ["retention.swept"]
    assert audit.verify(db) == []


def test_settings_validation(db: Session, people: Personas) -> None:
    admin = user(db, "admin")
    with pytest.raises(retention.SettingsError, match="au moins 183"):
        retention.save_settings(db, actor=admin, values=retention.Retention(audit_days=30))
    with pytest.raises(retention.SettingsError, match="Conversations"):
        retention.save_settings(db, actor=admin, values=retention.Retention(conversations_days=0))
    retention.save_settings(
        db, actor=admin, values=retention.Retention(conversations_days=180, contact="Accueil")
    )
    db.commit()
    assert retention.settings_for(db, people.tenant.id).conversations_days == 180
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "retention.settings"))
    assert entry is not None
    assert entry.details == {"conversations_days": 180, "contact_changed": True}
    with pytest.raises(ValueError):
        Purger("vidéos", lambda _db, _t, _c: 0)
    assert db.get(User, admin.id) is not None


def test_settings_page(client: TestClient, personas: Personas) -> None:
    headers = sign_in(client, "dpo")
    resp = client.post(
        "/gouvernance/parametres",
        headers=headers,
        follow_redirects=False,
        data={
            "conversations_days": "90",
            "runs_days": "",
            "audit_days": "400",
            "contact": "mediation@demoville.example",
        },
    )
    assert resp.status_code == 303
    page = page_text(client.get("/gouvernance/parametres"))
    assert 'value="90"' in page and 'value="400"' in page
    resp = client.post(
        "/gouvernance/parametres",
        headers=headers,
        data={"conversations_days": "trois", "audit_days": "400"},
    )
    assert resp.status_code == 422 and "n'est pas un nombre" in page_text(resp)
    resp = client.post("/gouvernance/parametres", headers=headers, data={"audit_days": "90"})
    assert resp.status_code == 422 and "au moins 183 jours" in page_text(resp)
    assert "mediation@demoville.example" in text_of(client.get("/transparence/demoville"))
    sign_in(client, "agent")
    page = text_of(client.get("/compte/mes-donnees"))
    assert "Conversations : 90 jours, puis suppression automatique" in page


def test_old_finished_jobs_are_purged(db: Session, people: Personas, hooks: Governance) -> None:
    """After the results' period, or 30 days without one; queued and running jobs stay, and
    what pointed to a purged job keeps its data."""
    agent, carol = user(db, "agent"), user(db, "carol")
    db.add(GovernanceSettings(tenant_id=people.other_tenant.id, runs_days=90))

    def job(owner: User, status: str, days: int) -> int:
        row = queue.enqueue(db, tenant_id=owner.tenant_id, user_id=owner.id,
                            kind="documents.analyse", queue="ingestion", payload={})  # fmt: skip
        row.status = status
        row.finished_at = utcnow() - timedelta(days=days) if status != "queued" else None
        db.flush()
        return row.id

    old_done, old_failed = job(agent, "done", 31), job(agent, "failed", 40)
    recent, waiting = job(agent, "cancelled", 29), job(agent, "queued", 0)
    theirs_old, theirs_recent = job(carol, "done", 91), job(carol, "done", 60)
    run = make_run(db, agent)
    run.job_id = old_done
    collection = Collection(tenant_id=agent.tenant_id, scope="tenant", name="Commune")
    db.add(collection)
    db.flush()
    stuck = Document(tenant_id=agent.tenant_id, collection_id=collection.id, title="Note",
                     sha256="0" * 64, status="pending", meta={"job_id": old_failed})  # fmt: skip
    db.add(stuck)
    db.flush()
    report = retention.sweep(db, hooks=hooks)
    assert report["demoville"] == {"jobs": 2} and report["autreville"] == {"jobs": 1}
    assert set(db.scalars(select(Job.id))) == {recent, waiting, theirs_recent}
    assert {old_done, old_failed, theirs_old}.isdisjoint(set(db.scalars(select(Job.id))))
    db.refresh(run)
    assert run.job_id is None and run.draft  # the result stays
    collections.reconcile(db, [stuck])  # a document never left « en attente »
    assert stuck.status == "error" and stuck.error == queue.INTERRUPTED_FR
