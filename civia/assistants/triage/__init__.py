"""Triage checked against the collectivité's routing rules (data): the words of the request
that point to a service. The model's service is kept when a rule word backs it; when it has
none, the service the rules point to is taken (on a tie, the one whose word comes first in the
request: its subject, before the place, « un lampadaire est tombé devant l'école »); when the
rules are not sure, or when no rule knows the request, the result says « à vérifier » and why.
Words of danger or distress (urgency.yaml) make the request urgent whatever the model said."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

AGREES = "conforme aux règles de routage"
HIGH = "haute"


@lru_cache
def default_rules() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    data = yaml.safe_load((Path(__file__).parent / "rules.yaml").read_text(encoding="utf-8"))
    return tuple((tuple(r["services"]), tuple(r["mots"])) for r in data)


@lru_cache
def default_urgency_words() -> tuple[str, ...]:
    data = yaml.safe_load((Path(__file__).parent / "urgency.yaml").read_text(encoding="utf-8"))
    return tuple(str(w) for w in data)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


def stems(text: str) -> str:
    """The text as the word lists are compared: each word's first 6 letters, accents and case
    ignored, between spaces (so that a phrase matches whole words only)."""
    return " " + " ".join(w[:6] for w in re.findall(r"[a-z0-9]+", _plain(text))) + " "


def _named(name: str, services: list[str]) -> str | None:
    """The service a rule's name designates: the one so named, else the first whose name
    holds it as whole words (« Population » → « Population et citoyenneté »)."""
    wanted = _words(name)
    exact = [s for s in services if _words(s) == wanted]
    within = [s for s in services if wanted and f" {wanted} " in f" {_words(s)} "]
    found = exact or within
    return found[0] if found else None


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", _plain(text)))


def rules_for(services: list[str], custom: dict[str, Any] | None = None) -> dict[str, list[str]]:
    """Words per service of this collectivité: the defaults whose rule names one of its
    services, then its own (`routage` in its profile: service → « mot, mot »)."""
    out: dict[str, list[str]] = {s: [] for s in services}
    for names, words in default_rules():
        target = next((t for n in names if (t := _named(n, services)) is not None), None)
        if target is not None:
            out[target] += words
    for service, words in (custom or {}).items():
        if service in out and isinstance(words, str):
            out[service] += [w.strip() for w in words.split(",") if w.strip()]
    return out


def scores(request: str, rules: dict[str, list[str]]) -> dict[str, int]:
    """How many of each service's words the request contains."""
    text = stems(request)
    return {s: sum(stems(w) in text for w in ws if stems(w).strip()) for s, ws in rules.items()}


def first_word_at(request: str, words: list[str]) -> int:
    """Where the earliest of `words` occurs in the request (its stems), or past its end."""
    text = stems(request)
    found = [text.find(stems(w)) for w in words if stems(w).strip()]
    return min((at for at in found if at >= 0), default=len(text))


def decide(service: str, request: str, rules: dict[str, list[str]]) -> tuple[str, str]:
    """The service kept and the verdict. The rules overrule the model only when not one of
    their words backs the model's choice: then the service they point to is taken (on a tie,
    the one named first in the request), always « à vérifier »."""
    found = scores(request, rules)
    best = max(found.values(), default=0)
    if best == 0:
        return service, "à vérifier : aucune règle de routage ne reconnaît cette demande"
    chosen = next((s for s in found if _words(s) == _words(service)), service)
    if found.get(chosen, 0) == best:
        return chosen, AGREES
    leaders = [s for s, n in found.items() if n == best]
    if found.get(chosen, 0) == 0:
        taken = min(leaders, key=lambda s: first_word_at(request, rules[s]))
        also = [s for s in leaders if s != taken]
        return taken, (
            "à vérifier : service choisi par les règles de routage"
            + (f" (le modèle proposait « {service} »)" if service else "")
            + ("".join(f", ou « {s} »" for s in also) if also else "")
        )
    return chosen, "à vérifier : les règles de routage désignent " + " ou ".join(
        f"« {s} »" for s in leaders
    )


def check(service: str, request: str, rules: dict[str, list[str]]) -> str:
    return decide(service, request, rules)[1]


NEGATIONS = frozenset({"pas", "plus", "aucun", "aucune", "jamais", "ni"})


def _affirmed(text: str, phrase: str) -> bool:
    """`phrase` occurs in `text` (both stemmed) once at least not right after a negation
    (« ce n'est pas dangereux », « il n'y a plus de danger »)."""
    at = text.find(phrase)
    while at >= 0:
        if not NEGATIONS & set(text[:at].split()[-2:]):
            return True
        at = text.find(phrase, at + 1)
    return False


def urgent_words(request: str, words: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The words of urgency (default: urgency.yaml) the request contains, not negated."""
    text = stems(request)
    return [
        w
        for w in words or default_urgency_words()
        if stems(w).strip() and _affirmed(text, stems(w))
    ]


def finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    services = [str(s) for s in context.get("service_list") or []]
    custom = context.get("routage") if isinstance(context.get("routage"), dict) else None
    rules = rules_for(services, custom)
    request = values.get("demande", "")
    service, verdict = decide(str(data.get("service", "")), request, rules)
    notes = [] if verdict == AGREES else [f"Service {verdict}."]
    out = {**data, "service": service, "controle": verdict}
    urgent = urgent_words(request)
    if urgent and data.get("urgence") != HIGH:  # the model's « haute » is never lowered
        said = ", ".join(f"« {w} »" for w in dict.fromkeys(urgent))
        out["urgence"] = HIGH
        out["controle"] = (
            f"{verdict} ; urgence relevée à « {HIGH} » ({said} ; le modèle proposait "
            f"« {data.get('urgence', '')} »)"
        )
        notes.append(f"Urgence relevée à « {HIGH} » : {said} dans la demande.")
    return out, notes
