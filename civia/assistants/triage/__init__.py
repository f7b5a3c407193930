"""Triage checked against the collectivité's routing rules (data): the words of the request
that point to a service. The model's service is kept when a rule word backs it; when it has
none and the rules point to one service, that service is taken; otherwise, or when no rule
knows the request, the result says « à vérifier » and why."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

AGREES = "conforme aux règles de routage"


@lru_cache
def default_rules() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    data = yaml.safe_load((Path(__file__).parent / "rules.yaml").read_text(encoding="utf-8"))
    return tuple((tuple(r["services"]), tuple(r["mots"])) for r in data)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


def _stems(text: str) -> str:
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
    text = _stems(request)
    return {s: sum(_stems(w) in text for w in ws if _stems(w).strip()) for s, ws in rules.items()}


def decide(service: str, request: str, rules: dict[str, list[str]]) -> tuple[str, str]:
    """The service kept and the verdict. The rules overrule the model only when they point to
    one service and not one of their words backs the model's choice."""
    found = scores(request, rules)
    best = max(found.values(), default=0)
    if best == 0:
        return service, "à vérifier : aucune règle de routage ne reconnaît cette demande"
    chosen = next((s for s in found if _words(s) == _words(service)), service)
    if found.get(chosen, 0) == best:
        return chosen, AGREES
    leaders = [s for s, n in found.items() if n == best]
    if len(leaders) == 1 and found.get(chosen, 0) == 0:
        return leaders[0], (
            f"à vérifier : service choisi par les règles de routage (le modèle proposait "
            f"« {service} »)"
            if service
            else "à vérifier : service choisi par les règles de routage"
        )
    return chosen, "à vérifier : les règles de routage désignent " + " ou ".join(
        f"« {s} »" for s in leaders
    )


def check(service: str, request: str, rules: dict[str, list[str]]) -> str:
    return decide(service, request, rules)[1]


def finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    services = [str(s) for s in context.get("service_list") or []]
    custom = context.get("routage") if isinstance(context.get("routage"), dict) else None
    rules = rules_for(services, custom)
    service, verdict = decide(str(data.get("service", "")), values.get("demande", ""), rules)
    notes = [] if verdict == AGREES else [f"Service {verdict}."]
    return {**data, "service": service, "controle": verdict}, notes
