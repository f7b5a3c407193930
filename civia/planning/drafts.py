"""From a portfolio case, in one step: an assistant draft in the Atelier and its card in the
use-case register, linked both ways (the candidate keeps both; the card names the candidate)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Role, User
from civia.assistants import builder
from civia.assistants.models import AssistantDefinition
from civia.assistants.renderers import slugify
from civia.assistants.spec import AssistantSpec
from civia.audit import journal as audit
from civia.governance import usecases
from civia.planning.models import Candidate
from civia.planning.portfolio import CIRCLES, RISKS

# The register's risk classes are decided by the comité; the portfolio's rough risk only
# pre-fills the notes.
INSTRUCTIONS = (
    "Tu es un assistant de la collectivité. Ta mission : {title}. {description}\n"
    "Rédige en français administratif clair et neutre. N'invente ni fait, ni date, ni texte "
    "de loi : signale ce qui manque. L'agent relit et valide toujours ton travail."
)


class DraftError(ValueError):
    """Why no draft was created, in French."""


def _free_slug(db: Session, tenant_id: int, title: str) -> str:
    base = slugify(title, max_length=50)
    base = base if len(base) >= 2 else "cas-usage"
    taken = set(
        db.scalars(
            select(AssistantDefinition.slug).where(AssistantDefinition.tenant_id == tenant_id)
        )
    )
    slug, n = base, 2
    while slug in taken or slug in builder.RESERVED:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create(db: Session, *, user: User, case: Candidate) -> tuple[str, int]:
    """The assistant's slug and the card's id. Refused when the case already has its card.
    A case that came from the Atelier already has its assistant: only the card is created.

    Pilotage may do this (the register's card is then a draft *proposed* by pilotage, which an
    editor completes and submits, and the comité reviews); the assistant draft belongs to the
    case's service, whose référent builds it in the Atelier."""
    if case.use_case_id is not None:
        raise DraftError("Ce cas a déjà son brouillon d'assistant et sa fiche.")
    if user.role_enum is Role.PILOTAGE and case.service_id is None:
        raise DraftError(
            "Choisissez d'abord le service concerné par ce cas (« Cercle, service et "
            "risque ») : son référent construira l'assistant dans l'Atelier."
        )
    if case.assistant_slug:
        slug = case.assistant_slug
        if slug not in usecases.assistant_choices(db, user.tenant_id):
            raise DraftError(f"L'assistant « {slug} » n'existe plus dans l'Atelier.")
    else:
        slug = _free_slug(db, user.tenant_id, case.title)
        spec = AssistantSpec(
            id=slug,
            name=case.title[:80],
            description=(case.description or case.title)[:400],
            category="Portefeuille",
            instructions=INSTRUCTIONS.format(title=case.title, description=case.description)[:8000],
        )
        try:
            builder.create(
                db,
                user=user,
                spec=spec,
                note=f"Créé depuis le portefeuille (cas n° {case.id})",
                service_id=case.service_id,
            )
        except builder.BuilderError as exc:
            raise DraftError(" ".join(exc.errors.values())) from None
    circle = CIRCLES[case.circle]
    card = usecases.Card(
        assistant_id=slug,
        title=case.title,
        purpose=(
            f"{case.description}\n\nIssu du portefeuille de cas d'usage (Diagnostic et plan, "
            f"cas n° {case.id}, cercle : {circle.label})."
        ).strip(),
        owner_service_id=case.service_id,
        risk_notes=f"Risque estimé par le pilotage : {RISKS[case.risk].lower()}.",
    )
    origin = (f"/pilotage/portefeuille/{case.id}", f"Portefeuille de cas d'usage, cas n° {case.id}")
    try:
        row = usecases.create(db, actor=user, card=card, origin=origin)
    except usecases.CardError as exc:
        raise DraftError(" ".join(exc.errors.values())) from None
    except usecases.WorkflowError as exc:
        raise DraftError(str(exc)) from None
    case.assistant_slug, case.use_case_id = slug, row.id
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="planning.candidate_drafted",
        target=f"candidate:{case.id}",
        details={"assistant_id": slug, "use_case_id": row.id, "role": user.role},
    )
    return slug, row.id
