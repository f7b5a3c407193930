"""Demo data: one event of the fictitious commune, with poster texts written by hand for the
demo (no model is called when the demo loads: the run says so, and its files do not claim an
AI's help). The agent lays out the poster and the visuals, or runs the assistant again on the
same facts to see the local model write them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Role, Tenant, User
from civia.assistants import runs
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
TEXTS = {
    "titre": "Fête de la musique",
    "accroche": "Groupes amateurs, chorale des écoles : toute la commune en musique !",
    "infos": [
        "Samedi 20 juin 2026, de 18 h à minuit",
        "Place de la Mairie, Démoville",
        "Tout public, entrée libre",
        "Groupes : inscription à l'accueil de la mairie avant le 5 juin",
    ],
    "pictogramme": "musique",
}
NOTICE = (
    "Exemple de démonstration : ces textes ont été écrits à la main, sans IA. Relancez "
    "l'assistant « Affiche et visuel » avec les mêmes informations pour les faire rédiger."
)


def load(db: Session, tenant: Tenant) -> None:
    """Idempotent: nothing is added once the agent has a poster result."""
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
    run.data = dict(TEXTS)
    run.draft = "\n".join(
        [f"# {TEXTS['titre']}", "", f"*{TEXTS['accroche']}*", "",
         *(f"- {line}" for line in TEXTS["infos"])]
    )  # fmt: skip
    run.status = "draft"
    run.warning = NOTICE  # `model` stays empty: no model wrote these texts
