"""The letter's frame, decided without the model: the salutation from the recipient's civility
and the closing formula from the collectivité's settings per kind of recipient."""

from __future__ import annotations

import re
from collections.abc import Mapping

AUTO = "selon le destinataire"
CIVILITIES = ("Madame", "Monsieur", "Madame, Monsieur")
KINDS = ("usager", "élu", "administration")
# Defaults of the profile keys `formule_usager`, `formule_elu`, `formule_administration`;
# « {appel} » is replaced by the salutation without its comma (« Madame la Directrice »). In
# the first person plural, like the body the model writes (the collectivité speaks).
DEFAULT_CLOSINGS = {
    "usager": "Nous vous prions d'agréer, {appel}, l'expression de nos salutations distinguées.",
    "élu": "Nous vous prions d'agréer, {appel}, l'expression de notre haute considération.",
    "administration": (
        "Nous vous prions d'agréer, {appel}, l'assurance de notre considération distinguée."
    ),
}
PROFILE_KEYS = {
    "usager": "formule_usager",
    "élu": "formule_elu",
    "administration": "formule_administration",
}

_COUPLE = re.compile(
    r"^(?:monsieur|m\.|mr\.?)\s+et\s+(?:madame|mme)\b|^(?:madame|mme)\s+et\s+(?:monsieur|m\.)",
    re.I,
)
# « Madame la Directrice de l'école… », « Monsieur le Président du SIVOM »: a title, not a name.
_TITLE = re.compile(r"^(madame|monsieur)\s+(la|le)\s+([A-ZÉÈÀÂÎÔÛ][\w-]+)", re.I)
_WOMAN = re.compile(r"^(?:madame|mme\.?|mademoiselle|mlle\.?)(?:\s|$)", re.I)
_MAN = re.compile(r"^(?:monsieur|m\.|mr\.?)(?:\s|$)", re.I)


def appel(civilite: str, destinataire: str) -> str:
    """« Madame, », « Monsieur, », « Monsieur le Président, » or « Madame, Monsieur, » (an
    organisation, a couple, or a recipient whose civility is not written)."""
    first = destinataire.strip().splitlines()[0].strip() if destinataire.strip() else ""
    title = _TITLE.match(first)
    if title and civilite in (AUTO, "", title.group(1).capitalize()):
        return f"{title.group(1).capitalize()} {title.group(2).lower()} {title.group(3)},"
    if civilite in CIVILITIES:
        return f"{civilite},"
    if _COUPLE.match(first):
        return "Madame, Monsieur,"
    if _WOMAN.match(first):
        return "Madame,"
    if _MAN.match(first):
        return "Monsieur,"
    return "Madame, Monsieur,"


def closing(kind: str, salutation: str, closings: Mapping[str, str] | None = None) -> str:
    """The collectivité's formula for this kind of recipient, naming the salutation."""
    kind = kind if kind in KINDS else "usager"
    formula = ((closings or {}).get(kind) or "").strip() or DEFAULT_CLOSINGS[kind]
    return formula.replace("{appel}", salutation.rstrip(", "))


def closings_of(profile: Mapping[str, object]) -> dict[str, str]:
    """The formulas a collectivité set in its profile (missing ones fall back to defaults)."""
    return {
        kind: str(profile.get(key) or "").strip() or DEFAULT_CLOSINGS[kind]
        for kind, key in PROFILE_KEYS.items()
    }
