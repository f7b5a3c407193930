"""Courrier follow-up on the dev letters: the first answers of a kept run
(bench/results/courrier-after.jsonl) are replayed through the real runner, so only the
follow-up (the one extra call asking for the facts a letter left out) is asked of the local
model. Same letters, same first answers: what the follow-up alone changes.

Writes a --dump file in bench_assistants.py's format (latency = the kept run's + the
follow-up's), to compare with `python bench/compare_courrier.py BEFORE AFTER`.

The held-out letters' first answers can be replayed the same way (their follow-up then runs
with today's code): pass their dumps.

Usage: python bench/bench_courrier_follow_up.py [KEPT.jsonl ...] --dump OUT.jsonl
       [--inputs 2,3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_assistants as ba  # noqa: E402
from bench.common import Machine  # noqa: E402
from civia.chat.gateway import CallContext, CallResult, Resolved  # noqa: E402
from civia.providers.base import ChatChunk, ChatRequest  # noqa: E402
from civia.settings import Settings  # noqa: E402


def _index(row: dict[str, Any]) -> int:
    return int(row["index"])


class Replay(ba.BenchGateway):
    """Answers from `queue` (a kept run's calls) while it lasts, then from the real model."""

    queue: list[dict[str, Any]]

    async def stream(
        self, ctx: CallContext, target: Resolved, request: ChatRequest, result: CallResult
    ) -> AsyncIterator[ChatChunk]:
        if not self.queue:
            async for chunk in super().stream(ctx, target, request, result):
                yield chunk
            return
        kept = self.queue.pop(0)
        result.text, result.finish_reason = kept["text"], kept["finish"]
        self.calls.append(ba.Call(**kept))
        yield ChatChunk(text=kept["text"], finish_reason=kept["finish"])


async def amain(kept: list[Path], out: Path, indices: set[int]) -> None:
    rows = [
        json.loads(line)
        for path in kept
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]
    runs = [r for r in rows if r.get("assistant") == "courrier" and r["ok"]]
    runs = sorted((r for r in runs if not indices or r["index"] + 1 in indices), key=_index)
    spec = ba.builtins()["courrier"]
    settings = Settings(provider_timeout_s=900.0, provider_first_token_timeout_s=900.0)
    gw = Replay(settings)
    gw.queue = []
    target = ba.local_target(settings)
    log = ba.Dump(str(out))
    machine = Machine()
    await ba.run_assistant(ba.builtins()["correction"], {"texte": "Bonjour a tous."}, gw, target)
    for row in runs:
        first = row["calls"][: len(row["calls"]) - row.get("follow_ups", 0)]
        gw.queue = list(first)
        o = ba.Outcome("courrier", row["index"], row["values"], {})
        start = len(gw.calls)
        o.result, o.error, o.detail, o.calls, _ = await ba.run_assistant(
            spec, row["values"], gw, target
        )
        asked = gw.calls[start + len(first) :]
        dropped = sum(c["latency_s"] for c in row["calls"][len(first) :])
        o.latency_s = row["latency_s"] - dropped + sum(c.latency_s for c in asked)
        o.ok, o.attempts = o.result is not None, o.result.attempts if o.result else 0
        ba.assess(o, spec)
        log.outcome(o)
        print(
            f"[courrier {o.index + 1}] follow-up calls={len(asked)} "
            f"{sum(c.latency_s for c in asked):.1f}s "
            f"tokens={sum(c.completion_tokens for c in asked)} "
            f"flags={[k for k, v in o.flags.items() if v]}",
            flush=True,
        )
    machine.finish()
    info = next((r["run"] for r in rows if "run" in r), {})
    log.write(
        {
            "run": {
                **info,
                "code": f"{ba.code_version()} (first answers replayed from "
                f"{', '.join(p.name for p in kept)})",
                "started": machine.started.isoformat(),
                "load_start": machine.load_start,
                "load_end": machine.load_end,
            }
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    kept = ROOT / "bench" / "results" / "courrier-after.jsonl"
    parser.add_argument("kept", type=Path, nargs="*", default=[kept])
    parser.add_argument("--dump", type=Path, required=True)
    parser.add_argument("--inputs", default="", help="only these inputs (1-based, comma-separated)")
    args = parser.parse_args()
    indices = {int(i) for i in args.inputs.split(",") if i}
    asyncio.run(amain(args.kept, args.dump, indices))


if __name__ == "__main__":
    main()
