"""Consistent placeholders for personal data, and their restoration in a model's answer.

The mapping is plain data, ``{"PERSONNE_1": "Jeanne Dupont", ...}``: the caller keeps it
server-side (for a conversation, one mapping across messages) and never logs it. The same
value gets the same placeholder within a mapping; values already in the mapping are masked
wherever they appear again, even where detection would miss them alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

from civia.privacy.entities import LABELS, TYPE_OF_LABEL, Entity, EntityType
from civia.privacy.summary import entity_counts

logger = logging.getLogger(__name__)

_LABELS_RE = "|".join(sorted(LABELS.values(), key=len, reverse=True))
# "[PERSONNE_1]", "[ PERSONNE_1 ]", "PERSONNE_1", "personne_1", markdown-escaped "PERSONNE\_1".
_PLACEHOLDER = re.compile(
    rf"\\?\[\s*(?P<l1>{_LABELS_RE})\\?_(?P<n1>\d+)\s*\\?\]"
    rf"|(?<![\w\[])(?P<l2>{_LABELS_RE})\\?_(?P<n2>\d+)(?!\d)",
    re.IGNORECASE,
)
_KEY = re.compile(rf"(?P<label>{_LABELS_RE})_(?P<n>\d+)")


def normalise(kind: EntityType, value: str) -> str:
    """The form under which two mentions count as the same value."""
    if kind in (EntityType.IBAN, EntityType.NIR, EntityType.SIRET, EntityType.SIREN,
                EntityType.CARD, EntityType.PLATE):  # fmt: skip
        return re.sub(r"[^0-9A-Za-z]", "", value).upper()
    if kind is EntityType.PHONE:  # +33 6.., 0033 6.., +33 (0)6.. and 06.. are one number
        digits = re.sub(r"\D", "", value)
        if digits.startswith("0033"):
            digits = digits[4:]
        elif digits.startswith("33") and len(digits) >= 11:
            digits = digits[2:]
        else:
            return digits
        return digits if digits.startswith("0") else "0" + digits
    return " ".join(value.casefold().split())


def _parse_key(key: str) -> tuple[EntityType, int] | None:
    match = _KEY.fullmatch(key)
    if not match:
        return None
    return TYPE_OF_LABEL[match.group("label")], int(match.group("n"))


def _known_mentions(
    text: str, mapping: Mapping[str, str], wanted: set[EntityType], taken: list[Entity]
) -> list[Entity]:
    """Verbatim (case-insensitive) reappearances of values already in the mapping."""
    found: list[Entity] = []
    for key, value in mapping.items():
        parsed = _parse_key(key)
        if parsed is None or parsed[0] not in wanted or len(value) < 3:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(text):
            start, end = match.span()
            if all(end <= e.start or start >= e.end for e in [*taken, *found]):
                found.append(Entity(parsed[0], start, end, 1.0, match.group()))
    return found


def pseudonymise(
    text: str,
    mapping: Mapping[str, str] | None = None,
    *,
    entities: Iterable[Entity] | None = None,
    types: Iterable[EntityType | str] | None = None,
) -> tuple[str, dict[str, str]]:
    """Replace personal data with placeholders; return the masked text and the updated mapping.

    ``mapping`` is not modified: the returned copy holds the old and new placeholders.
    ``entities`` skips detection (already detected); ``types`` limits what is masked.
    """
    updated = dict(mapping or {})
    if entities is None:
        from civia.privacy.engine import detect  # the analyzer loads on first use only

        entities = detect(text, types=types)
    wanted = {EntityType(t) for t in types} if types is not None else set(EntityType)
    chosen = [e for e in entities if e.type in wanted]
    chosen += _known_mentions(text, updated, wanted, chosen)
    chosen.sort(key=lambda e: e.start)

    by_value: dict[tuple[EntityType, str], str] = {}
    next_number: dict[EntityType, int] = {}
    for key, value in updated.items():
        parsed = _parse_key(key)
        if parsed:
            kind, number = parsed
            by_value.setdefault((kind, normalise(kind, value)), key)
            next_number[kind] = max(next_number.get(kind, 1), number + 1)

    pieces, position = [], 0
    for entity in chosen:
        if entity.start < position:
            continue  # overlapping input: the first one wins
        identity = (entity.type, normalise(entity.type, entity.text))
        placeholder = by_value.get(identity)
        if placeholder is None:
            number = next_number.get(entity.type, 1)
            placeholder = f"{LABELS[entity.type]}_{number}"
            next_number[entity.type] = number + 1
            by_value[identity] = placeholder
            updated[placeholder] = entity.text
        pieces.append(text[position : entity.start])
        pieces.append(f"[{placeholder}]")
        position = entity.end
    pieces.append(text[position:])
    logger.debug("Pseudonymisation: %s", entity_counts(chosen))
    return "".join(pieces), updated


def restore(text: str, mapping: Mapping[str, str]) -> str:
    """Put the original values back in ``text`` (a model's answer); unknown placeholders stay."""

    def original(match: re.Match[str]) -> str:
        label = (match.group("l1") or match.group("l2")).upper()
        number = match.group("n1") or match.group("n2")
        return mapping.get(f"{label}_{int(number)}", match.group())

    return _PLACEHOLDER.sub(original, text)


def masked(text: str) -> str:
    """Personal data replaced by placeholders ([PERSONNE_1]…); the mapping is thrown away (an
    answer kept without its author: surveys)."""
    return pseudonymise(text)[0] if text.strip() else ""
