"""The demo's shared catalogue: Démoville's référent built an Atelier assistant and published
it, named, so that Bourg-Témoin's admin (`admin-b`) can adopt it. Loading twice changes nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Role, Tenant, User
from civia.assistants import builder
from civia.assistants.models import AssistantDefinition
from civia.assistants.spec import AssistantSpec, FieldKind, FormField
from civia.catalogue import entries

SLUG = "attestation-accueil"
SPEC = AssistantSpec(
    id=SLUG,
    name="Réponse à une demande d'attestation d'accueil",
    description="Prépare la réponse à un habitant qui demande une attestation d'accueil : "
    "pièces à fournir, délai et suite de la démarche.",
    category="Population",
    icon="🏠",
    instructions="Tu aides un agent d'accueil de mairie à répondre à une demande d'attestation "
    "d'accueil. Rédige une réponse courte et courtoise qui liste les pièces à fournir, rappelle "
    "que le maire vérifie les conditions d'hébergement et indique qu'un rendez-vous est proposé. "
    "N'invente aucun tarif ni délai que la demande ne donne pas.",
    prompt="Demande de l'habitant : {{ demande }}",
    fields=(FormField(name="demande", label="Demande reçue", kind=FieldKind.LONG_TEXT),),
)


def load(db: Session, tenant: Tenant) -> None:
    referent = db.scalar(
        select(User).where(User.tenant_id == tenant.id, User.role == Role.REFERENT.value)
    )
    if referent is None:
        return
    exists = db.scalar(
        select(AssistantDefinition.id).where(
            AssistantDefinition.tenant_id == tenant.id, AssistantDefinition.slug == SLUG
        )
    )
    if exists is None:
        builder.create(db, user=referent, spec=SPEC, note="Assistant de démonstration")
    if not any(e.tenant_id == tenant.id for e in entries.live(db)):
        entries.publish(db, user=referent, kind=entries.Kind.ASSISTANT, key=SLUG, named=True)
    db.flush()
