"""Signed checkpoints of the audit chains, kept by the operator outside the database.

A checkpoint records, for each chain, the head (seq and hash), how many entries the chain
holds and when; it is signed with the audit key. Someone who can write the database could cut
a chain back to an older head and its old signature; checked against the operator's
checkpoints, the cut shows. Checkpoints are JSON lines: append one a day (`civia audit
checkpoint --out FILE`, e.g. from cron) to a file kept elsewhere.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.audit.journal import Problem
from civia.audit.keys import sign, valid
from civia.audit.models import AuditEntry, AuditHead

FIELDS = ("chain", "seq", "count", "head_hash", "time")


def take(db: Session, now: datetime) -> list[dict[str, Any]]:
    """One signed checkpoint per chain."""
    out = []
    for head in db.scalars(select(AuditHead).order_by(AuditHead.chain)):
        fields = {
            "chain": head.chain,
            "seq": head.seq,
            "count": head.seq - head.base_seq,
            "head_hash": head.last_hash,
            "time": now.isoformat(timespec="seconds"),
        }
        out.append({**fields, "signature": sign("checkpoint", fields)})
    return out


def parse(text: str) -> list[dict[str, Any]]:
    """JSON lines → checkpoints; a line that is not one raises ValueError."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or any(k not in item for k in (*FIELDS, "signature")):
                raise ValueError("missing fields")
        except ValueError as exc:
            raise ValueError(f"ligne {number} : ce n'est pas un checkpoint ({exc})") from None
        out.append(item)
    return out


def verify(db: Session, checkpoints: list[dict[str, Any]]) -> list[Problem]:
    """Problems of the chains against the operator's checkpoints: a forged checkpoint, a chain
    that lost entries the checkpoint saw, or an entry whose hash differs from then."""
    problems = []
    heads = {h.chain: h for h in db.scalars(select(AuditHead))}
    for cp in checkpoints:
        chain, seq = int(cp["chain"]), int(cp["seq"])
        where = f"(checkpoint du {cp['time']})"
        if not valid(cp.get("signature"), "checkpoint", {k: cp[k] for k in FIELDS}):
            problems.append(Problem(chain, seq, None, f"checkpoint non signé ou modifié {where}"))
            continue
        head = heads.get(chain)
        if head is None or head.seq < seq:
            problems.append(
                Problem(chain, seq, None, f"la chaîne a perdu des entrées vues {where}")
            )
            continue
        if seq < head.base_seq:
            continue  # purged since, under a base move signed with the key
        known: str | None = head.base_hash
        if seq != head.base_seq:
            known = db.scalar(
                select(AuditEntry.hash).where(AuditEntry.chain == chain, AuditEntry.seq == seq)
            )
        if known != cp["head_hash"]:
            problems.append(
                Problem(chain, seq, None, f"l'entrée diffère de celle vue {where} (réécrite)")
            )
    return problems
