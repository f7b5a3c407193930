"""Early signals per service, each with its rule and the numbers behind it (product.md,
"Early signals after three months")."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.assistants.models import AssistantRun
from civia.db.models import UsageEvent
from civia.steering.equivalents import number_fr
from civia.steering.filters import Filters, events, runs
from civia.steering.metrics import NOT_USEFUL, USEFUL, active_users

ADOPTION_ALARM = 0.30  # below 30 % of targeted agents active after a month: the field's alarm


@dataclass(frozen=True)
class Signal:
    kind: str  # "positif" | "alerte"
    title: str
    reason: str  # the rule and the numbers, in French


def _calls(db: Session, f: Filters, since_days: int, until_days: int) -> int:
    until = f.until - timedelta(days=until_days)
    stmt = select(func.count(UsageEvent.id))
    cond = events(f, since=f.until - timedelta(days=since_days), until=until)
    return int(db.scalar(stmt.where(cond)) or 0)


def _first_use_days(db: Session, f: Filters) -> float | None:
    stmt = select(func.min(UsageEvent.created_at))
    first = db.scalar(stmt.where(events(replace(f, since=datetime(2000, 1, 1, tzinfo=UTC)))))
    if first is None:
        return None
    if first.tzinfo is None:
        first = first.replace(tzinfo=f.until.tzinfo)
    return (f.until - first).total_seconds() / 86400


def for_service(db: Session, f: Filters, accounts: int) -> list[Signal]:
    """`f` carries the service; the signals look back from `f.until`, whatever the period."""
    out: list[Signal] = []
    age = _first_use_days(db, f)
    if age is None:
        return out
    active30, active7 = active_users(db, f, 30), active_users(db, f, 7)
    previous7 = active_users(db, replace(f, until=f.until - timedelta(days=7)), 7)
    if age >= 30 and accounts and active30 / accounts < ADOPTION_ALARM:
        out.append(Signal("alerte", "Adoption faible",
            f"{active30} agents actifs sur 30 jours pour {accounts} comptes "
            f"({number_fr(active30 / accounts * 100, 0)} %) : sous le seuil d'alerte de 30 % "
            "après un mois."))  # fmt: skip
    last7, before = _calls(db, f, 7, 0), _calls(db, f, 28, 7)
    weekly_before = before / 3
    if age >= 28 and weekly_before >= 10 and last7 < weekly_before / 2:
        out.append(Signal("alerte", "Décrochage",
            f"{last7} appels ces 7 derniers jours contre {weekly_before:.0f} par semaine en "
            "moyenne les 3 semaines précédentes (règle : moins de la moitié)."))  # fmt: skip
    if age >= 14 and _calls(db, f, 14, 0) == 0:
        out.append(Signal("alerte", "Service à l'arrêt",
            "Aucun appel depuis 14 jours alors que le service utilisait Civia "
            "auparavant."))  # fmt: skip
    rated = db.execute(
        select(func.coalesce(func.sum(USEFUL), 0), func.coalesce(func.sum(NOT_USEFUL), 0))
        .where(runs(f, since=f.until - timedelta(days=30)))
    ).one()  # fmt: skip
    useful, not_useful = int(rated[0]), int(rated[1])
    if useful + not_useful >= 5 and not_useful / (useful + not_useful) >= 0.4:
        out.append(Signal("alerte", "Avis « pas utile » nombreux",
            f"{not_useful} avis « pas utile » sur {useful + not_useful} en 30 jours "
            "(règle : 40 % ou plus, au moins 5 avis)."))  # fmt: skip
    if active7 >= 5 and active7 >= previous7 * 1.2 and active7 > previous7:
        out.append(Signal("positif", "Utilisateurs en hausse",
            f"{active7} agents actifs ces 7 derniers jours contre {previous7} la semaine "
            "précédente (règle : +20 % ou plus, au moins 5)."))  # fmt: skip
    saved = db.execute(
        select(func.count(AssistantRun.id),
               func.coalesce(func.sum(AssistantRun.time_saved_minutes), 0))
        .where(runs(f, since=f.until - timedelta(days=30)), AssistantRun.status == "validated")
    ).one()  # fmt: skip
    if int(saved[0]) >= 10 and int(saved[1]) >= 60:
        out.append(Signal("positif", "Gains de temps mesurables",
            f"{int(saved[0])} résultats validés en 30 jours, "
            f"{number_fr(int(saved[1]) / 60)} h gagnées déclarées "
            "(règle : au moins 10 validations et 1 h)."))  # fmt: skip
    return out
