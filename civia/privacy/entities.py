"""The entity types Civia detects and the value object returned by detection."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EntityType(StrEnum):
    PERSON = "PERSON"
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    IBAN = "IBAN"
    NIR = "NIR"
    SIRET = "SIRET"
    SIREN = "SIREN"
    ADDRESS = "ADDRESS"
    DATE = "DATE"
    CARD = "CARD"
    PLATE = "PLATE"


ENTITY_TYPES: tuple[str, ...] = tuple(t.value for t in EntityType)

# Placeholder labels, in French since models and users read them: [PERSONNE_1], [NIR_1]...
LABELS: dict[EntityType, str] = {
    EntityType.PERSON: "PERSONNE",
    EntityType.EMAIL: "EMAIL",
    EntityType.PHONE: "TELEPHONE",
    EntityType.IBAN: "IBAN",
    EntityType.NIR: "NIR",
    EntityType.SIRET: "SIRET",
    EntityType.SIREN: "SIREN",
    EntityType.ADDRESS: "ADRESSE",
    EntityType.DATE: "DATE",
    EntityType.CARD: "CARTE",
    EntityType.PLATE: "PLAQUE",
}
TYPE_OF_LABEL: dict[str, EntityType] = {label: kind for kind, label in LABELS.items()}


@dataclass(frozen=True, slots=True)
class Entity:
    """One detected span. ``text`` is the original value: keep it server-side, never log it."""

    type: EntityType
    start: int
    end: int
    score: float
    text: str

    def __repr__(self) -> str:  # the value stays out of reprs, hence out of tracebacks and logs
        return (
            f"Entity(type={self.type.value}, start={self.start}, end={self.end}, "
            f"score={self.score:.2f})"
        )

    def to_span(self) -> dict[str, object]:
        """The evaluation format: type and offsets only."""
        return {"type": self.type.value, "start": self.start, "end": self.end}
