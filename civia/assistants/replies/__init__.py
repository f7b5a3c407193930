"""The reply to a citizen checked before the agent reads it: a complaint, an appeal or a
delicate personal situation (words kept as data, human.yaml) always goes to a human, whatever
the model said; any number, time or amount the email, the agent's elements and the FAQ
extracts do not contain is marked « [à vérifier] » (the small model invents opening hours)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from civia.assistants import facts
from civia.assistants.triage import stems

SOURCE_FIELDS = ("courriel", "elements", "faq")
NO_REASON = "Motif non précisé : à apprécier par l'agent."


@lru_cache
def default_words() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load((Path(__file__).parent / "human.yaml").read_text(encoding="utf-8"))
    return {str(k): tuple(str(w) for w in v) for k, v in data.items()}


def human_reasons(email: str) -> dict[str, list[str]]:
    """Per reason (réclamation, recours, situation personnelle), its words the email holds."""
    text = stems(email)
    found: dict[str, list[str]] = {}
    for reason, words in default_words().items():
        hits = {stems(w): w for w in reversed(words) if stems(w).strip() and stems(w) in text}
        if hits:  # one word per stem, the list's first
            found[reason] = list(reversed(hits.values()))
    return found


def _is_question(reason: object) -> bool:
    return str(reason or "").rstrip().endswith("?")


def finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    out, notes = dict(data), list[str]()
    reasons = human_reasons(values.get("courriel", ""))
    if reasons and not data.get("reponse_humaine_necessaire"):
        said = " ; ".join(
            f"{reason} (« {' », « '.join(dict.fromkeys(words))} »)"
            for reason, words in reasons.items()
        )
        out["reponse_humaine_necessaire"] = True
        # the model's reason argued for no human answer: replaced, not kept
        out["raison"] = f"Le courriel relève d'une réponse humaine : {said}."
        notes.append(f"Réponse humaine nécessaire d'après le courriel : {said}.")
    elif out.get("reponse_humaine_necessaire") and _is_question(out.get("raison")):
        # The small model often copies the field's question as its reason (9 of 14 dev runs):
        # not a reason to show above the draft.
        out["raison"] = NO_REASON
        notes.append("Le modèle n'a pas dit pourquoi une réponse humaine est nécessaire.")
    if not isinstance(data.get("reponse"), str):  # an assistant built with other fields
        return out, notes
    reponse, unsupported = facts.mark_unsupported(
        str(data.get("reponse", "")),
        facts.given((values.get(k, "") for k in SOURCE_FIELDS), context),
    )
    out["reponse"] = reponse
    if unsupported:
        notes.append(
            "Absent du courriel et des éléments, marqué [à vérifier] : "
            f"{facts.listed(unsupported)}."
        )
    return out, notes
