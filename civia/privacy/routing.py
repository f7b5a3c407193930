"""Route by sensitivity: personal data never reaches a model that is not cleared for it.

Each provider has a clearance (the highest data sensitivity it may receive; by default from
its hosting class). Before a call, the messages are scanned; when the assistant's declared
sensitivity or the data found exceeds the clearance, Civia either pseudonymises (consistent
placeholders, restored in the answer the user sees) or refuses, per the collectivité's policy.
The mapping stays in memory for the call; only counts per type are kept or logged.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from civia.privacy.entities import Entity, EntityType
from civia.privacy.pseudonymise import restore as restore_values
from civia.providers.base import ChatMessage, ProviderError

LEVELS = ("public", "internal", "personal", "sensitive")
LEVEL_LABELS = {
    "public": "publiques",
    "internal": "internes",
    "personal": "personnelles",
    "sensitive": "sensibles",
}
# What detected data weighs. DATE is not used: most dates in administrative text are not
# personal (meeting or decision dates). SIRET/SIREN identify organisations, not people.
RAISES = {
    "PERSON": "personal", "EMAIL": "personal", "PHONE": "personal", "ADDRESS": "personal",
    "PLATE": "personal", "NIR": "sensitive", "IBAN": "sensitive", "CARD": "sensitive",
}  # fmt: skip
DEFAULT_CLEARANCE = {
    "local": "sensitive",
    "fr_sovereign": "personal",
    "eu": "internal",
    "outside_eu": "internal",
}
POLICIES = ("pseudonymise", "refuse")
TYPE_LABELS = {
    "PERSON": "personne", "EMAIL": "courriel", "PHONE": "téléphone", "ADDRESS": "adresse",
    "PLATE": "immatriculation", "NIR": "NIR", "IBAN": "IBAN", "CARD": "carte bancaire",
}  # fmt: skip


class PrivacyRefused(ProviderError):
    outcome = "refused"
    counts: dict[str, int] = {}  # noqa: RUF012 - set per instance before raising


def rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else LEVELS.index("internal")


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {TYPE_LABELS.get(t, t)}" for t, n in sorted(counts.items()))


@dataclass
class Guarded:
    messages: list[ChatMessage]
    mapping: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    action: str = "none"  # none | pseudonymised


def needs_scan(clearance: str) -> bool:
    """False for a model cleared for everything: its calls are sent as they are."""
    return rank(clearance) < rank("sensitive")


def guard(
    messages: list[ChatMessage],
    *,
    sensitivity: str,
    clearance: str,
    policy: str,
    provider: str,
    hosting: str,
    scope: str = "",
) -> Guarded:
    """Return the messages to send (masked if needed) or raise PrivacyRefused. `scope` (the
    collectivité) keeps each one's remembered scans apart."""
    if not needs_scan(clearance):
        return Guarded(messages)
    from civia.privacy import pseudonymise

    # System messages too: API clients write their own, and grounded prompts carry document
    # passages in them.
    found = {i: list(_scan_once(m.content, scope)) for i, m in enumerate(messages)}
    counts: dict[str, int] = {}
    for entities in found.values():
        for e in entities:
            counts[e.type.value] = counts.get(e.type.value, 0) + 1
    level = max([rank(sensitivity), *(rank(RAISES[t]) for t in counts)])
    if level <= rank(clearance):
        return Guarded(messages, counts=counts)
    if policy == "refuse" or not counts:
        what = describe(counts) if counts else f"données {LEVEL_LABELS[LEVELS[level]]}"
        refused = PrivacyRefused(
            f"refused: level {LEVELS[level]} above clearance {clearance} of {provider}",
            f"Ce contenu comporte des données {LEVEL_LABELS[LEVELS[level]]} ({what}) et le modèle "
            f"« {provider} » ({hosting}) n'est pas autorisé à en recevoir. Choisissez un modèle "
            "local ou retirez ces données. Votre message est conservé.",
        )
        refused.counts = counts
        raise refused
    mapping: dict[str, str] = {}
    masked = []
    for i, message in enumerate(messages):
        if i in found and (found[i] or mapping):
            text, mapping = pseudonymise(message.content, mapping, entities=found[i], types=RAISES)
            masked.append(ChatMessage(message.role, text))
        else:
            masked.append(message)
    return Guarded(masked, mapping, counts, "pseudonymised")


def _scan(text: str) -> tuple[Entity, ...]:
    # Deferred: the detection engine loads spaCy and Presidio on first use.
    from civia.privacy import detect

    return tuple(detect(text, types=RAISES))


# Digest of a scanned text -> the spans found in it (type, offsets, score), never the values: a
# conversation sends its whole history with every turn and an assistant its instructions with
# every call, and each text is scanned once. The values are taken from the text again.
_SCANNED: OrderedDict[str, tuple[tuple[EntityType, int, int, float], ...]] = OrderedDict()
_SCANNED_MAX = 2048
_SCANNED_LOCK = threading.Lock()


def _scan_once(text: str, scope: str = "") -> tuple[Entity, ...]:
    digest = hashlib.sha256(f"{scope}\0{text}".encode()).hexdigest()
    with _SCANNED_LOCK:  # guards run in worker threads
        spans = _SCANNED.get(digest)
        if spans is not None:
            _SCANNED.move_to_end(digest)
    if spans is None:
        found = _scan(text)
        spans = tuple((e.type, e.start, e.end, e.score) for e in found)
        with _SCANNED_LOCK:
            _SCANNED[digest] = spans
            while len(_SCANNED) > _SCANNED_MAX:
                _SCANNED.popitem(last=False)
        return found
    return tuple(Entity(t, start, end, score, text[start:end]) for t, start, end, score in spans)


_HOLD = re.compile(r"[\[A-Z_0-9\\]{1,40}$")


class StreamRestorer:
    """Restore placeholders in a streamed answer, holding back a tail that may be cut mid-way."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping
        self.pending = ""

    def feed(self, text: str) -> str:
        if not self.mapping:
            return text
        self.pending += text
        hold = _HOLD.search(self.pending)
        cut = hold.start() if hold else len(self.pending)
        ready, self.pending = self.pending[:cut], self.pending[cut:]
        return self._restore(ready)

    def flush(self) -> str:
        ready, self.pending = self.pending, ""
        return self._restore(ready) if self.mapping else ready

    def _restore(self, text: str) -> str:
        return restore_values(text, self.mapping)
