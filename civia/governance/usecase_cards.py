"""Use-case cards: what an assistant is for, its data, oversight and risk class; creation and
editing (drafts and cases sent back by the comité), and what the card still lacks."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts import roles
from civia.accounts.models import Role, Service, User
from civia.assistants.catalogue import builtins
from civia.assistants.models import AssistantDefinition
from civia.audit import journal as audit
from civia.db.base import utcnow
from civia.governance.models import UseCase
from civia.governance.standing import BUILTINS_ID, BUILTINS_NAME
from civia.governance.usecase_terms import (
    DATA_CATEGORIES,
    EDITABLE,
    MIN_FRIA_CHARS,
    SENSITIVE_CATEGORIES,
    CaseStatus,
    RiskClass,
    WorkflowError,
)
from civia.providers.models import HostingClass


@dataclass
class Card:
    """The editable fields of a use-case card, as typed in the form."""

    assistant_id: str
    title: str
    purpose: str = ""
    owner_service_id: int | None = None
    users_description: str = ""
    data_categories: list[str] = field(default_factory=list)
    hosting_class: str = HostingClass.LOCAL.value
    human_oversight: str = ""
    overseers: str = ""
    expected_benefit: str = ""
    risk_class: str = RiskClass.MINIMAL.value
    risk_notes: str = ""
    fria: str = ""
    training_required: bool = False
    retention_days: int | None = None

    @classmethod
    def of(cls, case: UseCase) -> Card:
        return cls(**{name: getattr(case, name) for name in cls.__dataclass_fields__})


class CardError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def assistant_choices(db: Session, tenant_id: int) -> dict[str, str]:
    """The built-ins' standing card, the built-in assistants and the collectivité's own ones:
    id → name."""
    choices = {BUILTINS_ID: BUILTINS_NAME}
    choices.update((spec.id, spec.name) for spec in builtins().values())
    rows = db.execute(
        select(AssistantDefinition.slug, AssistantDefinition.spec).where(
            AssistantDefinition.tenant_id == tenant_id
        )
    )
    for slug, spec in rows:
        choices.setdefault(slug, str((spec or {}).get("name") or slug))
    return choices


def _check(db: Session, tenant_id: int, card: Card) -> dict[str, str]:
    errors = {}
    if card.assistant_id not in assistant_choices(db, tenant_id):
        errors["assistant_id"] = "Choisissez un assistant de la collectivité."
    if not 3 <= len(card.title.strip()) <= 200:
        errors["title"] = "Le titre doit faire entre 3 et 200 caractères."
    if unknown := set(card.data_categories) - set(DATA_CATEGORIES):
        errors["data_categories"] = f"Catégories inconnues : {', '.join(sorted(unknown))}."
    if card.hosting_class not in {h.value for h in HostingClass}:
        errors["hosting_class"] = "Hébergement inconnu."
    if card.risk_class not in {r.value for r in RiskClass}:
        errors["risk_class"] = "Classe de risque inconnue."
    if card.owner_service_id is not None:
        service = db.get(Service, card.owner_service_id)
        if service is None or service.tenant_id != tenant_id:
            errors["owner_service_id"] = "Service inconnu."
    if card.retention_days is not None and not 1 <= card.retention_days <= 3650:
        errors["retention_days"] = "La durée de conservation va de 1 à 3 650 jours."
    return errors


def missing_for_submission(case: UseCase) -> list[str]:
    checks = {
        "la finalité": case.purpose,
        "le service responsable": case.owner_service_id,
        "les utilisateurs": case.users_description,
        "les catégories de données": case.data_categories,
        "le contrôle humain": case.human_oversight,
        "le bénéfice attendu": case.expected_benefit,
    }
    return [name for name, value in checks.items() if not value]


def warnings(case: UseCase, *, fria_file: bool = False) -> list[str]:
    """What the DPO and the comité should look at (shown on the card, not blocking).
    `fria_file`: an assessment file is attached (see `civia.governance.fria`)."""
    found = []
    categories = set(case.data_categories or [])
    personal = categories - {"none"}
    if categories & SENSITIVE_CATEGORIES and case.hosting_class != HostingClass.LOCAL.value:
        found.append("Données sensibles traitées par un modèle qui n'est pas hébergé localement.")
    if personal and case.hosting_class == HostingClass.OUTSIDE_EU.value:
        found.append("Données personnelles envoyées hors de l'Union européenne (transfert).")
    fria_text = len(case.fria.strip()) >= MIN_FRIA_CHARS
    if case.risk_class == RiskClass.HIGH and not (fria_text or fria_file):
        found.append("Haut risque : l'analyse d'impact sur les droits fondamentaux manque.")
    if case.risk_class == RiskClass.HIGH and not overseer_names(case):
        found.append("Haut risque : aucune personne chargée du contrôle humain n'est nommée.")
    if case.risk_class == RiskClass.PROHIBITED:
        found.append("Pratique interdite : ce cas d'usage ne peut pas être approuvé.")
    return found


def overseer_names(case: UseCase) -> list[str]:
    return [line.strip() for line in case.overseers.splitlines() if line.strip()]


def _target(case: UseCase) -> str:
    return f"usecase:{case.id}"


def create(
    db: Session, *, actor: User, card: Card, origin: tuple[str, str] | None = None
) -> UseCase:
    """A draft card. `origin` (a page of Civia: path, label) is where the case comes from; with
    it, pilotage may create the draft too (from its portfolio): the comité still reviews it,
    and only an editor submits it."""
    allowed = roles.CASE_EDITORS | (roles.CASE_PROPOSERS if origin else frozenset())
    if actor.role_enum not in allowed:
        raise WorkflowError(
            "Seuls les référents, le comité, le DPO et les administrateurs créent des fiches.",
            "role",
            403,
        )
    if origin and not (origin[0].startswith("/") and not origin[0].startswith("//")):
        raise WorkflowError("Origine invalide.", "invalid", 422)
    errors = _check(db, actor.tenant_id, card)
    exists = db.scalar(
        select(UseCase.id).where(
            UseCase.tenant_id == actor.tenant_id, UseCase.assistant_id == card.assistant_id
        )
    )
    if exists:
        errors["assistant_id"] = "Une fiche existe déjà pour cet assistant."
    if errors:
        raise CardError(errors)
    case = UseCase(tenant_id=actor.tenant_id, created_by=actor.id, status=CaseStatus.DRAFT.value)
    if origin:
        case.origin_url, case.origin_label = origin[0][:300], origin[1][:200]
    _apply(case, card)
    db.add(case)
    db.flush()
    audit.record(
        db,
        tenant_id=actor.tenant_id,
        actor=actor,
        action="usecase.proposed" if actor.role_enum in roles.CASE_PROPOSERS else "usecase.created",
        target=_target(case),
        details={"assistant_id": case.assistant_id, "risk_class": case.risk_class}
        | ({"origin": case.origin_url} if origin else {}),
    )
    return case


def _apply(case: UseCase, card: Card) -> None:
    for name in Card.__dataclass_fields__:
        value = getattr(card, name)
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    case.data_categories = sorted(set(card.data_categories))
    case.updated_at = utcnow()


def can_edit(user: User, case: UseCase) -> bool:
    """The card's author, a référent of its service or an admin; a card pilotage proposed is
    completed by an editor (pilotage cannot edit or submit it)."""
    if user.tenant_id != case.tenant_id or user.role_enum not in roles.CASE_EDITORS:
        return False
    return (
        user.role_enum is Role.ADMIN
        or user.id == case.created_by
        or (user.role_enum is Role.REFERENT and user.service_id == case.owner_service_id)
    )


def update(db: Session, case: UseCase, *, actor: User, card: Card) -> None:
    if not can_edit(actor, case):
        raise WorkflowError("Vous ne pouvez pas modifier cette fiche.", "role", 403)
    if case.status not in EDITABLE:
        raise WorkflowError(
            "La fiche n'est modifiable qu'en brouillon ou quand le comité "
            "demande des modifications.",
            "state",
        )
    card.assistant_id = case.assistant_id  # a card stays attached to its assistant
    if errors := _check(db, actor.tenant_id, card):
        raise CardError(errors)
    _apply(case, card)
    audit.record(
        db,
        tenant_id=case.tenant_id,
        actor=actor,
        action="usecase.updated",
        target=_target(case),
        details={"risk_class": case.risk_class},
    )


def get(db: Session, tenant_id: int, case_id: int) -> UseCase | None:
    case = db.get(UseCase, case_id)
    return case if case is not None and case.tenant_id == tenant_id else None


def for_tenant(db: Session, tenant_id: int, status: str = "") -> list[UseCase]:
    stmt = select(UseCase).where(UseCase.tenant_id == tenant_id)
    if status:
        stmt = stmt.where(UseCase.status == status)
    return list(db.scalars(stmt.order_by(UseCase.title)))


def counts(db: Session, tenant_id: int) -> dict[str, int]:
    rows = db.execute(
        select(UseCase.status, func.count())
        .where(UseCase.tenant_id == tenant_id)
        .group_by(UseCase.status)
    )
    return {status: n for status, n in rows}


def authored_by(case: UseCase, user: User) -> bool:
    """Wrote or submitted the case: may not review, vote on or decide it."""
    return user.id in (case.created_by, case.submitted_by)
