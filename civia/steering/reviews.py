"""J+15 / J+30 / J+90 reviews of a deployment: the figures of the window since launch, the
signals at the milestone, and a recommendation computed by stated rules (product.md: J+15
malfunctions, J+30 first quantitative measure, J+90 keep, extend or pivot)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from civia.steering import dashboard, survey_results
from civia.steering.filters import period
from civia.usage.equivalents import number_fr

MILESTONES = (15, 30, 90)
LABELS = {
    "fix": "Corriger d'abord",
    "keep": "Maintenir",
    "extend": "Étendre",
    "pivot": "Réorienter",
}
FAILURE_ALARM = 0.10
ADOPTION_ALARM = 0.30
ADOPTION_EXTEND = 0.50  # the regional reference: half of the agents with an account active
USEFUL_LOW, USEFUL_HIGH = 0.5, 0.7
HOURS_EXTEND = 1.0  # hours saved per active agent per week
EASE_LOW = 2.5  # the survey's mean ease (1–5) under which the service is reoriented


@dataclass
class Verdict:
    recommendation: str
    reasons: list[str]
    figures: dict[str, Any]

    @property
    def label(self) -> str:
        return LABELS[self.recommendation]


def _pct(value: float) -> str:
    return f"{number_fr(value * 100, 0)} %"


def figures(db: Session, tenant_id: int, service_id: int | None, milestone: int,
            launch: date) -> dict[str, Any]:  # fmt: skip
    """The figures of the window [launch, launch + milestone days], as the dashboard counts."""
    end = launch + timedelta(days=milestone)
    f = period(tenant_id, days=None, start=launch, end=end, service_id=service_id)
    board = dashboard.build(db, f)
    t = board.totals
    users = t["users"]
    rated = t["useful"] + t["not_useful"]
    out: dict[str, Any] = {key: t.get(key, 0.0) for key in dashboard.SUMMARY_KEYS}
    out |= {
        "hidden": board.hidden,
        "accounts": board.accounts,
        "active_users": users,
        "targeted": board.targeted,
        "adoption": t["active_users_30d"] / board.targeted if board.targeted else 0.0,
        "failure_rate": t["failures"] / t["calls"] if t["calls"] else 0.0,
        "ratings": rated,
        "useful_rate": t["useful"] / rated if rated else None,
        "hours_per_user_week": t["hours_saved"] / users / (milestone / 7) if users else 0.0,
        "satisfaction": survey_results.for_review(
            db, tenant_id, service_id, milestone, launch
        ).figures(),
        "signals": [
            {"service": name, "kind": s.kind, "title": s.title, "reason": s.reason}
            for name, found in board.signals.items()
            for s in found
        ],
    }
    return out


def verdict(milestone: int, fig: dict[str, Any]) -> Verdict:
    """The recommendation and the rules that gave it, in French."""
    reasons: list[str] = []
    sat = fig.get("satisfaction") or {}
    shown = bool(sat.get("counted"))
    if shown:
        reasons.append(
            f"Enquête de satisfaction J+{sat['wave']} : facilité {number_fr(sat['ease_mean'], 1)}"
            f" / 5, NPS {sat['nps']:+.0f} ({sat['answers']} réponses)."
        )
    elif sat:
        reasons.append(
            f"Enquête de satisfaction J+{sat.get('wave', milestone)} : {sat.get('answers', 0)} "
            "réponse(s), moins de 5 : résultats non montrés."
        )
    calls, adoption, useful = fig["calls"], fig["adoption"], fig["useful_rate"]
    if calls == 0:
        return Verdict("fix", ["Aucun appel depuis le lancement : vérifier l'accès des agents "
                               "et l'accompagnement (règle : zéro usage)."], fig)  # fmt: skip
    if fig["failure_rate"] > FAILURE_ALARM:
        reasons.append(f"{_pct(fig['failure_rate'])} des appels ont échoué (règle : plus de "
                       "10 %) : corriger les dysfonctionnements avant d'élargir.")  # fmt: skip
        return Verdict("fix", reasons, fig)
    if milestone == 15:
        reasons.append(f"{_pct(fig['failure_rate'])} d'appels en échec (10 % au plus) : pas de "
                       "dysfonctionnement bloquant à J+15.")  # fmt: skip
        return Verdict("keep", reasons, fig)
    low_rating = useful is not None and fig["ratings"] >= 5 and useful < USEFUL_LOW
    low_ease = shown and sat["ease_mean"] < EASE_LOW
    if adoption < ADOPTION_ALARM or low_rating or low_ease:
        if adoption < ADOPTION_ALARM:
            reasons.append(f"Adoption de {_pct(adoption)} (agents actifs sur 30 jours / "
                           "agents ciblés) sous le seuil d'alerte de 30 %.")  # fmt: skip
        if low_rating:
            reasons.append(f"{_pct(useful)} d'avis « utile » sur {fig['ratings']:.0f} avis "
                           "(règle : moins de 50 %).")  # fmt: skip
        if low_ease:
            reasons.append(f"Facilité moyenne de {number_fr(sat['ease_mean'], 1)} / 5 à "
                           "l'enquête (règle : moins de 2,5).")  # fmt: skip
        return Verdict("pivot", reasons, fig)
    reasons.append(f"Adoption de {_pct(adoption)} (30 % au moins).")
    hours = fig["hours_per_user_week"]
    good_rating = useful is None or useful >= USEFUL_HIGH
    recommended = not shown or sat["nps"] >= 0
    if (milestone == 90 and adoption >= ADOPTION_EXTEND and good_rating and recommended
            and hours >= HOURS_EXTEND):  # fmt: skip
        reasons.append(
            f"{number_fr(hours)} h gagnées par agent actif et par semaine (1 h au moins), "
            "avis « utile » à 70 % ou plus et NPS de l'enquête positif ou nul (s'il est "
            "connu) : étendre à d'autres services."
        )
        return Verdict("extend", reasons, fig)
    if milestone == 90:
        reasons.append(
            "Pour étendre : adoption de 50 % au moins, 1 h gagnée par agent actif et par semaine "
            f"(ici {number_fr(hours)} h), 70 % d'avis « utile » et un NPS de l'enquête positif "
            "ou nul."
        )
    return Verdict("keep", reasons, fig)
