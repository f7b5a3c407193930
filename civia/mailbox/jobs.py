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

from typing import Any

from sqlalchemy.orm import Session

from civia.jobs import queue
from civia.jobs.models import Job
from civia.jobs.registry import register
from civia.jobs.worker import JobContext
from civia.mailbox import process

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


@register(KIND, queue=QUEUE, label="Analyse des courriels relevés")
def analyse_fetched(ctx: JobContext) -> dict[str, Any]:
    """Analyse each message of the payload that still waits (the periodic analysis may have
    taken some already) and is the job's collectivité's; stopped between two messages, the job
    resumes with those left."""
    ids = [int(i) for i in ctx.payload.get("message_ids", [])]
    analysed = []
    for done, message_id in enumerate(ids, start=1):
        ctx.check_cancel()
        taken = process.process_one(ctx.sessions, ctx.settings, message_id, tenant_id=ctx.tenant_id)
        if taken is not None:
            analysed.append(message_id)
        ctx.progress(done / len(ids), _counted(done, len(ids), len(analysed)))
    return {"analysed": analysed, "url": QUEUE_URL}
