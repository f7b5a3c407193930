"""Personal data in French text: detection, pseudonymisation before a model, restoration after.

    >>> from civia.privacy import detect, pseudonymise, restore
    >>> masked, mapping = pseudonymise("Mme Jeanne Dupont, NIR 2 85 03 75 111 222 03")
    >>> masked
    'Mme [PERSONNE_1], NIR [NIR_1]'
    >>> restore("Bonjour Madame [PERSONNE_1]", mapping)
    'Bonjour Madame Jeanne Dupont'

The analyzer (Presidio + spaCy ``fr_core_news_md`` + French recognizers) loads once per
process, on the first detection; importing this package stays cheap (Presidio and spaCy
are imported on first use too). Values never reach logs: only counts per type
(``entity_counts``, ``mapping_counts``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from civia.privacy.entities import ENTITY_TYPES, LABELS, Entity, EntityType
from civia.privacy.errors import PiiEngineUnavailable
from civia.privacy.pseudonymise import pseudonymise, restore
from civia.privacy.summary import entity_counts, mapping_counts

if TYPE_CHECKING:
    from civia.privacy.engine import DEFAULT_MIN_SCORE, detect, get_analyzer

_LAZY = {"detect", "get_analyzer", "DEFAULT_MIN_SCORE"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        # Deferred: the detection engine loads spaCy and Presidio on first use.
        from civia.privacy import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_MIN_SCORE",
    "ENTITY_TYPES",
    "LABELS",
    "Entity",
    "EntityType",
    "PiiEngineUnavailable",
    "detect",
    "entity_counts",
    "get_analyzer",
    "mapping_counts",
    "pseudonymise",
    "restore",
]
