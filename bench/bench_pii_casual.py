"""Personal data as people really write it: PERSON recall on casual text, and decoys.

    python bench/bench_pii_casual.py [--out bench/results/pii_casual.md]

Scores Civia's detector on ``tests/data/pii/casual_set.py``: recall per type (exact and
overlap matching) on lower-case, first-name-only and transcript-style texts, the number of
decoy phrases (streets, schools, rooms named after people) masked as a person (goal 0), and
the cost in ms per 1,000 characters on the same texts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from common import ROOT, Machine  # bench/common.py: machine and load description

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests/data/pii"))

from casual_set import CASUAL_DECOYS, CASUAL_DEV
from make_pii_set import render

from civia.privacy import detect


def score() -> dict[str, object]:
    found: dict[str, list[int]] = {}  # type -> [exact, overlap, support]
    misses: list[str] = []
    chars, timings = 0, []
    for markup in CASUAL_DEV:
        text, entities = render(markup)
        started = time.perf_counter()
        got = detect(text)
        timings.append((time.perf_counter() - started) * 1000 / max(len(text), 1) * 1000)
        chars += len(text)
        for entity in entities:
            kind, start, end = str(entity["type"]), int(entity["start"]), int(entity["end"])
            row = found.setdefault(kind, [0, 0, 0])
            row[2] += 1
            same = [g for g in got if g.type.value == kind]
            if any(g.start == start and g.end == end for g in same):
                row[0] += 1
            if any(g.start < end and g.end > start for g in same):
                row[1] += 1
            elif kind == "PERSON":
                misses.append(f"{text[start:end]!r} in {text[:70]!r}")
    masked, decoys = [], 0
    for text, phrases in CASUAL_DECOYS:
        persons = [g for g in detect(text) if g.type.value == "PERSON"]
        for phrase in phrases:
            decoys += 1
            start = text.index(phrase)
            end = start + len(phrase)
            if any(g.start < end and g.end > start for g in persons):
                masked.append(phrase)
    return {
        "per_type": found, "misses": misses, "masked": masked, "decoys": decoys,
        "ms_per_1000": statistics.median(timings), "texts": len(CASUAL_DEV), "chars": chars,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/pii_casual.md")
    args = parser.parse_args()
    machine = Machine()
    detect("Bonjour Madame Dupont")  # loads spaCy outside the timings
    result = score()
    machine.finish()
    lines = ["## PII on casual text (`bench/bench_pii_casual.py`)", "", machine.markdown(), ""]
    lines += [
        f"Data: `tests/data/pii/casual_set.py`, {result['texts']} texts "
        f"({result['chars']} characters) and {result['decoys']} decoy phrases.",
        "",
        "| type | n | recall exact | recall overlap |",
        "|---|---:|---:|---:|",
    ]
    per_type: dict[str, list[int]] = result["per_type"]  # type: ignore[assignment]
    for kind, (exact, overlap, n) in sorted(per_type.items()):
        lines.append(f"| {kind} | {n} | {exact / n:.3f} | {overlap / n:.3f} |")
    masked: list[str] = result["masked"]  # type: ignore[assignment]
    lines += [
        "",
        f"Decoys masked as a person: {len(masked)} of {result['decoys']}"
        + (f" ({', '.join(masked)})" if masked else ""),
        f"Cost: {result['ms_per_1000']:.1f} ms per 1,000 characters (median per text).",
        "",
        "PERSON misses (overlap):",
        *[f"- {m}" for m in result["misses"]],  # type: ignore[attr-defined]
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
