"""Dev vs held-out: --dump files of bench_assistants.py (one run on the dev inputs, one with
--heldout), rescored with today's checks (no model call) on the same number of inputs per set.

Per assistant: runs, schema validity (first attempt, after the repair), runs with at least one
automatic flag and each flag's count, triage misroutes, latency p50/p90 (wall, on a shared
machine) and CPU seconds of the bench process per run (user + system, the model runs in it).
For each assistant, N = the inputs both runs reached (the first N of each set, since the bench
takes inputs in order): same N for dev and held-out; with --each-n, each side keeps every input
its dumps reached (a fresh held-out run beside older dev dumps).

Usage: python bench/compare_heldout.py --dev DUMP.jsonl [--dev …] --heldout DUMP.jsonl
       [--heldout …] [--name heldout] [--print] [--refinish] [--each-n]
(several dumps per side: processes that shared the inputs; writes bench/results/<name>.md)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_assistants as ba  # noqa: E402
from bench.common import p50, percentile, table, write_results  # noqa: E402
from civia.assistants import echo, postchecks, repetition  # noqa: E402
from civia.assistants.runner import (  # noqa: E402
    RunResult,
    build_messages,
    prompt_of,
    render_markdown,
    schema_errors,
)

MISROUTE = "service differs from expected"


def load(paths: list[Path]) -> tuple[dict[tuple[str, int], dict[str, Any]], list[dict[str, Any]]]:
    """Runs by (assistant, index) (an input run twice counts once) and each dump's run info."""
    runs: dict[tuple[str, int], dict[str, Any]] = {}
    infos = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line else {}
            if "run" in row:
                infos.append(row["run"])
            elif "assistant" in row:
                runs.setdefault((row["assistant"], row["index"]), row)
    return runs, infos


def kept_answer(spec: Any, row: dict[str, Any]) -> dict[str, Any]:
    """The model's JSON the runner keeps by today's rule: its last call's, except after a loop
    retry (a valid first answer, no follow-up) that loops too, where the first answer stands."""
    calls = row["calls"]
    last: dict[str, Any] = json.loads(calls[-1]["text"])
    if len(calls) < 2 or row.get("follow_ups") or not repetition.looped(last):
        return last
    for call in calls[:-1]:  # a schema repair comes before the retry: the first valid answer
        first, problem = schema_errors(spec, call["text"])
        if first is not None and not problem:
            return first
    return last


def refinish(row: dict[str, Any]) -> dict[str, Any]:
    """The run as today's post-processing would show it: the model's own JSON (its last call)
    completed and checked again, so that a deterministic fix made after the run counts (the
    model's prompt must be the one measured)."""
    if not row["ok"]:
        return row
    spec = ba.builtins()[row["assistant"]]
    if spec.output.kind == "text":  # the text as the run showed it, checked again
        prompt = prompt_of(build_messages(spec, row["values"], ba.CONTEXT))
        shown, _ = echo.strip(row["markdown"], prompt, row["values"].values())
        text, _ = postchecks.apply_text(spec, shown, row["values"], ba.CONTEXT)
        return {**row, "markdown": text.strip() + "\n"}
    data, _ = postchecks.apply(spec, kept_answer(spec, row), row["values"], ba.CONTEXT)
    return {**row, "data": data, "markdown": render_markdown(spec, data, row["values"], ba.CONTEXT)}


def outcome(
    row: dict[str, Any], inputs: dict[str, list[dict[str, Any]]], again: bool = False
) -> ba.Outcome:
    row = refinish(row) if again else row
    raw = inputs[row["assistant"]][row["index"]]
    o = ba.Outcome(
        row["assistant"],
        row["index"],
        row["values"],
        {k: v for k, v in raw.items() if k.startswith("_")},
        ok=row["ok"],
        error=row["error"],
        attempts=row["attempts"],
        latency_s=row["latency_s"],
        cpu_s=row.get("cpu_s", 0.0),
        calls=[ba.Call(**c) for c in row["calls"]],
    )
    if o.ok:
        o.result = RunResult(row["markdown"], row["data"], o.calls[-1].text, row["attempts"])
        ba.assess(o, ba.builtins()[o.assistant])
    return o


def flagged(o: ba.Outcome) -> bool:
    return any(o.flags.values())


def column(outs: list[ba.Outcome]) -> dict[str, str]:
    n = len(outs)
    ok = [o for o in outs if o.ok]
    cells = {
        "runs": str(n),
        "schema-valid at the 1st attempt": f"{sum(o.attempts == 1 for o in ok)}/{n}",
        "valid after the repair": f"{len(ok)}/{n}",
        "**runs with at least one flag**": f"**{sum(map(flagged, ok))}/{len(ok)}**",
    }
    counts: Counter[str] = Counter(k for o in ok for k, v in o.flags.items() if v)
    for k, c in counts.items():
        cells[f"flag: {k}"] = f"{c}/{len(ok)}"
    lat = [o.latency_s for o in outs]
    cpu = [o.cpu_s for o in outs if o.cpu_s]
    cells["latency p50 / p90 (s, wall)"] = f"{p50(lat):.0f} / {percentile(lat, 90):.0f}"
    cells["CPU p50 / p90 (s, process)"] = (
        f"{p50(cpu):.0f} / {percentile(cpu, 90):.0f}" if cpu else "–"
    )
    cells["completion tokens p50"] = f"{p50([o.completion_tokens for o in outs]):.0f}"
    cells["prompt tokens p50"] = f"{p50([o.prompt_tokens for o in outs]):.0f}"
    return cells


def said(indices: list[int]) -> str:
    """« N = 5: inputs 1–5 » (inputs are numbered from 1; a gap is listed)."""
    span = indices[-1] - indices[0] + 1
    where = (
        f"inputs {indices[0] + 1}–{indices[-1] + 1}"
        if span == len(indices)
        else "inputs " + ", ".join(str(i + 1) for i in indices)
    )
    return f"N = {len(indices)}, {where}"


def runs_said(label: str, infos: list[dict[str, Any]], dumps: int) -> str:
    stopped = (
        f"; {label}: {dumps - len(infos)} of {dumps} dumps have no run line (the process was "
        "stopped at the time box: code and load not recorded in it)"
        if dumps > len(infos)
        else ""
    )
    return (
        "; ".join(
            f"{label} ({k + 1}/{len(infos)}): code `{i.get('code', '?')}`, started "
            f"{i.get('started', '?')[:16]}, load average (1/5/15 min) "
            f"{i.get('load_start', '?')} at start, {i.get('load_end', '?')} at end, others kept "
            f"{i.get('others_cores', 0):.2f} of the 2 cores busy"
            for k, i in enumerate(infos)
        )
        + stopped
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, action="append", required=True)
    parser.add_argument("--heldout", type=Path, action="append", required=True)
    parser.add_argument("--name", default="heldout", help="bench/results/<name>.md")
    parser.add_argument("--print", action="store_true", help="print instead of writing")
    parser.add_argument(
        "--refinish",
        action="store_true",
        help="rebuild each answer from the model's own JSON by today's post-processing",
    )
    parser.add_argument(
        "--each-n",
        action="store_true",
        help="each side keeps every input its dumps reached (N per side, not the common N)",
    )
    args = parser.parse_args()
    dev_runs, dev_infos = load(args.dev)
    held_runs, held_infos = load(args.heldout)
    ids = [a for a in ba.HELDOUT if any(k[0] == a for k in held_runs)]
    lines = [
        "# Assistants: dev vs held-out inputs on the bundled local model",
        "",
        f"Model `{(dev_infos or held_infos or [{}])[0].get('model', '?')}`, through the real "
        "runner (`bench/bench_assistants.py --part assistants`, then `--heldout`). "
        + runs_said("dev", dev_infos, len(args.dev))
        + "; "
        + runs_said("held-out", held_infos, len(args.heldout))
        + ". Rescored now with today's checks (`python bench/compare_heldout.py`, from the "
        "dumps kept in bench/results/)"
        + (
            "; each answer rebuilt from the model's own JSON by today's post-processing "
            "(`--refinish`: same prompt, so deterministic fixes made after the run count)"
            if args.refinish
            else ", answers as the code of the run finished them"
        )
        + (
            ". Per assistant, each set's N = the inputs its runs reached (`--each-n`: the "
            "two sides may differ in N and in the code that ran them)"
            if args.each_n
            else ". Per assistant, N = the inputs both sets reached (the first N of each)"
        )
        + ". Latency is wall time on a shared machine; CPU is the bench "
        "process's user + system seconds during the run (the model runs in it).",
    ]
    totals = {"dev": [0, 0], "held-out": [0, 0]}
    summary: list[list[str]] = []
    for aid in ids:
        held_ids = sorted(i for a, i in held_runs if a == aid)
        dev_ids = sorted(i for a, i in dev_runs if a == aid)
        if not args.each_n:  # same indices, same N
            held_ids = dev_ids = [i for i in held_ids if i in dev_ids]
        if not held_ids or not dev_ids:
            continue
        dev = [outcome(dev_runs[aid, i], ba.INPUTS, args.refinish) for i in dev_ids]
        held = [outcome(held_runs[aid, i], ba.HELDOUT, args.refinish) for i in held_ids]
        cols = {"dev": column(dev), "held-out": column(held)}
        for side, outs in (("dev", dev), ("held-out", held)):
            done = [o for o in outs if o.ok]
            totals[side][0] += sum(map(flagged, done))
            totals[side][1] += len(done)
        if aid == "tri-demandes":
            for side, outs in (("dev", dev), ("held-out", held)):
                routed = [o for o in outs if o.ok and o.expect.get("_service")]
                miss = sum(bool(o.flags.get(MISROUTE)) for o in routed)
                cols[side]["**misroutes** (requests with an expected service)"] = (
                    f"**{miss}/{len(routed)}**"
                )
        misroutes = "**misroutes** (requests with an expected service)"
        summary.append(
            [f"`{aid}`", str(len(dev)) if len(dev) == len(held) else f"{len(dev)} / {len(held)}"]
            + [
                cols[side][k].replace("**", "")
                for k in ("**runs with at least one flag**", "latency p50 / p90 (s, wall)")
                for side in ("dev", "held-out")
            ]
            + [cols[side].get(misroutes, "–").replace("**", "") for side in ("dev", "held-out")]
        )
        labels = list(dict.fromkeys([*cols["dev"], *cols["held-out"]]))
        flags = sorted(k for k in labels if k.startswith("flag: "))
        tail = [k for k in labels if k.startswith(("latency", "CPU", "completion", "prompt"))]
        head = [k for k in labels if k not in flags and k not in tail]
        labels = [*head, *flags, *tail]
        rows = [
            [label, cols["dev"].get(label, "0"), cols["held-out"].get(label, "0")]
            for label in labels
        ]
        lines += [
            "",
            f"## `{aid}` (dev: {said(dev_ids)}; held-out: {said(held_ids)})",
            "",
            table(["measure", "dev", "held-out"], rows),
        ]
        held_flagged = [
            f"- input {o.index + 1}: "
            + "; ".join(k for k, v in o.flags.items() if v)
            + (f" ({'; '.join(f'{k}: {v}' for k, v in o.found.items())})" if o.found else "")
            for o in held
            if o.ok and flagged(o)
        ]
        if held_flagged:
            lines += ["", "Held-out runs flagged:", "", *held_flagged]
    head_cells = [
        "assistant",
        "N per set (dev / held-out)",
        "flagged runs, dev",
        "flagged runs, held-out",
    ]
    head_cells += ["latency p50/p90 dev (s)", "latency p50/p90 held-out (s)"]
    head_cells += ["misroutes dev", "misroutes held-out"]
    at = 3  # the summary goes before the per-assistant sections
    lines[at:at] = ["", table(head_cells, summary)]
    lines += [
        "",
        "Overall, runs with at least one automatic flag: "
        + ", ".join(
            f"{side} {f}/{n} ({100 * f / n:.0f} %)" if n else f"{side} –"
            for side, (f, n) in totals.items()
        )
        + ".",
    ]
    markdown = "\n".join(lines)
    if args.print:
        print(markdown)
    else:
        write_results(args.name, markdown)


if __name__ == "__main__":
    main()
