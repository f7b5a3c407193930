"""Courrier before/after: two --dump files of bench_assistants.py (`--only courrier`), rescored
with today's checks (no model call) on the inputs both runs reached, side by side.

The secretary's checklist (bench_assistants.check_courrier, on the letter as rendered): right
salutation, one closing formula, no salutation or closing formula in the body, not written as
the recipient, every fact of the request present, no repeated sentence, no number/date/year of
the model's that the request does not contain left unmarked.

Usage: python bench/compare_courrier.py [BEFORE.jsonl AFTER.jsonl] [--heldout] [--print]
(default: the dumps kept in bench/results/, written to bench/results/courrier.md)
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
    parser.add_argument("before", type=Path, nargs="?", default=results / "courrier-before.jsonl")
    parser.add_argument("after", type=Path, nargs="?", default=results / "courrier-after.jsonl")
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--print", action="store_true", help="print instead of writing")
    parser.add_argument(
        "--as-run",
        action="store_true",
        help="score the after run's letters as stored, not re-finished by today's checks",
    )
    args = parser.parse_args()
    if args.heldout:
        ba.INPUTS.update(ba.HELDOUT)
    before, info_b = load(args.before)
    after, info_a = load(args.after)
    common = sorted(set(before) & set(after))
    b = [outcome(before[i]) for i in common]
    a = [outcome(after[i] if args.as_run else refinish(after[i])) for i in common]
    labels = ["runs that produced a letter"]
    labels += [f"{v}" for v in CHECKLIST.values()]
    labels.append("**whole checklist passed**")
    labels += list(INFO.values())
    labels += ["latency p50 (whole run)", "completion tokens p50", "prompt tokens p50"]
    rows = [[label, x, y] for label, x, y in zip(labels, column(b), column(a), strict=True)]
    lines = [
        "# Courrier: before / after (the secretary's checklist)",
        "",
        f"Inputs: the {len(common)} {'held-out' if args.heldout else 'dev'} requests both runs "
        f"reached (indices {', '.join(str(i + 1) for i in common)}). Model "
        f"`{info_a.get('model', '?')}`; before: code `{info_b.get('code', '?')}`, after: "
        f"`{info_a.get('code', '?')}`. Load average (1/5/15 min) of the shared machine: before "
        f"{info_b.get('load_start', '?')} at start, {info_b.get('load_end', '?')} at end; after "
        f"{info_a.get('load_start', '?')} at start, {info_a.get('load_end', '?')} at end "
        "(latencies include the other work on the 2 cores: compare tokens, not seconds). "
        "Rescored now with the same checks for both "
        "(`python bench/compare_courrier.py`, from the dumps kept in bench/results/)"
        + (
            "."
            if args.as_run
            else "; the after run's letters are rebuilt from the model's own JSON by today's "
            "post-processing (same prompt), so later changes to the checks count."
        ),
        "",
        table(["check (runs passing)", "before", "after"], rows),
    ]
    notes_after = [o for o in a if o.ok]
    examples = [
        f"- input {o.index + 1} ({o.values['destinataire'][:40]}): "
        + "; ".join(k for k in CHECKLIST if o.flags.get(k))
        for o in notes_after
        if any(o.flags.get(k) for k in CHECKLIST)
    ]
    if examples:
        lines += ["", "What still fails after (per run):", "", *examples]
    ok_b, ok_a = [o for o in b if o.ok], [o for o in a if o.ok]

    def passed(outs: list[ba.Outcome]) -> int:
        return sum(not any(o.flags.get(k) for k in CHECKLIST) for o in outs)

    def median_tokens(outs: list[ba.Outcome]) -> float:
        return statistics.median(o.completion_tokens for o in outs) if outs else 0.0

    tb, ta = median_tokens(b), median_tokens(a)
    facts = sum(bool(o.flags.get("fact of the request missing")) for o in ok_a)
    lines += [
        "",
        f"Whole checklist: {passed(ok_b)}/{len(ok_b)} letters before, {passed(ok_a)}/{len(ok_a)} "
        f"after. The model now writes {ta:.0f} tokens (median) instead of {tb:.0f} "
        f"({(ta - tb) / tb * 100:+.0f} %): the salutation and the closing formula are no longer "
        "generated. "
        + (
            f"What remains is the model's: {facts} letter(s) leave out a fact of the request; "
            "the app lists them above the draft (« Fait peut-être absent du courrier »)."
            if facts
            else "No letter leaves out a fact of the request."
        ),
    ]
    heldout = ROOT / "bench" / "results" / "courrier-heldout.md"
    if not args.heldout and not heldout.exists():
        lines += [
            "",
            "Held-out requests (`bench/data/heldout_courrier.py`, 20 letters never used to tune "
            "the prompt or the checks): not run yet "
            "(`bench_assistants.py --only courrier --heldout --dump …`, then "
            "`compare_courrier.py BEFORE AFTER --heldout`).",
        ]
    markdown = "\n".join(lines)
    if args.print:
        print(markdown)
    else:
        write_results("courrier-heldout" if args.heldout else "courrier", markdown)


if __name__ == "__main__":
    main()
