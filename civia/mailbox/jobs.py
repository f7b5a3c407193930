"""The analysis of the messages a fetch brings in, handed to the job engine at once: an agent
who pressed « Relever maintenant » sees it start within seconds instead of at the next
periodic analysis (up to a minute later).

The job and the periodic analysis (`process.process_pending`) take a message the same way,
`process.claim` (one conditional UPDATE of its status), so a message is analysed once whichever
comes first, in any number of processes. The periodic analysis stays: it takes the messages
whose job was lost, or waits behind a queue no worker of this deployment serves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from civia.jobs import queue
from civia.jobs.models import Job
from civia.jobs.registry import register
from civia.jobs.worker import JobContext
from civia.mailbox import process

KIND = "mailbox.analyse"
QUEUE = "redaction"  # model calls for an agent who waits, like an assistant's single draft
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


def _counted(done: int, total: int) -> str:
    return f"{done} {'message analysé' if done < 2 else 'messages analysés'} sur {total}"


@register(KIND, queue=QUEUE, label="Analyse des courriels relevés")
def analyse_fetched(ctx: JobContext) -> dict[str, Any]:
    """Analyse each message of the payload that still waits (the periodic analysis may have
    taken some already); stopped between two messages, the job resumes with those left."""
    ids = [int(i) for i in ctx.payload.get("message_ids", [])]
    analysed = []
    for done, message_id in enumerate(ids, start=1):
        ctx.check_cancel()
        if process.process_one(ctx.sessions, ctx.settings, message_id) is not None:
            analysed.append(message_id)
        ctx.progress(done / len(ids), _counted(done, len(ids)))
    return {"analysed": analysed, "url": QUEUE_URL}
