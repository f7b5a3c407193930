"""A portfolio shared as YAML between collectivités: the cases, their circle and estimated
risk, never the marks, the services or anything from a survey's answers beyond the title."""

from __future__ import annotations

from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.planning import portfolio
from civia.planning.grid import MAX_IMPORT_BYTES

FORMAT = "civia-portefeuille/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SharedCase(_Strict):
    title: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=4000)
    circle: int = Field(default=0, ge=0, le=3)
    risk: Literal["faible", "moyen", "eleve"] = "faible"


class SharedPortfolio(_Strict):
    format: Literal["civia-portefeuille/1"]
    collectivite: str = Field(default="", max_length=200)
    cases: list[SharedCase] = Field(min_length=1, max_length=200)


class PoolingError(ValueError):
    pass


def export(db: Session, *, tenant_id: int, collectivite: str) -> str:
    cases = [
        SharedCase(
            title=s.case.title,
            description=s.case.description,
            circle=s.case.circle,
            risk=s.case.risk,
        )
        for s in portfolio.scored(db, tenant_id)
    ]
    if not cases:
        raise PoolingError("Le portefeuille est vide : rien à exporter.")
    shared = SharedPortfolio(format=FORMAT, collectivite=collectivite, cases=cases)
    return yaml.safe_dump(
        shared.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=100
    )


def parse(text: str | bytes) -> SharedPortfolio:
    if len(text) > MAX_IMPORT_BYTES:
        raise PoolingError("Fichier trop volumineux (128 Ko au plus).")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise PoolingError("Ce fichier n'est pas un YAML lisible.") from None
    if not isinstance(data, dict):
        raise PoolingError("Le fichier doit décrire un portefeuille (paires « clé : valeur »).")
    try:
        return SharedPortfolio.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:8]:
            where = ".".join(str(p) for p in err["loc"]) or "le fichier"
            message = {
                "extra_forbidden": "clé inconnue (faute de frappe ?)",
                "missing": "information obligatoire manquante",
                "literal_error": "valeur non autorisée",
            }.get(err["type"], err["msg"])
            problems.append(f"{where} : {message}")
        raise PoolingError("Portefeuille invalide — " + " ; ".join(problems) + ".") from None


def import_cases(db: Session, *, user: User, text: str | bytes) -> int:
    shared = parse(text)
    origin = f" (partagé par {shared.collectivite})" if shared.collectivite else ""
    for case in shared.cases:
        portfolio.create(
            db,
            user=user,
            title=case.title,
            description=(case.description + origin).strip(),
            circle=case.circle,
            risk=case.risk,
            source="mutualisation",
        )
    return len(shared.cases)
