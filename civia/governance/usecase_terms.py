"""The words of the use-case register: risk classes (AI Act), states, data categories, who may
do what, and the workflow's error."""

from __future__ import annotations

from enum import StrEnum


class RiskClass(StrEnum):
    MINIMAL = "minimal"
    TRANSPARENCY = "transparency"
    HIGH = "high"
    PROHIBITED = "prohibited"


RISK_LABELS = {
    RiskClass.MINIMAL: "Risque minimal",
    RiskClass.TRANSPARENCY: "Obligation de transparence (art. 50)",
    RiskClass.HIGH: "Haut risque (annexe III)",
    RiskClass.PROHIBITED: "Pratique interdite (art. 5)",
}
RISK_HELP = {
    RiskClass.MINIMAL: "Aide à la rédaction interne relue par un agent : reformuler, résumer, "
    "traduire, corriger.",
    RiskClass.TRANSPARENCY: "L'IA dialogue avec le public ou produit des contenus publiés : "
    "les personnes doivent savoir qu'il s'agit d'une IA.",
    RiskClass.HIGH: "Accès aux prestations et services publics essentiels (aides sociales, "
    "logement), recrutement et gestion des agents, éducation, évaluation de personnes.",
    RiskClass.PROHIBITED: "Notation sociale, exploitation des vulnérabilités, reconnaissance "
    "des émotions au travail, catégorisation biométrique, manipulation.",
}


class CaseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    PILOT = "pilot"
    GENERALISED = "generalised"
    SUSPENDED = "suspended"


STATUS_LABELS = {
    CaseStatus.DRAFT: "Brouillon",
    CaseStatus.SUBMITTED: "Soumis au comité",
    CaseStatus.IN_REVIEW: "En examen",
    CaseStatus.APPROVED: "Approuvé",
    CaseStatus.REJECTED: "Refusé",
    CaseStatus.CHANGES_REQUESTED: "Modifications demandées",
    CaseStatus.PILOT: "En pilote",
    CaseStatus.GENERALISED: "Généralisé",
    CaseStatus.SUSPENDED: "Suspendu",
}
PUBLIC_STATUSES = (CaseStatus.APPROVED, CaseStatus.PILOT, CaseStatus.GENERALISED)
EDITABLE = (CaseStatus.DRAFT, CaseStatus.CHANGES_REQUESTED)

DATA_CATEGORIES = {
    "none": "Aucune donnée personnelle",
    "identification": "Identité, coordonnées",
    "personal_life": "Vie personnelle et familiale",
    "economic": "Situation économique et financière",
    "staff": "Données des agents (RH)",
    "minors": "Données de mineurs",
    "nir": "Numéro de sécurité sociale (NIR)",
    "health": "Santé, handicap (donnée sensible)",
    "sensitive_other": "Origine, opinions, religion, syndicat, orientation (données sensibles)",
    "offences": "Infractions et condamnations",
}
SENSITIVE_CATEGORIES = {"nir", "health", "sensitive_other", "offences"}
VOTES = {"approve": "Favorable", "reject": "Défavorable", "changes": "Modifications demandées"}
MIN_FRIA_CHARS = 20


class WorkflowError(ValueError):
    """Refused: a French message, a short code for the audit log and an HTTP status."""

    def __init__(self, message: str, code: str, status: int = 409) -> None:
        super().__init__(message)
        self.code, self.status = code, status
