"""The acculturation module (AI Act Art. 4): a short course and a quiz; completion = every
answer right. Completion is tracked per user and reported per service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts.models import Service, User
from civia.audit import journal as audit
from civia.db.base import utcnow
from civia.db.sql import insert_or_ignore
from civia.governance.models import CharterAcceptance, CharterVersion, TrainingCompletion

MODULE = "acculturation-v1"  # a new module id makes everyone take the new version


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    choices: tuple[tuple[str, str], ...]  # (key, label)
    answer: str
    explanation: str


QUESTIONS: tuple[Question, ...] = (
    Question(
        "q1",
        "Un assistant cite un article de loi précis à l'appui de sa réponse. Que faites-vous ?",
        (
            ("a", "Je le reprends tel quel : le modèle connaît les textes."),
            ("b", "Je vérifie l'article sur Légifrance avant de l'utiliser."),
            ("c", "Je demande à l'assistant s'il est sûr, et je le crois s'il confirme."),
        ),
        "b",
        "Les modèles inventent des références plausibles ; seule la source fait foi.",
    ),
    Question(
        "q2",
        "Lequel de ces contenus ne devez-vous jamais coller dans un outil d'IA non autorisé "
        "pour ces données ?",
        (
            ("a", "Un communiqué de presse déjà publié."),
            ("b", "Le dossier d'un usager avec son numéro de sécurité sociale et sa santé."),
            ("c", "Une note interne sur les horaires d'ouverture de la mairie."),
        ),
        "b",
        "NIR et données de santé sont des données sensibles : jamais dans un outil non autorisé.",
    ),
    Question(
        "q3",
        "Un assistant propose de refuser une aide à un demandeur. Que se passe-t-il ?",
        (
            ("a", "J'applique la proposition : l'IA est plus objective."),
            ("b", "Une personne examine le dossier et prend la décision."),
            ("c", "Je demande à un second assistant de confirmer, puis j'applique."),
        ),
        "b",
        "Aucune décision individuelle n'est prise par l'IA (RGPD art. 22, CRPA L311-3-1).",
    ),
    Question(
        "q4",
        "Quelle demande donnera le meilleur résultat ?",
        (
            ("a", "« Fais un courrier. »"),
            (
                "b",
                "« Rédige une réponse courtoise, en 5 lignes, à un usager qui demande les "
                "horaires de la déchetterie ; ils changent au 1er avril. »",
            ),
            ("c", "« Courrier déchetterie urgent !!! »"),
        ),
        "b",
        "Contexte, tâche, format et matière : plus la demande est précise, meilleur est le jet.",
    ),
    Question(
        "q5",
        "Un texte généré contient une formulation stéréotypée sur un groupe de personnes.",
        (
            ("a", "Je le publie : une machine est neutre."),
            ("b", "Je le corrige et je signale le problème au comité d'éthique."),
            ("c", "Je ne change rien, ce n'est pas de ma responsabilité."),
        ),
        "b",
        "Les modèles reproduisent des biais ; l'agent corrige et signale.",
    ),
)


@lru_cache
def course_markdown() -> str:
    return (Path(__file__).parent / "acculturation.md").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Grade:
    wrong: tuple[Question, ...]
    missing: tuple[Question, ...]

    @property
    def passed(self) -> bool:
        return not self.wrong and not self.missing


def grade(answers: Mapping[str, str]) -> Grade:
    missing = tuple(q for q in QUESTIONS if not answers.get(q.id))
    wrong = tuple(q for q in QUESTIONS if answers.get(q.id) and answers[q.id] != q.answer)
    return Grade(wrong, missing)


def submit(db: Session, user: User, answers: Mapping[str, str]) -> Grade:
    result = grade(answers)
    if result.passed:
        values = {"tenant_id": user.tenant_id, "user_id": user.id, "module": MODULE}
        if insert_or_ignore(db, TrainingCompletion, **values, created_at=utcnow()):
            audit.record(
                db,
                tenant_id=user.tenant_id,
                actor=user,
                action="training.completed",
                target=f"formation:{MODULE}",
            )
    return result


def completed(db: Session, user: User) -> bool:
    found = db.scalar(
        select(TrainingCompletion.id).where(
            TrainingCompletion.user_id == user.id, TrainingCompletion.module == MODULE
        )
    )
    return found is not None


@dataclass(frozen=True)
class ServiceRate:
    service: str
    users: int
    trained: int
    charter: int  # accepted the current charter

    def percent(self, part: int) -> int:
        return round(100 * part / self.users) if self.users else 0


def rates_by_service(db: Session, tenant_id: int) -> list[ServiceRate]:
    """Active users per service, how many completed the module and accepted the charter."""
    version = (
        db.scalar(
            select(func.max(CharterVersion.version)).where(CharterVersion.tenant_id == tenant_id)
        )
        or 1
    )
    trained = select(TrainingCompletion.user_id).where(TrainingCompletion.module == MODULE)
    accepted = select(CharterAcceptance.user_id).where(CharterAcceptance.version == version)
    rows = db.execute(
        select(
            Service.name,
            func.count(User.id),
            func.count(User.id).filter(User.id.in_(trained)),
            func.count(User.id).filter(User.id.in_(accepted)),
        )
        .select_from(User)
        .outerjoin(Service, Service.id == User.service_id)
        .where(User.tenant_id == tenant_id, User.active.is_(True))
        .group_by(Service.name)
        .order_by(Service.name)
    )
    return [ServiceRate(name or "Sans service", n, t, c) for name, n, t, c in rows]
