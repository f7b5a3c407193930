"""Posters: time to lay out and write each file (A4/A3 PDF, square and wide PNG) per layout,
and the size of the files. No model call: the texts are the demo event's.

    PYTHONPATH=. .venv/bin/python bench/bench_posters.py
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime

from civia.posters.content import Brand, from_model
from civia.posters.demo import TEXTS
from civia.posters.layout import LAYOUTS
from civia.posters.render import FORMATS, Credits, export

ROUNDS = 5


def main() -> None:
    brand = Brand("Commune de Démoville", "000091")
    poster = from_model(dict(TEXTS), brand)
    credits = Credits("affiche", "Affiche et visuel", "bench", "Bench", datetime.now(UTC))
    export(poster, brand, "carre", credits)  # fonts and libraries loaded once
    print("| layout | format | median time | file size |")
    print("|---|---|---:|---:|")
    for layout in LAYOUTS:
        for fmt in FORMATS:
            times, size = [], 0
            for _ in range(ROUNDS):
                start = time.perf_counter()
                data, _, _ = export(replace(poster, layout=layout), brand, fmt, credits)
                times.append(time.perf_counter() - start)
                size = len(data)
            print(f"| {layout} | {fmt} | {statistics.median(times) * 1000:.0f} ms | "
                  f"{size / 1000:.0f} kB |")  # fmt: skip


if __name__ == "__main__":
    main()
