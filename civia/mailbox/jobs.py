"""The analysis of the messages « Relever maintenant » brings in, handed to the job engine at
once: the agent who pressed it sees it start within seconds instead of at the next periodic
analysis (up to a minute later). The scheduled fetch and `civia mailbox fetch` queue nothing:
the periodic analysis takes their messages.

The job has its own queue, `courriels` (one worker by default): it analyses up to 20 messages of
a few minutes each, and must never hold the `redaction` workers an agent's single letter waits
for. A deployment whose `civia worker`s do not serve it still has the messages analysed, by the
periodic analysis.

The job and the periodic analysis (`process.process_pending`) take a message the same way,
`process.claim` (one conditional UPDATE of its status), so a message is analysed once whichever
comes first, in any number of processes. The periodic analysis stays: it takes the messages
whose job was lost, or waits behind a queue no worker of this deployment serves.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from civia.db.base import aware, utcnow
from civia.db.engine import session_scope
from civia.jobs import queue
from civia.jobs.models import Job, JobStatus
from civia.jobs.registry import register
from civia.jobs.worker import JobContext
from civia.mailbox import process
from civia.mailbox.models import MailMessage, MessageStatus
from civia.settings import Settings

log = logging.getLogger(__name__)

KIND = "mailbox.analyse"
QUEUE = "courriels"  # its own: minutes per message, never ahead of an agent's single letter
PER_JOB = 20  # like one periodic run: a backlog is shared with the periodic analysis
QUEUE_URL = "/courriels"


def hand_over(
    db: Session, *, tenant_id: int, message_ids: list[int], user_id: int | None = None
) -> Job | None:
    """Queue the analysis of the messages just stored (sent once `db` commits)."""
    if not message_ids:
        return None
    return queue.enqueue(
        db,
        tenant_id=tenant_id,
        user_id=user_id,
        kind=KIND,
        queue=QUEUE,
        payload={"message_ids": message_ids[:PER_JOB]},
        message="Analyse des messages relevés",
    )


def _counted(done: int, total: int, mine: int) -> str:
    """« 3 messages traités sur 3, dont 1 analysé par ce traitement »: the others were taken
    by the periodic analysis (or had been already)."""
    said = f"{done} {'message traité' if done < 2 else 'messages traités'} sur {total}"
    return f"{said}, dont {mine} {'analysé' if mine < 2 else 'analysés'} par ce traitement"


def others_waiting(db: Session, tenant_id: int) -> bool:
    """Whether another collectivité's analysis job waits on this queue."""
    found = db.scalar(
        select(Job.id)
        .where(
            Job.kind == KIND,
            Job.status == JobStatus.QUEUED.value,
            Job.tenant_id != tenant_id,
        )
        .limit(1)
    )
    return found is not None


def _handed_over(done: int, total: int, mine: int, rest: int) -> str:
    return (
        f"{_counted(done, total, mine)} ; {rest} {'suivant' if rest < 2 else 'suivants'} "
        "repris à la suite des analyses d'autres collectivités en attente"
    )


@register(KIND, queue=QUEUE, label="Analyse des courriels relevés")
def analyse_fetched(ctx: JobContext) -> dict[str, Any]:
    """Analyse each message of the payload that still waits (the periodic analysis may have
    taken some already) and is the job's collectivité's; stopped between two messages, the job
    resumes with those left. The `courriels` workers serve every collectivité: when another's
    job waits, the messages left go to a new job behind it (this one ends done), so that
    collectivités take turns instead of waiting for one's backlog."""
    ids = [int(i) for i in ctx.payload.get("message_ids", [])]
    analysed = []
    for done, message_id in enumerate(ids, start=1):
        ctx.check_cancel()
        taken = process.process_one(ctx.sessions, ctx.settings, message_id, tenant_id=ctx.tenant_id)
        if taken is not None:
            analysed.append(message_id)
        rest = ids[done:]
        if rest:
            with session_scope(ctx.sessions) as db:
                later = others_waiting(db, ctx.tenant_id) and hand_over(
                    db, tenant_id=ctx.tenant_id, message_ids=rest, user_id=ctx.user_id
                )
                continued_by = later.id if later else None
            if continued_by is not None:
                ctx.progress(1.0, _handed_over(done, len(ids), len(analysed), len(rest)))
                return {"analysed": analysed, "url": QUEUE_URL, "continued_by": continued_by}
        ctx.progress(done / len(ids), _counted(done, len(ids), len(analysed)))
    return {"analysed": analysed, "url": QUEUE_URL}


OVERTAKEN_AFTER_S = 120.0  # a job still queued this long after being sent has no worker here
OVERTAKEN_FR = (
    "Messages analysés par l'analyse périodique (aucun travailleur ne sert la file « courriels »)."
)


def close_overtaken(db: Session, now: datetime | None = None) -> list[int]:
    """Jobs still queued after `OVERTAKEN_AFTER_S` whose messages no longer wait (the periodic
    analysis took them: no worker of this deployment serves `courriels`) are closed as done, so
    that they neither stay « En file d'attente » in the agent's Mes traitements nor age the
    queue's oldest job. The update is conditional on the job still being queued: a worker that
    starts it meanwhile keeps it, and one that comes later finds it no longer queued and drops
    it. Returns the ids closed."""
    now = now or utcnow()
    queued = db.scalars(
        select(Job).where(Job.kind == KIND, Job.status == JobStatus.QUEUED.value)
    ).all()
    closed = []
    for job in queued:
        if (now - aware(job.created_at)).total_seconds() < OVERTAKEN_AFTER_S:
            continue
        ids = [int(i) for i in job.payload.get("message_ids", [])]
        waiting = db.scalar(
            select(MailMessage.id)
            .where(
                MailMessage.id.in_(ids),
                MailMessage.tenant_id == job.tenant_id,
                MailMessage.status.in_((MessageStatus.RECEIVED, MessageStatus.ANALYSING)),
            )
            .limit(1)
        )
        if waiting is not None:
            continue
        taken = db.execute(
            update(Job)
            .where(Job.id == job.id, Job.status == JobStatus.QUEUED.value)
            .values(status=JobStatus.DONE.value, progress=1.0, finished_at=now,
                    message=OVERTAKEN_FR, result={"analysed": [], "url": QUEUE_URL})
        )  # fmt: skip
        if getattr(taken, "rowcount", 0):
            closed.append(job.id)
    return closed


def periodic_analysis(sessions: sessionmaker[Session], settings: Settings) -> list[int]:
    """The periodic task: analyse waiting messages (`process.process_pending`), then close the
    jobs whose messages it took for want of a worker."""
    done = process.process_pending(sessions, settings)
    with session_scope(sessions) as db:
        closed = close_overtaken(db)
    if closed:
        log.info("mailbox analysis jobs closed, their messages analysed periodically: %s", closed)
    return done
