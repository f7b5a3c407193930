"""The deterministic post-checks of the assistants on the dev inputs, without the model.

- Tri des demandes: the routing rules (civia/assistants/triage) on the 20 dev requests of
  bench_assistants.py. For each request and each of the collectivité's services, would the
  check confirm that service? A service that is not expected and is confirmed is a miss; an
  expected one flagged « à vérifier » is a false alarm.
- Arrêté: the visas (civia/assistants/arretes) for the 20 dev requests, with the agent's texts
  and without them (the library alone): how many requests get at least one library visa, how
  many keep « Vu [visa à compléter] ». No visa is written by the model any more.

Writes bench/results/postchecks.md. Usage: python bench/bench_postchecks.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_assistants import INPUTS, SERVICES  # noqa: E402
from bench.common import table, write_results  # noqa: E402
from civia.assistants import triage  # noqa: E402
from civia.assistants.arretes import visas  # noqa: E402


def triage_section() -> list[str]:
    rules = triage.rules_for(SERVICES)
    cases = INPUTS["tri-demandes"]
    unique = ties = unknown = misses = alarms = wrong_total = 0
    start = time.perf_counter()
    for case in cases:
        expected = set(case["_service"])
        found = triage.scores(case["demande"], rules)
        best = max(found.values())
        leaders = {s for s, n in found.items() if n == best and n > 0}
        unique += len(leaders) == 1 and leaders <= expected
        ties += len(leaders) > 1
        unknown += not leaders
        for service in SERVICES:
            confirmed = triage.check(service, case["demande"], rules) == triage.AGREES
            wrong = service not in expected
            wrong_total += wrong
            misses += wrong and confirmed
            alarms += (not wrong) and not confirmed
    ms = (time.perf_counter() - start) * 1000 / len(cases)
    expected_total = sum(len(set(c["_service"]) & set(SERVICES)) for c in cases)
    return [
        "## Tri des demandes: the routing rules alone",
        "",
        f"{len(cases)} dev requests, services {', '.join(SERVICES)} (one request expects a "
        "CCAS the commune does not have). Default rules of `civia/assistants/triage/rules.yaml`.",
        "",
        table(
            ["measure", "value"],
            [
                ["rules point to one service, an expected one", f"{unique}/{len(cases)}"],
                ["rules tie between services", f"{ties}/{len(cases)}"],
                ["no rule recognises the request", f"{unknown}/{len(cases)}"],
                [
                    "a wrong service the check would confirm (miss)",
                    f"{misses}/{wrong_total} wrong (request, service) pairs",
                ],
                [
                    "an expected service the check would flag « à vérifier » (false alarm)",
                    f"{alarms}/{expected_total} expected pairs",
                ],
                ["time per request", f"{ms:.2f} ms"],
            ],
        ),
        "",
        "Read: whatever service the model picks, a wrong one is shown « à vérifier » unless "
        "the rules tie on it; the last model run misrouted 8 of 20 (bench/results/"
        "assistants.md), so most of those would now reach the agent flagged.",
    ]


def arrete_section() -> list[str]:
    cases = INPUTS["arrete"]
    rows = []
    with_library = to_complete = given_total = 0
    for case in cases:
        request = "\n".join(case.get(k, "") for k in ("objet", "motifs", "mesures"))
        given, others = visas.visas_for(case.get("textes", ""), request)
        alone, _ = visas.visas_for("", request)
        given_total += len(given)
        with_library += alone != [visas.TO_COMPLETE]
        to_complete += alone == [visas.TO_COMPLETE]
        rows.append([case["objet"], len(given), len(others), "; ".join(v[:60] for v in alone)])
    return [
        "## Arrêté: visas from the agent's texts or the library",
        "",
        f"{len(cases)} dev requests. With the agent's texts: {given_total} visas, all in the "
        "agent's words (before: the model wrote the visas, 14 of 15 runs had a visa citing no "
        "text). Without them, the library alone gives at least one visa to "
        f"{with_library}/{len(cases)} requests and leaves « Vu [visa à compléter] » to "
        f"{to_complete}.",
        "",
        table(
            [
                "objet",
                "visas from the agent's texts",
                "other library suggestions",
                "library alone (first 60 characters of each)",
            ],
            rows,
        ),
    ]


def main() -> None:
    lines = [
        "# Deterministic post-checks of the assistants (no model)",
        "",
        "Regenerate with `python bench/bench_postchecks.py`.",
        "",
        *triage_section(),
        "",
        *arrete_section(),
    ]
    write_results("postchecks", "\n".join(lines))


if __name__ == "__main__":
    main()
