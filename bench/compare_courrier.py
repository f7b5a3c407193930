"""Courrier before/after: --dump files of bench_assistants.py (`--only courrier`), rescored
with today's checks (no model call) on the inputs every run reached, side by side.

The secretary's checklist (bench_assistants.check_courrier, on the letter as rendered): right
salutation, one closing formula, no salutation or closing formula in the body, not written as
the recipient, every fact of the request present, no repeated sentence, no number/date/year of
the model's that the request does not contain left unmarked.

Usage: python bench/compare_courrier.py [DUMP.jsonl ...] [--labels a,b,c] [--heldout] [--print]
(one column per dump; default: the dumps kept in bench/results/ (before, after, after + the
follow-up of bench_courrier_follow_up.py), written to bench/results/courrier.md; with
--heldout, to bench/results/courrier-heldout.md)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_assistants as ba  # noqa: E402
from bench.common import table, write_results  # noqa: E402
from civia.assistants import postchecks  # noqa: E402
from civia.assistants.runner import RunResult, render_markdown, schema_errors  # noqa: E402

CHECKLIST = {
    "wrong salutation": "right salutation",
    "closing formula not exactly once": "one closing formula",
    "salutation repeated in the body": "no salutation in the body",
    "politeness formula also in the body": "no closing formula in the body",
    "written as the recipient": "the collectivité's voice (no unmarked recipient's voice)",
    "fact of the request missing": "every fact of the request present",
    "repetition (an item or sentence repeated)": "no repeated sentence or paragraph",
    "invented number": "no unmarked number absent from the request",
    "invented date": "no unmarked date absent from the request",
    "invented year": "no unmarked year absent from the request",
}
INFO = {
    "item marked [à vérifier] for the agent": "runs with an item marked « [à vérifier] »",
    "sentence marked for review (recipient's voice)": "runs with a sentence marked « [à revoir] »",
}


def load(path: Path) -> tuple[dict[int, dict[str, Any]], dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    runs = {r["index"]: r for r in rows if r.get("assistant") == "courrier"}
    info = next((r["run"] for r in rows if "run" in r), {})
    return runs, info


def refinish(row: dict[str, Any]) -> dict[str, Any]:
    """The run as today's post-processing would show it: the model's own JSON (its last call)
    completed and checked again, so that changes to the checks after the run count (the model's
    prompt must be the one measured)."""
    spec = ba.builtins()["courrier"]
    follow_ups = row.get("follow_ups", 0)
    raw = json.loads(row["calls"][-1 - follow_ups]["text"])
    if follow_ups:  # the answer to the request for missing facts, merged as the runner does
        more, _ = schema_errors(spec, row["calls"][-1]["text"])
        if more is not None:
            raw = postchecks.merge(spec, raw, more, row["values"], ba.CONTEXT)
    data, _ = postchecks.apply(spec, raw, row["values"], ba.CONTEXT)
    markdown = render_markdown(spec, data, row["values"], ba.CONTEXT)
    return {**row, "data": data, "markdown": markdown}


def outcome(row: dict[str, Any]) -> ba.Outcome:
    raw = ba.INPUTS["courrier"][row["index"]]
    o = ba.Outcome(
        "courrier",
        row["index"],
        row["values"],
        {k: v for k, v in raw.items() if k.startswith("_")},
        ok=row["ok"],
        latency_s=row["latency_s"],
        calls=[ba.Call(**c) for c in row["calls"]],
    )
    if o.ok:
        o.result = RunResult(row["markdown"], row["data"], o.calls[-1].text, row["attempts"])
        ba.assess(o, ba.builtins()["courrier"])
    return o


def column(outs: list[ba.Outcome]) -> list[str]:
    ok = [o for o in outs if o.ok]
    passing = [o for o in ok if not any(o.flags.get(k) for k in CHECKLIST)]
    cells = [f"{len(ok)}/{len(outs)}"]
    cells += [f"{sum(not o.flags.get(k) for o in ok)}/{len(ok)}" for k in CHECKLIST]
    cells.append(f"**{len(passing)}/{len(ok)}**")
    cells += [f"{sum(bool(o.flags.get(k)) for o in ok)}/{len(ok)}" for k in INFO]
    cells.append(f"{statistics.median(o.latency_s for o in outs):.0f} s")
    cells.append(f"{statistics.median(o.completion_tokens for o in outs):.0f}")
    cells.append(f"{statistics.median(o.prompt_tokens for o in outs):.0f}")
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    results = ROOT / "bench" / "results"
    parser.add_argument(
        "dumps",
        type=Path,
        nargs="*",
        default=[results / f"courrier-{n}.jsonl" for n in ("before", "after", "follow-up")],
        help="one column per dump, in this order",
    )
    parser.add_argument(
        "--labels", default="before,after,after + follow-up", help="column names, comma-separated"
    )
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--print", action="store_true", help="print instead of writing")
    parser.add_argument(
        "--as-run",
        action="store_true",
        help="score the later runs' letters as stored, not re-finished by today's checks",
    )
    parser.add_argument(
        "--first-as-run",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="score the first dump as stored (its prompt may differ from today's)",
    )
    args = parser.parse_args()
    if args.heldout:
        ba.INPUTS.update(ba.HELDOUT)
    names = args.labels.split(",")[: len(args.dumps)]
    loaded = [load(path) for path in args.dumps]
    common = sorted(set.intersection(*(set(runs) for runs, _ in loaded)))
    columns = [
        [
            outcome(runs[i] if args.as_run or (n == 0 and args.first_as_run) else refinish(runs[i]))
            for i in common
        ]
        for n, (runs, _) in enumerate(loaded)
    ]
    labels = ["runs that produced a letter"]
    labels += [f"{v}" for v in CHECKLIST.values()]
    labels.append("**whole checklist passed**")
    labels += list(INFO.values())
    labels += ["latency p50 (whole run)", "completion tokens p50", "prompt tokens p50"]
    cells = [column(outs) for outs in columns]
    rows = [[label, *(c[k] for c in cells)] for k, label in enumerate(labels)]
    runs_said = "; ".join(
        f"{name}: code `{info.get('code', '?')}`, load average (1/5/15 min) "
        f"{info.get('load_start', '?')} at start, {info.get('load_end', '?')} at end"
        for name, (_, info) in zip(names, loaded, strict=True)
    )
    lines = [
        f"# Courrier: {' / '.join(names)} (the secretary's checklist)",
        "",
        f"Inputs: the {len(common)} {'held-out' if args.heldout else 'dev'} requests every run "
        f"reached (indices {', '.join(str(i + 1) for i in common)}). Model "
        f"`{loaded[-1][1].get('model', '?')}`. {runs_said} (latencies include the other work "
        "on the 2 cores of the shared machine: compare tokens, not seconds). Rescored now with "
        "the same checks for all (`python bench/compare_courrier.py`, from the dumps kept in "
        "bench/results/)"
        + (
            "."
            if args.as_run or len(loaded) == 1
            else "; the later runs' letters are rebuilt from the model's own JSON by today's "
            "post-processing (same prompt; a follow-up's answer merged as the runner does), so "
            "later changes to the checks count."
        ),
        "",
        table(["check (runs passing)", *names], rows),
    ]
    last = [o for o in columns[-1] if o.ok]
    examples = [
        f"- input {o.index + 1} ({o.values['destinataire'][:40]}): "
        + "; ".join(k for k in CHECKLIST if o.flags.get(k))
        for o in last
        if any(o.flags.get(k) for k in CHECKLIST)
    ]
    if examples:
        lines += ["", f"What still fails in the last column ({names[-1]}), per run:", "", *examples]
    passed = [
        f"{sum(not any(o.flags.get(k) for k in CHECKLIST) for o in outs if o.ok)}/"
        f"{sum(o.ok for o in outs)} {name}"
        for name, outs in zip(names, columns, strict=True)
    ]
    lines += ["", f"Whole checklist: {', '.join(passed)}."]
    markdown = "\n".join(lines)
    if args.print:
        print(markdown)
    else:
        write_results("courrier-heldout" if args.heldout else "courrier", markdown)


if __name__ == "__main__":
    main()
