"""Démoville's synthetic planning data: two diagnostics six months apart, a closed survey of
40 answers and a portfolio of 8 cases across the circles. Everything is flagged `synthetic`
and titled « (fictif) »; loading twice changes nothing."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Service, Tenant, User
from civia.db.base import utcnow
from civia.planning import diagnostics, portfolio, survey
from civia.planning.grid import builtin
from civia.planning.models import Diagnostic

EARLIER = {  # six months ago: medium maturity, weak on skills
    "postes": 2, "documents": 1, "hebergement": 1, "identites": 2, "support": 2,
    "cartographie": 1, "modeles": 2, "mesure": 0, "irritants": 1, "transversalite": 1,
    "aisance": 1, "acculturation": 0, "referents": 0, "temps": 1, "climat": 1,
    "portage": 2, "charte": 1, "comite": 1, "rgpd": 2, "transparence": 1,
}  # fmt: skip
NOW = {
    "postes": 2, "documents": 2, "hebergement": 3, "identites": 2, "support": 2,
    "cartographie": 2, "modeles": 2, "mesure": 1, "irritants": 3, "transversalite": 2,
    "aisance": 2, "acculturation": 2, "referents": 2, "temps": 1, "climat": 2,
    "portage": 3, "charte": 3, "comite": 3, "rgpd": 3, "transparence": 2,
}  # fmt: skip
FEARS = (
    "Que la qualité des réponses aux usagers baisse.",
    "Ne pas savoir vérifier ce que l'outil produit.",
    "Que mon poste soit réduit à de la relecture.",
    "Que des données des usagers partent à l'extérieur.",
    "",
    "",
)
WISHES = (
    "Un premier jet des réponses aux courriels les plus fréquents.",
    "Des comptes rendus de réunion à partir de mes notes.",
    "Retrouver vite une délibération ancienne.",
    "Un modèle d'arrêté de voirie prérempli.",
    "Résumer les rapports de 60 pages avant les commissions.",
    "",
)
TASKS = ("", "", "Reformuler des courriers avec un outil en ligne.", "Résumer des documents.")
# (title, service index, circle, risk, marks of the three scorers: impact, ease, acceptability)
CASES = (
    ("Réponses aux courriels récurrents (fictif)",
     1, 1, "faible", ((5, 4, 4), (4, 4, 5), (5, 3, 4))),
    ("Comptes rendus de réunion (fictif)",
     1, 1, "faible", ((4, 5, 5), (4, 4, 5), (5, 4, 4))),
    ("Arrêtés de voirie temporaires (fictif)",
     2, 2, "moyen", ((4, 3, 4), (5, 3, 3), (4, 2, 4))),
    ("Publications pour les réseaux sociaux (fictif)",
     0, 2, "faible", ((3, 4, 4), (3, 5, 3), (2, 4, 4))),
    ("Tri des demandes entrantes (fictif)",
     1, 2, "moyen", ((5, 2, 3), (4, 3, 3), (4, 2, 2))),
    ("Recherche dans les délibérations (fictif)",
     0, 3, "faible", ((3, 2, 5), (4, 2, 4), (3, 3, 5))),
    ("Synthèse des rapports de commission (fictif)",
     0, 3, "faible", ((3, 3, 4), (2, 3, 4), (3, 4, 4))),
    ("Pré-instruction des aides sociales (fictif)",
     1, 0, "eleve", ((4, 1, 1), (3, 2, 2), (5, 1, 1))),
)  # fmt: skip


def load(db: Session, tenant: Tenant) -> None:
    exists = db.scalar(
        select(Diagnostic.id).where(Diagnostic.tenant_id == tenant.id, Diagnostic.synthetic)
    )
    if exists is not None:
        return
    users = {u.login: u for u in db.scalars(select(User).where(User.tenant_id == tenant.id))}
    pilot = users.get("pilotage") or users.get("admin")
    if pilot is None:
        return
    grid = builtin()
    now = utcnow()
    for title, answers, age in (
        ("Diagnostic initial (fictif)", EARLIER, timedelta(days=182)),
        ("Diagnostic actuel (fictif)", NOW, timedelta(0)),
    ):
        row = diagnostics.create(
            db, user=pilot, grid=grid, title=title, answers=answers, synthetic=True
        )
        row.created_at = now - age
    _survey(db, pilot)
    _portfolio(db, tenant, users, pilot)
    db.flush()


def _survey(db: Session, pilot: User) -> None:
    rng = random.Random(2026)  # the same 40 answers on every install
    row = survey.open_survey(
        db, user=pilot, title="Vos irritants au travail (fictif)", synthetic=True
    )
    row.created_at = utcnow() - timedelta(days=150)
    weights = {
        "courriels": 6,
        "comptes_rendus": 5,
        "arretes": 4,
        "saisie": 4,
        "synthese": 3,
        "courriers": 3,
        "communication": 2,
        "recherche": 2,
        "tri": 2,
    }
    for _ in range(40):
        picked = list(dict.fromkeys(rng.choices(list(weights), list(weights.values()), k=3)))
        sub = survey.Submission(
            irritants=picked,
            hours_per_week=str(rng.choice((2, 3, 4, 5, 5, 6, 8, 10))),
            ai_use=rng.choices(list(survey.AI_USES), (5, 3, 2))[0],
            ai_tasks=rng.choice(TASKS),
            fears=rng.choice(FEARS),
            wishes=rng.choice(WISHES),
        )
        # Synthetic sentences hold no personal data: no need to load the detection engine.
        survey.submit(db, row, sub, masker=lambda text: text)
    survey.close(db, user=pilot, survey=row)


def _portfolio(db: Session, tenant: Tenant, users: dict[str, User], pilot: User) -> None:
    services = list(
        db.scalars(select(Service).where(Service.tenant_id == tenant.id).order_by(Service.id))
    )
    scorers = [users[n] for n in ("pilotage", "admin", "comite") if n in users]
    for title, service, circle, risk, marks in CASES:
        case = portfolio.create(
            db,
            user=pilot,
            title=title,
            description="Cas de démonstration, notes fictives.",
            service_id=services[service].id if service < len(services) else None,
            risk=risk,
            circle=circle,
            source="enquete" if circle < 3 else "saisie",
            synthetic=True,
        )
        for scorer, (impact, ease, acceptability) in zip(scorers, marks, strict=False):
            portfolio.rate(
                db,
                user=scorer,
                case=case,
                marks={
                    "impact": str(impact),
                    "ease": str(ease),
                    "acceptability": str(acceptability),
                },
            )
