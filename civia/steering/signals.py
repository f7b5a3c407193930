"""Early signals per service, each with its rule and the numbers behind it (product.md,
"Early signals after three months")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.assistants.models import AssistantRun
from civia.steering import people
from civia.steering.filters import Filters, runs
from civia.steering.metrics import NOT_USEFUL, USEFUL
from civia.usage.equivalents import number_fr

ADOPTION_ALARM = 0.30  # below 30 % of targeted agents active after a month: the field's alarm


@dataclass(frozen=True)
class Signal:
    kind: str  # "positif" | "alerte"
    title: str
    reason: str  # the rule and the numbers, in French


Grouped = dict[int | None, float]


def _grouped(db: Session, stmt: Any) -> Grouped:
    return {key: float(value or 0) for key, value in db.execute(stmt).all()}


WINDOWS = ((30, 0), (7, 0), (14, 7), (28, 7), (14, 0))  # (from, to) days before the end


def windows(f: Filters) -> list[people.Window]:
    """The windows the rules count in, per service (declared to `people.Activity`)."""
    return [(f.until - timedelta(days=a), f.until - timedelta(days=b), "service")
            for a, b in WINDOWS]  # fmt: skip


def _measures(db: Session, f: Filters, activity: people.Activity | None) -> dict[str, Grouped]:
    """Each measure the rules read, for every service at once (every window counted from one
    read of the daily roll-ups, the edges live)."""
    out: dict[str, Grouped] = {"age": {}}
    for key, moment in people.first_use(db, f).items():
        out["age"][key] = (f.until - moment).total_seconds() / 86400
    activity = people.Activity(db, f, windows(f)) if activity is None else activity
    windows_found = {
        (a, b): activity.count(since, until, by)
        for (a, b), (since, until, by) in zip(WINDOWS, windows(f), strict=True)
    }
    for name, window, which in (
        ("active30", (30, 0), 0), ("active7", (7, 0), 0), ("previous7", (14, 7), 0),
        ("last7", (7, 0), 1), ("before", (28, 7), 1), ("last14", (14, 0), 1),
    ):  # fmt: skip
        out[name] = {key: float(pair[which]) for key, pair in windows_found[window].items()}
    recent = runs(f, since=f.until - timedelta(days=30))
    rated = db.execute(
        select(AssistantRun.service_id, func.coalesce(func.sum(USEFUL), 0),
               func.coalesce(func.sum(NOT_USEFUL), 0))
        .where(recent).group_by(AssistantRun.service_id)
    ).all()  # fmt: skip
    out["useful"] = {k: float(u) for k, u, _ in rated}
    out["not_useful"] = {k: float(n) for k, _, n in rated}
    saved = db.execute(
        select(AssistantRun.service_id, func.count(AssistantRun.id),
               func.coalesce(func.sum(AssistantRun.time_saved_minutes), 0))
        .where(recent, AssistantRun.status == "validated").group_by(AssistantRun.service_id)
    ).all()  # fmt: skip
    out["validated"] = {k: float(c) for k, c, _ in saved}
    out["minutes"] = {k: float(m) for k, _, m in saved}
    return out


def for_services(db: Session, f: Filters, accounts: dict[int, int],
                 activity: people.Activity | None = None) -> dict[int, list[Signal]]:  # fmt: skip
    """The signals of each service in `accounts` (service id → accounts), looking back from
    `f.until` whatever the period; `f.service_id`, if set, narrows the queries to it."""
    measures = _measures(db, f, activity)
    return {sid: _rules(sid, measures, count) for sid, count in accounts.items()}


def for_service(db: Session, f: Filters, accounts: int) -> list[Signal]:
    """`f` carries the service."""
    assert f.service_id is not None
    return for_services(db, f, {f.service_id: accounts})[f.service_id]


def _rules(sid: int, m: dict[str, Grouped], accounts: int) -> list[Signal]:
    out: list[Signal] = []
    age = m["age"].get(sid)
    if age is None:
        return out

    def get(name: str) -> int:
        return int(m[name].get(sid, 0))

    active30, active7, previous7 = get("active30"), get("active7"), get("previous7")
    if age >= 30 and accounts and active30 / accounts < ADOPTION_ALARM:
        out.append(Signal("alerte", "Adoption faible",
            f"{active30} agents actifs sur 30 jours pour {accounts} comptes "
            f"({number_fr(active30 / accounts * 100, 0)} %) : sous le seuil d'alerte de 30 % "
            "après un mois."))  # fmt: skip
    last7, before = get("last7"), get("before")
    weekly_before = before / 3
    if age >= 28 and weekly_before >= 10 and last7 < weekly_before / 2:
        out.append(Signal("alerte", "Décrochage",
            f"{last7} appels ces 7 derniers jours contre {weekly_before:.0f} par semaine en "
            "moyenne les 3 semaines précédentes (règle : moins de la moitié)."))  # fmt: skip
    if age >= 14 and get("last14") == 0:
        out.append(Signal("alerte", "Service à l'arrêt",
            "Aucun appel depuis 14 jours alors que le service utilisait Civia "
            "auparavant."))  # fmt: skip
    useful, not_useful = get("useful"), get("not_useful")
    if useful + not_useful >= 5 and not_useful / (useful + not_useful) >= 0.4:
        out.append(Signal("alerte", "Avis « pas utile » nombreux",
            f"{not_useful} avis « pas utile » sur {useful + not_useful} en 30 jours "
            "(règle : 40 % ou plus, au moins 5 avis)."))  # fmt: skip
    if active7 >= 5 and active7 >= previous7 * 1.2 and active7 > previous7:
        out.append(Signal("positif", "Utilisateurs en hausse",
            f"{active7} agents actifs ces 7 derniers jours contre {previous7} la semaine "
            "précédente (règle : +20 % ou plus, au moins 5)."))  # fmt: skip
    validated, minutes = get("validated"), get("minutes")
    if validated >= 10 and minutes >= 60:
        out.append(Signal("positif", "Gains de temps mesurables",
            f"{validated} résultats validés en 30 jours, "
            f"{number_fr(minutes / 60)} h gagnées déclarées "
            "(règle : au moins 10 validations et 1 h)."))  # fmt: skip
    return out
