"""How an act reads: its indexed text (metadata header + body), dates and votes in French."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from civia.dates import date_fr
from civia.documents.acts.models import KIND_LABELS, OUTCOME_LABELS, ActKind, Outcome


class ActLike(Protocol):
    """An `Act` row or an `ActRecord`: what the text needs."""

    kind: str
    identifier: str
    act_date: date
    coll_name: str
    coll_siret: str
    matiere_code: str
    matiere_name: str
    objet: str
    budget_name: str
    budget_year: str
    vote_effectif: int | None
    vote_reel: int | None
    vote_pour: int | None
    vote_contre: int | None
    vote_abstention: int | None
    outcome: str
    body: str


def number_fr(value: int) -> str:
    """« 20 000 » (narrow no-break space between thousands, as French typography wants)."""
    return f"{value:,}".replace(",", "\u202f")


def vote_line(item: ActLike) -> str:
    """« 21 pour, 2 contre, 1 abstention (24 votants, 27 membres en exercice) »."""
    parts = []
    if item.vote_pour is not None:
        parts.append(f"{item.vote_pour} pour")
    if item.vote_contre is not None:
        parts.append(f"{item.vote_contre} contre")
    if item.vote_abstention is not None:
        parts.append(f"{item.vote_abstention} abstention{'s' if item.vote_abstention > 1 else ''}")
    attendance = []
    if item.vote_reel is not None:
        attendance.append(f"{item.vote_reel} votants")
    if item.vote_effectif is not None:
        attendance.append(f"{item.vote_effectif} membres en exercice")
    line = ", ".join(parts)
    if attendance:
        line += f" ({', '.join(attendance)})" if line else ", ".join(attendance)
    return line


def act_text(item: ActLike) -> str:
    """What the index holds for an act: a header with its metadata (so that « unanimité »,
    a collectivité's name or SIRET, a thème find it), then its body."""
    number = f" n° {item.identifier}" if item.identifier else ""
    lines = [f"{KIND_LABELS[ActKind(item.kind)]}{number} du {date_fr(item.act_date)}"]
    siret = f" (SIRET {item.coll_siret})" if item.coll_siret else ""
    lines.append(f"{item.coll_name}{siret}")
    if item.matiere_code or item.matiere_name:
        lines.append(f"Thème : {' '.join(p for p in (item.matiere_code, item.matiere_name) if p)}")
    lines.append(f"Objet : {item.objet}")
    if item.budget_name or item.budget_year:
        lines.append(f"Budget : {' '.join(p for p in (item.budget_name, item.budget_year) if p)}")
    votes = vote_line(item)
    if votes or item.outcome not in (Outcome.UNKNOWN.value, Outcome.NO_VOTE.value):
        label = OUTCOME_LABELS[Outcome(item.outcome)]
        lines.append(f"Vote : {label}" + (f", {votes}" if votes else ""))
    header = "\n".join(lines)
    body = (item.body or "").strip()
    return f"{header}\n\n{body}" if body else header
