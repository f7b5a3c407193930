"""The use-case portfolio: candidate cases scored by a small group on the field's three criteria
(measurable business impact, ease of implementation, acceptability by agents), a priority
matrix impact × ease, and the three circles with their rules."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Service, User
from civia.assistants.models import AssistantDefinition
from civia.assistants.spec import Status
from civia.audit import journal as audit
from civia.governance.models import UseCase
from civia.planning.models import Candidate, CandidateScore

SOURCES = {
    "enquete": "Enquête auprès des agents",
    "saisie": "Saisi par le pilotage",
    "atelier": "Demande à l'Atelier",
    "mutualisation": "Importé d'une autre collectivité",
}
RISKS = {"faible": "Faible", "moyen": "Moyen", "eleve": "Élevé"}
CRITERIA = {
    "impact": "Impact métier mesurable",
    "ease": "Facilité de mise en œuvre",
    "acceptability": "Acceptabilité par les agents",
}


@dataclass(frozen=True)
class Circle:
    number: int
    label: str
    rule: str


CIRCLES = {
    0: Circle(0, "À placer", "Cas pas encore placé dans un cercle."),
    1: Circle(1, "Expérimentation sécurisée", "3 à 6 mois, un service pilote, 2 à 3 cas simples."),
    2: Circle(2, "Déploiement maîtrisé", "6 à 12 mois, 3 à 4 services, gouvernance renforcée."),
    3: Circle(3, "Transformation à l'échelle", "12 mois et plus, tous les services concernés."),
}
DISAGREEMENT = 3  # a spread of 3 points or more on a 1–5 criterion: the group should talk


class PortfolioError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Scored:
    """A candidate with its group's marks: mean and spread (max − min) per criterion."""

    case: Candidate
    scorers: int
    means: dict[str, float]
    spreads: dict[str, int]
    mine: dict[str, int]  # the viewer's own marks, if any

    @property
    def priority(self) -> float:
        """Value × feasibility: mean impact × mean ease (1–25)."""
        return round(self.means.get("impact", 0) * self.means.get("ease", 0), 1)

    @property
    def quadrant(self) -> str:
        if not self.scorers:
            return "Pas encore noté"
        high_impact, easy = self.means["impact"] >= 3, self.means["ease"] >= 3
        if high_impact and easy:
            return "Prioritaire"
        if high_impact:
            return "Projet structurant"
        return "Gain rapide secondaire" if easy else "À écarter pour l'instant"

    @property
    def disputed(self) -> list[str]:
        return [CRITERIA[k] for k, v in self.spreads.items() if v >= DISAGREEMENT]


def _check(
    db: Session, tenant_id: int, *, title: str, service_id: int | None, risk: str, source: str
) -> dict[str, str]:
    errors = {}
    if not 3 <= len(title.strip()) <= 200:
        errors["title"] = "Le titre doit faire entre 3 et 200 caractères."
    if risk not in RISKS:
        errors["risk"] = "Niveau de risque inconnu."
    if source not in SOURCES:
        errors["source"] = "Origine inconnue."
    if service_id is not None:
        service = db.get(Service, service_id)
        if service is None or service.tenant_id != tenant_id:
            errors["service_id"] = "Service inconnu."
    return errors


def create(
    db: Session,
    *,
    user: User,
    title: str,
    description: str = "",
    service_id: int | None = None,
    risk: str = "faible",
    source: str = "saisie",
    circle: int = 0,
    synthetic: bool = False,
) -> Candidate:
    errors = _check(
        db, user.tenant_id, title=title, service_id=service_id, risk=risk, source=source
    )
    if len(description) > 4000:
        errors["description"] = "La description fait 4 000 caractères au plus."
    if circle not in CIRCLES:
        errors["circle"] = "Cercle inconnu."
    if errors:
        raise PortfolioError(errors)
    row = Candidate(
        tenant_id=user.tenant_id,
        title=title.strip(),
        description=description.strip(),
        source=source,
        service_id=service_id,
        risk=risk,
        circle=circle,
        synthetic=synthetic,
        created_by=user.id,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="planning.candidate_saved",
        target=f"candidate:{row.id}",
        details={"source": source},
    )
    return row


def get(db: Session, tenant_id: int, candidate_id: int) -> Candidate | None:
    row = db.get(Candidate, candidate_id)
    return row if row is not None and row.tenant_id == tenant_id else None


def find_by_title(db: Session, tenant_id: int, title: str) -> Candidate | None:
    return db.scalar(
        select(Candidate).where(Candidate.tenant_id == tenant_id, Candidate.title == title)
    )


def place(
    db: Session, *, user: User, case: Candidate, circle: int, service_id: int | None, risk: str
) -> None:
    errors = _check(
        db, user.tenant_id, title=case.title, service_id=service_id, risk=risk, source=case.source
    )
    if circle not in CIRCLES:
        errors["circle"] = "Cercle inconnu."
    if errors:
        raise PortfolioError(errors)
    case.circle, case.service_id, case.risk = circle, service_id, risk
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="planning.candidate_saved",
        target=f"candidate:{case.id}",
        details={"circle": circle, "risk": risk},
    )


def remove(db: Session, *, user: User, case: Candidate) -> None:
    """A case without a register card leaves the portfolio with its marks (an assistant the
    case came from stays in the Atelier)."""
    if case.use_case_id is not None:
        raise PortfolioError(
            {"": "Ce cas a déjà son assistant et sa fiche au registre : il reste au portefeuille."}
        )
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="planning.candidate_removed",
        target=f"candidate:{case.id}",
        details={"title": case.title[:200]},
    )
    db.delete(case)
    db.flush()


def rate(db: Session, *, user: User, case: Candidate, marks: dict[str, str]) -> None:
    """The user's marks (1–5) on the three criteria; a second rating replaces the first."""
    values = {}
    for key, label in CRITERIA.items():
        raw = str(marks.get(key, "")).strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 5:
            raise PortfolioError({key: f"{label} : notez de 1 à 5."})
        values[key] = int(raw)
    row = db.scalar(
        select(CandidateScore).where(
            CandidateScore.candidate_id == case.id, CandidateScore.user_id == user.id
        )
    )
    if row is None:
        row = CandidateScore(candidate_id=case.id, tenant_id=case.tenant_id, user_id=user.id)
        db.add(row)
    row.impact, row.ease, row.acceptability = (
        values["impact"],
        values["ease"],
        values["acceptability"],
    )
    db.flush()


def scored(db: Session, tenant_id: int, viewer_id: int | None = None) -> list[Scored]:
    """Every candidate of the collectivité with its group's marks, by priority."""
    cases = list(db.scalars(select(Candidate).where(Candidate.tenant_id == tenant_id)))
    marks: dict[int, list[CandidateScore]] = {}
    stmt = select(CandidateScore).where(CandidateScore.tenant_id == tenant_id)
    for mark in db.scalars(stmt):
        marks.setdefault(mark.candidate_id, []).append(mark)
    found = []
    for case in cases:
        rows = marks.get(case.id, [])
        means, spreads, mine = {}, {}, {}
        for key in CRITERIA:
            values = [getattr(r, key) for r in rows]
            if values:
                means[key] = round(statistics.fmean(values), 1)
                spreads[key] = max(values) - min(values)
            own = next((getattr(r, key) for r in rows if r.user_id == viewer_id), None)
            if own is not None:
                mine[key] = own
        found.append(Scored(case, len(rows), means, spreads, mine))
    return sorted(found, key=lambda s: (-s.priority, s.case.id))


def warnings(items: list[Scored], services: dict[int, str]) -> list[str]:
    """The circles' rules, checked on the current placement."""
    by_circle = {n: [s for s in items if s.case.circle == n] for n in CIRCLES}
    first, second = by_circle[1], by_circle[2]
    found = []
    if len(first) > 3:
        found.append(
            f"Le premier cercle compte {len(first)} cas : une expérimentation sécurisée en "
            "retient 2 à 3, simples."
        )
    pilot_services = {s.case.service_id for s in first}
    if len(pilot_services) > 1:
        names = sorted(
            services.get(i, "sans service") if i else "sans service" for i in pilot_services
        )
        found.append(
            "Le premier cercle doit rester dans un seul service pilote (ici : "
            + ", ".join(names)
            + ")."
        )
    for s in first:
        if s.case.risk == "eleve":
            found.append(
                f"« {s.case.title} » : un cas à risque élevé n'a pas sa place dans "
                "l'expérimentation sécurisée."
            )
        elif s.scorers and s.means["ease"] < 3:
            found.append(
                f"« {s.case.title} » : peu facile à mettre en œuvre pour un premier "
                "cercle (facilité moyenne sous 3)."
            )
        if s.scorers and s.means["acceptability"] < 2.5:
            found.append(
                f"« {s.case.title} » : acceptabilité faible auprès des agents ; "
                "prévoyez un accompagnement ou choisissez un autre cas."
            )
    second_services = {s.case.service_id for s in second if s.case.service_id}
    if len(second_services) > 4:
        found.append(
            f"Le deuxième cercle touche {len(second_services)} services : un "
            "déploiement maîtrisé en couvre 3 à 4."
        )
    if not first and (second or by_circle[3]):
        found.append(
            "Aucun cas dans le premier cercle : commencez par une expérimentation "
            "sécurisée avant d'étendre."
        )
    return found


@dataclass(frozen=True)
class AtelierRequest:
    """An assistant a service is building in the Atelier, not yet published nor on the
    register: a need the agents expressed, candidate for the portfolio."""

    slug: str
    name: str
    description: str
    service_id: int | None
    status_label: str
    created: datetime


ATELIER_STATUSES = {Status.DRAFT.value: "brouillon", Status.IN_REVIEW.value: "publication demandée"}


def atelier_requests(db: Session, tenant_id: int) -> list[AtelierRequest]:
    """The Atelier's drafts and publication requests not yet in the portfolio nor on the
    register, oldest first."""
    in_portfolio = select(Candidate.assistant_slug).where(
        Candidate.tenant_id == tenant_id, Candidate.assistant_slug != ""
    )
    on_register = select(UseCase.assistant_id).where(UseCase.tenant_id == tenant_id)
    rows = db.scalars(
        select(AssistantDefinition)
        .where(
            AssistantDefinition.tenant_id == tenant_id,
            AssistantDefinition.status.in_(ATELIER_STATUSES),
            AssistantDefinition.slug.not_in(in_portfolio),
            AssistantDefinition.slug.not_in(on_register),
        )
        .order_by(AssistantDefinition.created_at, AssistantDefinition.id)
    )
    return [
        AtelierRequest(
            slug=row.slug,
            name=str((row.spec or {}).get("name") or row.slug)[:200],
            description=str((row.spec or {}).get("description") or "")[:2000],
            service_id=row.owner_service_id,
            status_label=ATELIER_STATUSES[row.status],
            created=row.created_at,
        )
        for row in rows
    ]


def from_atelier(db: Session, *, user: User, slug: str) -> Candidate:
    """The Atelier request `slug` as a candidate case (its assistant already exists)."""
    found = next((r for r in atelier_requests(db, user.tenant_id) if r.slug == slug), None)
    if found is None:
        raise PortfolioError(
            {"slug": "Cette demande de l'Atelier n'existe pas ou est déjà au portefeuille."}
        )
    title = found.name if len(found.name.strip()) >= 3 else f"Assistant {found.slug}"
    row = create(
        db,
        user=user,
        title=title,
        description=(
            f"{found.description}\n\nAssistant « {found.slug} » construit dans l'Atelier "
            f"({found.status_label})."
        ).strip(),
        service_id=found.service_id,
        source="atelier",
    )
    row.assistant_slug = found.slug
    db.flush()
    return row
