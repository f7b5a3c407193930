"""The `courriels` queue serves every collectivité: a job steps aside for another's waiting
job, its messages left going to a new job behind it."""

from __future__ import annotations

from sqlalchemy import select

from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.jobs import queue
from civia.jobs.models import Job, JobStatus
from civia.jobs.worker import JobContext
from civia.mailbox import jobs
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus
from civia.settings import Settings
from tests.conftest import make_personas


def test_a_job_hands_its_messages_left_over_when_another_collectivite_waits(
    settings: Settings, password_hash: str
) -> None:
    engine = make_engine(settings.db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        personas = make_personas(db, password_hash)
        mine, theirs = personas.tenant.id, personas.other_tenant.id
        box = Mailbox(tenant_id=mine, key="accueil", last_uid=0)
        db.add(box)
        db.flush()
        # already analysed (by the periodic analysis): taken by no one, no model call
        messages = [
            MailMessage(tenant_id=mine, mailbox_id=box.id, uidvalidity=1, uid=uid,
                        subject=f"n° {uid}", status=MessageStatus.TO_REVIEW)
            for uid in (1, 2, 3)
        ]  # fmt: skip
        db.add_all(messages)
        db.flush()
        ids = [m.id for m in messages]
        running = jobs.hand_over(db, tenant_id=mine, message_ids=ids, user_id=personas["agent"].id)
        assert running is not None
        job_id = running.id
    with session_scope(sessions) as db:
        assert queue.start(db, job_id, worker="w") is not None

    def context() -> JobContext:
        return JobContext(job_id=job_id, kind=jobs.KIND, tenant_id=mine,
                          user_id=personas["agent"].id, payload={"message_ids": ids}, attempt=1,
                          sessions=sessions, settings=settings)  # fmt: skip

    # alone on the queue: the job goes through its messages
    assert jobs.analyse_fetched(context()) == {"analysed": [], "url": jobs.QUEUE_URL}
    with session_scope(sessions) as db:
        jobs.hand_over(db, tenant_id=theirs, message_ids=[10_000])  # another collectivité's
    result = jobs.analyse_fetched(context())
    with session_scope(sessions) as db:
        later = db.get(Job, result["continued_by"])
        assert later is not None
        assert (later.tenant_id, later.user_id, later.payload["message_ids"]) == (
            mine, personas["agent"].id, ids[1:]
        )  # fmt: skip
        assert later.status == JobStatus.QUEUED.value
        job = db.get(Job, job_id)
        assert job is not None and job.message == (
            "1 message traité sur 3, dont 0 analysé par ce traitement ; 2 suivants repris à la "
            "suite des analyses d'autres collectivités en attente"
        )
        # behind the other collectivité's job
        queued = db.scalars(
            select(Job.tenant_id).where(Job.status == JobStatus.QUEUED.value).order_by(Job.id)
        ).all()
        assert queued == [theirs, mine]
    engine.dispose()
