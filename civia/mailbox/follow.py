"""What the queue page says after « Relever maintenant »: the analysis of what this press
brought, followed through the jobs it queued (their ids in the page's address, read within the
agent's collectivité only) and the messages they carry, whoever analyses them (the job, or the
periodic analysis when no worker serves its queue). Never through the collectivité's other
waiting messages: one left « en cours d'analyse » by a dead worker would keep the page asking
for two hours. The page stops asking after `FOLLOW_FOR` whatever happens, and says the analysis
goes on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.db.base import aware, utcnow
from civia.jobs.models import Job
from civia.mailbox import jobs
from civia.mailbox.models import MailMessage, MessageStatus

FOLLOW_FOR = timedelta(minutes=10)
MAX_JOBS = 50  # one per mailbox of the collectivité: more is not an address Civia wrote
LATER_FR = "L'analyse se poursuit en arrière-plan ; rechargez la page plus tard."
WAITING = (MessageStatus.RECEIVED, MessageStatus.ANALYSING)


def job_ids(value: str) -> list[int]:
    """The job ids of `travaux=12,13`; [] for anything else."""
    if not re.fullmatch(rf"[0-9]{{1,18}}(,[0-9]{{1,18}}){{0,{MAX_JOBS - 1}}}", value):
        return []
    return sorted({int(v) for v in value.split(",")})


@dataclass
class Followed:
    new: int  # messages the press brought
    taken: int = 0  # of which handed to its jobs (at most `jobs.PER_JOB` per mailbox)
    waiting: bool = False  # one of its messages not yet analysed
    late: bool = False  # still waiting after FOLLOW_FOR: the page stops asking
    failed: int = 0  # its messages whose analysis failed

    @property
    def asks(self) -> bool:
        """Whether the page keeps asking."""
        return self.waiting and not self.late

    def notice(self) -> str:
        """« 1 nouveau message relevé ; analyse terminée : 1 message en échec, à relancer depuis
        la file. »"""
        new = self.new
        said = f"{new} nouveau message relevé" if new < 2 else f"{new} nouveaux messages relevés"
        if not new or not self.taken:  # nothing new, or no job of this collectivité to follow
            return f"{said}."
        if self.late:
            return f"{said}. {LATER_FR}"
        if self.waiting:
            return f"{said} ; analyse en cours."
        done = "analyse terminée"
        if self.taken < new:
            done = f"analyse de {self.taken} d'entre eux terminée, les autres suivront"
        if self.failed:
            failed = "1 message" if self.failed == 1 else f"{self.failed} messages"
            return f"{said} ; {done} : {failed} en échec, à relancer depuis la file."
        return f"{said} ; {done}."


def follow(db: Session, tenant_id: int, new: int, ids: list[int]) -> Followed:
    """Where the analysis of the messages these jobs took stands (jobs of another collectivité,
    or of another kind, are ignored)."""
    found = list(
        db.scalars(
            select(Job).where(Job.id.in_(ids), Job.tenant_id == tenant_id, Job.kind == jobs.KIND)
        )
    )
    if not found:
        return Followed(new)
    message_ids = {int(i) for job in found for i in job.payload.get("message_ids", [])}
    states = list(
        db.scalars(
            select(MailMessage.status).where(
                MailMessage.id.in_(message_ids), MailMessage.tenant_id == tenant_id
            )
        )
    )
    # The messages, not the jobs: without a worker on `courriels`, the periodic analysis does
    # the work and the job stays queued.
    waiting = any(state in WAITING for state in states)
    started = min(aware(job.created_at) for job in found)
    return Followed(
        new,
        taken=len(message_ids),
        waiting=waiting,
        late=waiting and utcnow() - started > FOLLOW_FOR,
        failed=sum(state == MessageStatus.FAILED for state in states),
    )
