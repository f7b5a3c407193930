"""Demo data: one event of the fictitious commune, given to the « Affiche et visuel » assistant.
Its texts are written by the local model in the background when the demo first runs (like the
demo mailbox's messages), then the agent lays out the poster and the visuals."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Role, Tenant, User
from civia.assistants import launch, runs
from civia.assistants.catalogue import get as builtin
from civia.assistants.models import AssistantRun

EVENT = {
    "quoi": "Fête de la musique : scène ouverte aux groupes amateurs de la commune, chorale "
    "des écoles à 18 h, buvette tenue par l'association des parents d'élèves "
    "(événement de démonstration)",
    "quand": "Samedi 20 juin 2026, de 18 h à minuit",
    "lieu": "Place de la Mairie, Démoville",
    "public": "Tout public",
    "pratique": "Entrée libre. Inscription des groupes à l'accueil de la mairie avant le 5 juin.",
}


def load(db: Session, tenant: Tenant) -> None:
    """Idempotent: nothing is added once the agent has a poster run."""
    agent = db.scalar(
        select(User).where(User.tenant_id == tenant.id, User.login == Role.AGENT.value)
    )
    spec = builtin("affiche")
    if agent is None or spec is None:
        return
    if db.scalar(
        select(AssistantRun.id).where(
            AssistantRun.user_id == agent.id, AssistantRun.assistant_id == spec.id
        )
    ):
        return
    run = runs.create(db, user=agent, spec=spec, raw=EVENT)
    launch.enqueue(db, run)
