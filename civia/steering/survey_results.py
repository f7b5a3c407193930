"""The satisfaction survey's results per wave and service, computed here from the answers.

A group's figures are shown only from `MIN_GROUP` answers, and move by whole groups of
`MIN_GROUP` answers (the first 5, then 10…): someone watching the page between two answers
cannot read one answer as the difference. NPS = % promoters (9–10) − % detractors (0–6).
Free texts are grouped into themes by shared keywords (`civia.planning.themes`, the same rule
as the needs survey: a theme holds `MIN_GROUP` answers or more); no figure comes from a model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Service
from civia.planning import themes as keyword_themes
from civia.steering import survey
from civia.steering.filters import MIN_GROUP
from civia.steering.models import SurveyAnswer

PROMOTERS, DETRACTORS = 9, 6  # 9–10 promote, 0–6 detract
MAX_EXAMPLES = 3
NO_SERVICE = "Sans service"


@dataclass(frozen=True)
class Theme:
    title: str
    size: int  # answers in the theme
    examples: list[str]


@dataclass
class Result:
    label: str  # the service, or « Toute la collectivité »
    service_id: int | None
    launch: date | None
    wave: int
    answers: int  # answers received
    accounts: int  # active accounts offered the wave: the base of the rate
    counted: int = 0  # answers in the figures (whole groups of MIN_GROUP; 0: hidden)
    ease_mean: float | None = None
    nps: float | None = None
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    themes: list[Theme] = field(default_factory=list)
    others: list[tuple[str, int]] = field(default_factory=list)  # texts in no theme, with count

    @property
    def hidden(self) -> bool:
        return self.counted == 0

    @property
    def rate(self) -> float | None:
        return self.answers / self.accounts if self.accounts else None

    @property
    def why_hidden(self) -> str:
        return (
            f"{self.answers} réponse{'s' if self.answers > 1 else ''} sur {MIN_GROUP} "
            "nécessaires : les résultats restent masqués pour qu'aucune réponse ne puisse être "
            "attribuée à une personne."
        )

    def figures(self) -> dict[str, Any]:
        """JSON-able, for a review's stored figures."""
        return {
            "wave": self.wave, "answers": self.answers, "accounts": self.accounts,
            "rate": self.rate, "counted": self.counted, "ease_mean": self.ease_mean,
            "nps": self.nps, "promoters": self.promoters, "passives": self.passives,
            "detractors": self.detractors,
            "themes": [{"title": t.title, "size": t.size} for t in self.themes],
        }  # fmt: skip


def aggregate(result: Result, rows: Sequence[SurveyAnswer]) -> Result:
    """Fill `result`'s figures from `rows` (in the order they were given)."""
    shown = list(rows[: len(rows) // MIN_GROUP * MIN_GROUP])
    result.counted = len(shown)
    if not shown:
        return result
    n = len(shown)
    result.ease_mean = sum(r.ease for r in shown) / n
    result.promoters = sum(1 for r in shown if r.recommend >= PROMOTERS)
    result.detractors = sum(1 for r in shown if r.recommend <= DETRACTORS)
    result.passives = n - result.promoters - result.detractors
    result.nps = 100 * (result.promoters - result.detractors) / n
    result.themes, result.others = _themes([r.improve for r in shown])
    return result


def _themes(texts: Iterable[str]) -> tuple[list[Theme], list[tuple[str, int]]]:
    items = [
        keyword_themes.Item(i, " ".join(text.split()))
        for i, text in enumerate(texts)
        if text.strip()
    ]
    groups = keyword_themes.by_keywords(items, min_group=MIN_GROUP)
    grouped = {item.answer for g in groups for item in g.items}
    found = [
        Theme(g.title, g.size, list(dict.fromkeys(i.text[:300] for i in g.items))[:MAX_EXAMPLES])
        for g in groups
    ]
    left = Counter(item.text for item in items if item.answer not in grouped)
    # most frequent first, then alphabetical: the order says nothing about who answered when
    others = sorted(left.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))
    return found, others


def _rows(db: Session, tenant_id: int, synthetic: bool, **where: Any) -> list[SurveyAnswer]:
    stmt = select(SurveyAnswer).where(
        SurveyAnswer.tenant_id == tenant_id, SurveyAnswer.synthetic.is_(synthetic)
    )
    for name, value in where.items():
        stmt = stmt.where(getattr(SurveyAnswer, name) == value)
    return list(db.scalars(stmt.order_by(SurveyAnswer.id)))


def has_synthetic(db: Session, tenant_id: int) -> bool:
    stmt = select(SurveyAnswer.id).where(
        SurveyAnswer.tenant_id == tenant_id, SurveyAnswer.synthetic.is_(True)
    )
    return db.scalar(stmt.limit(1)) is not None


def by_service(db: Session, tenant_id: int, *, synthetic: bool, today: date) -> list[Result]:
    """One result per service × launch date × wave that has answers or is open or past for the
    service's current launch date; by service name, then launch, then wave."""
    services = {
        s.id: s.name for s in db.scalars(select(Service).where(Service.tenant_id == tenant_id))
    }
    rows = _rows(db, tenant_id, synthetic)
    keys: dict[tuple[int | None, date, int], list[SurveyAnswer]] = {}
    for row in rows:
        keys.setdefault((row.service_id, row.launch_date, row.wave), []).append(row)
    dates = survey.launch_dates(db, tenant_id)
    for service in services:
        start = survey.launch_for(dates, service)
        for wave in survey.WAVES if start is not None else ():
            if start is not None and survey.Wave(start, wave).opens <= today:
                keys.setdefault((service, start, wave), [])
    out = []
    for (sid, launch, days), found in keys.items():
        accounts = survey.eligible_accounts(db, tenant_id, sid, synthetic=synthetic)
        label = services.get(sid, NO_SERVICE) if sid is not None else NO_SERVICE
        out.append(aggregate(Result(label, sid, launch, days, len(found), accounts), found))
    return sorted(out, key=lambda r: (r.label.casefold(), r.launch or date.min, r.wave))


def for_review(db: Session, tenant_id: int, service_id: int | None, wave: int,
               launch: date) -> Result:  # fmt: skip
    """The wave's results for a review: one service's, or (None) every service's answers given
    for that launch date. Real answers only."""
    where: dict[str, Any] = {"launch_date": launch, "wave": wave}
    if service_id is not None:
        where["service_id"] = service_id
    rows = _rows(db, tenant_id, False, **where)
    label = "Toute la collectivité"
    if service_id is not None:
        service = db.get(Service, service_id)
        label = service.name if service is not None else NO_SERVICE
    accounts = survey.eligible_accounts(db, tenant_id, service_id, synthetic=False)
    return aggregate(Result(label, service_id, launch, wave, len(rows), accounts), rows)


def by_wave(db: Session, tenant_id: int, *, synthetic: bool) -> list[Result]:
    """The collectivité's answers per wave, every service and launch date together (the
    dashboard's satisfaction block); only waves with answers."""
    rows = _rows(db, tenant_id, synthetic)
    accounts = survey.eligible_accounts(db, tenant_id, None, synthetic=synthetic)
    out = []
    for days in survey.WAVES:
        found = [r for r in rows if r.wave == days]
        if found:
            result = Result("Toute la collectivité", None, None, days, len(found), accounts)
            out.append(aggregate(result, found))
    return out
