"""Counts per type, for audit logs and the "what was masked" notice: never the values."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from civia.privacy.entities import TYPE_OF_LABEL, Entity, EntityType

_KEY = re.compile(r"(?P<label>[A-Z]+)_\d+")


def entity_counts(entities: Iterable[Entity]) -> dict[str, int]:
    """{"PERSON": 2, "NIR": 1}, in the order of ``EntityType``, types found only."""
    counts = Counter(e.type for e in entities)
    return {t.value: counts[t] for t in EntityType if counts[t]}


def mapping_counts(mapping: Mapping[str, str]) -> dict[str, int]:
    """How many distinct values of each type a pseudonymisation mapping holds."""
    counts: Counter[EntityType] = Counter()
    for key in mapping:
        match = _KEY.fullmatch(key)
        if match and match.group("label") in TYPE_OF_LABEL:
            counts[TYPE_OF_LABEL[match.group("label")]] += 1
    return {t.value: counts[t] for t in EntityType if counts[t]}
