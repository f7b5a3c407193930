"""The anonymous agent survey.

Anonymity, as promised on the form: an answer is linked to no account (the public page never
reads the session), stores no IP address, user agent or time, and its free text is stored
only after the privacy engine masked the personal data it found (the mapping is discarded).
Results are shown only once a survey holds `MIN_GROUP` answers or more, and move by whole
groups of `MIN_GROUP` answers.
"""

from __future__ import annotations

import secrets
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.db.base import utcnow
from civia.planning.models import Survey, SurveyAnswer
from civia.privacy.pseudonymise import masked as mask

MIN_GROUP = 5
MAX_TEXT = 1000
MAX_HOURS = 45
# The field's usual irritants (what agents ask an assistant to do first).
IRRITANTS = {
    "courriels": "Répondre aux courriels récurrents des usagers",
    "arretes": "Rédiger des arrêtés répétitifs",
    "courriers": "Rédiger des courriers administratifs",
    "communication": "Produire des contenus de communication (réseaux sociaux, journal)",
    "comptes_rendus": "Rédiger les comptes rendus de réunion",
    "saisie": "Saisir ou ressaisir des données",
    "synthese": "Lire et résumer des documents longs",
    "recherche": "Retrouver des textes, délibérations ou règles",
    "tri": "Trier et orienter les demandes entrantes",
}
AI_USES = {
    "jamais": "Jamais",
    "parfois": "Parfois (moins d'une fois par semaine)",
    "souvent": "Chaque semaine ou plus",
}
FREE_TEXTS = {
    "irritant_other": "Autre irritant",
    "ai_tasks": "Tâches et outils d'IA déjà utilisés",
    "fears": "Craintes",
    "wishes": "Souhaits",
}


class SurveyError(ValueError):
    """A refused answer; `errors` maps a field to its French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class Submission:
    irritants: list[str]
    hours_per_week: str
    ai_use: str
    irritant_other: str = ""
    ai_tasks: str = ""
    fears: str = ""
    wishes: str = ""


Masker = Callable[[str], str]


def open_survey(db: Session, *, user: User, title: str, synthetic: bool = False) -> Survey:
    title = title.strip()
    if not 3 <= len(title) <= 200:
        raise SurveyError({"title": "Le titre doit faire entre 3 et 200 caractères."})
    row = Survey(
        tenant_id=user.tenant_id,
        title=title,
        token=secrets.token_urlsafe(24),
        status="open",
        synthetic=synthetic,
        created_by=user.id,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="planning.survey_opened",
        target=f"survey:{row.id}",
    )
    return row


def close(db: Session, *, user: User, survey: Survey) -> None:
    survey.status, survey.closed_at = "closed", utcnow()
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="planning.survey_closed",
        target=f"survey:{survey.id}",
        details={"answers": count(db, survey)},
    )


def by_token(db: Session, token: str) -> Survey | None:
    if not 16 <= len(token) <= 64:
        return None
    return db.scalar(select(Survey).where(Survey.token == token))


def get(db: Session, tenant_id: int, survey_id: int) -> Survey | None:
    row = db.get(Survey, survey_id)
    return row if row is not None and row.tenant_id == tenant_id else None


def listed(db: Session, tenant_id: int) -> list[Survey]:
    stmt = select(Survey).where(Survey.tenant_id == tenant_id)
    return list(db.scalars(stmt.order_by(Survey.created_at.desc(), Survey.id.desc())))


def count(db: Session, survey: Survey) -> int:
    stmt = select(func.count(SurveyAnswer.id)).where(SurveyAnswer.survey_id == survey.id)
    return db.scalar(stmt) or 0


def validate(sub: Submission) -> dict[str, str]:
    errors = {}
    chosen = list(dict.fromkeys(sub.irritants))
    if unknown := [i for i in chosen if i not in IRRITANTS]:
        errors["irritants"] = f"Irritant inconnu : {', '.join(unknown)}."
    elif len(chosen) > 3:
        errors["irritants"] = "Choisissez trois irritants au plus."
    elif not chosen and not sub.irritant_other.strip():
        errors["irritants"] = "Choisissez au moins un irritant ou décrivez-le."
    hours = sub.hours_per_week.strip()
    if not hours.isdigit() or int(hours) > MAX_HOURS:
        errors["hours_per_week"] = f"Indiquez un nombre d'heures entier, de 0 à {MAX_HOURS}."
    if sub.ai_use not in AI_USES:
        errors["ai_use"] = "Indiquez si vous utilisez déjà des outils d'IA."
    for name, label in FREE_TEXTS.items():
        if len(getattr(sub, name)) > MAX_TEXT:
            errors[name] = f"{label} : {MAX_TEXT} caractères au plus."
    return errors


def submit(db: Session, survey: Survey, sub: Submission, masker: Masker = mask) -> SurveyAnswer:
    """Store one answer. Free text goes through `masker` before it is stored."""
    if survey.status != "open":
        raise SurveyError({"": "Cette enquête est close : elle ne reçoit plus de réponses."})
    if errors := validate(sub):
        raise SurveyError(errors)
    texts = {name: masker(getattr(sub, name).strip()) for name in FREE_TEXTS}
    row = SurveyAnswer(
        survey_id=survey.id,
        tenant_id=survey.tenant_id,
        irritants=list(dict.fromkeys(sub.irritants)),
        hours_per_week=int(sub.hours_per_week),
        ai_use=sub.ai_use,
        **texts,
    )
    db.add(row)
    db.flush()
    return row


def agents(db: Session, tenant_id: int) -> int:
    """Active accounts of the collectivité: the base of the hours-per-week extrapolation."""
    stmt = select(func.count(User.id)).where(User.tenant_id == tenant_id, User.active)
    return db.scalar(stmt) or 0


def _grouped(texts: Iterable[str]) -> list[tuple[str, int]]:
    """Identical answers once, with their count; most frequent first, then alphabetical, so
    the order says nothing about who answered when."""
    counts = Counter(" ".join(t.split()) for t in texts if t.strip())
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))


@dataclass(frozen=True)
class Results:
    answers: int
    irritants: list[tuple[str, str, int]]  # id, label, count (most cited first)
    ai_uses: list[tuple[str, int]]  # label, count
    hours_mean: float
    hours_median: float
    hours_total: int  # hours per week reported by all respondents
    texts: dict[str, list[tuple[str, int]]]  # field label → (masked answer, how many gave it)

    def share(self, n: int) -> int:
        return round(100 * n / self.answers) if self.answers else 0


def results(db: Session, survey: Survey) -> Results | None:
    """The aggregated answers, or None below `MIN_GROUP` answers (anonymity).

    Results move by whole groups of `MIN_GROUP` answers (the first 5, then 10…): someone
    watching the page between two answers cannot read one person's answer as the difference.
    """
    stmt = select(SurveyAnswer).where(SurveyAnswer.survey_id == survey.id)
    rows = list(db.scalars(stmt.order_by(SurveyAnswer.id)))
    rows = rows[: len(rows) // MIN_GROUP * MIN_GROUP]
    if not rows:
        return None
    cited = Counter(i for r in rows for i in r.irritants)
    hours = [r.hours_per_week for r in rows]
    uses = Counter(r.ai_use for r in rows)
    return Results(
        answers=len(rows),
        irritants=[(k, IRRITANTS[k], n) for k, n in cited.most_common() if k in IRRITANTS],
        ai_uses=[(label, uses.get(key, 0)) for key, label in AI_USES.items()],
        hours_mean=round(statistics.fmean(hours), 1),
        hours_median=float(statistics.median(hours)),
        hours_total=sum(hours),
        texts={
            label: _grouped(getattr(r, name) for r in rows) for name, label in FREE_TEXTS.items()
        },
    )
