"""Clearly synthetic answers to the satisfaction survey for the demo: the fictitious agents of
`steering.demo` answer the J+15, J+30 and J+90 waves (rows marked `synthetic`, shown apart from
real answers with the « Données fictives » notice, deleted by `civia steering demo-remove`).

The collectivité's launch date is set to the first day of the synthetic activity when pilotage
has not set one, so that the J+90 wave is open for the demo's real personas on the first run."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.steering import survey
from civia.steering.filters import SYNTHETIC_LOGIN_PREFIX
from civia.steering.models import SurveyAnswer
from civia.usage import rates

# (ease weights 1..5, recommend range) per service of the demo, in service order
PROFILES = (
    ((0, 1, 2, 6, 4), (6, 10)),
    ((0, 2, 4, 6, 2), (5, 10)),
    ((2, 4, 4, 2, 0), (2, 8)),
)
TEXTS = (
    "Des modèles de courriers pour l'état civil",
    "Plus de modèles de courriers types",
    "Des courriers mieux adaptés à notre service",
    "Réponses plus rapides, l'attente est longue",
    "Les réponses arrivent lentement le matin",
    "Une formation aux consignes pour les collègues",
    "Former les nouveaux agents",
    "Pouvoir déposer des fichiers plus lourds",
    "",
    "",
)
ANSWER_RATE = {15: 0.8, 30: 0.7, 90: 0.5}


def load(db: Session, tenant_id: int, launch_days_ago: int, *, now: datetime,
         rng: random.Random) -> int:  # fmt: skip
    """Answers of the synthetic agents to each wave already open; returns answers added."""
    today = now.date()
    launch = today - timedelta(days=launch_days_ago)
    row = rates.settings_row(db, tenant_id)
    if "all" not in (row.launch_dates or {}):
        row.launch_dates = {**(row.launch_dates or {}), "all": launch.isoformat()}
    agents = db.scalars(
        select(User)
        .where(User.tenant_id == tenant_id, User.login.startswith(SYNTHETIC_LOGIN_PREFIX))
        .order_by(User.id)
    ).all()
    services = sorted({a.service_id for a in agents if a.service_id is not None})
    added = 0
    for days in survey.WAVES:
        wave = survey.Wave(launch, days)
        if wave.opens > today:
            continue
        for agent in agents:
            if agent.service_id is None or rng.random() > ANSWER_RATE[days]:
                continue
            weights, (low, high) = PROFILES[services.index(agent.service_id) % len(PROFILES)]
            given = min(today, wave.opens + timedelta(days=rng.randint(0, survey.WAVE_DAYS - 1)))
            db.add(
                SurveyAnswer(
                    tenant_id=tenant_id,
                    service_id=agent.service_id,
                    launch_date=launch,
                    wave=days,
                    week=given - timedelta(days=given.weekday()),
                    ease=rng.choices(range(1, 6), weights=weights)[0],
                    recommend=rng.randint(low, high),
                    improve=rng.choice(TEXTS),
                    synthetic=True,
                )
            )
            added += 1
    db.flush()
    return added


def remove(db: Session, tenant_id: int) -> int:
    found = db.execute(
        delete(SurveyAnswer).where(
            SurveyAnswer.tenant_id == tenant_id, SurveyAnswer.synthetic.is_(True)
        )
    )
    return int(getattr(found, "rowcount", 0) or 0)
