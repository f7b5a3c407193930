"""Start-up cost: CPU time of a fresh interpreter that builds the app (`create_app`) and of
`civia --help`, plus the package-level import graph (pairs of areas importing each other).

Usage: python bench/bench_startup.py [--runs 5] [--label after] [--root /path/to/other/checkout]
(`--root`: measure another checkout, e.g. `git archive <commit> civia | tar -x -C /tmp/base`.)
Each run is a new process (nothing cached in memory); the figure is user+sys CPU time of that
child, so the load of other processes on the machine barely moves it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_APP = (
    "from civia.app import create_app; from civia.settings import Settings; import sys; "
    "create_app(Settings(data_dir=sys.argv[1]))"
)


def cpu_seconds(argv: list[str], env: dict[str, str], root: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(runs: int, root: Path) -> dict[str, float]:
    env = {**os.environ, "CIVIA_MODE": "demo", "PYTHONDONTWRITEBYTECODE": "0"}
    with tempfile.TemporaryDirectory() as data_dir:
        app = [sys.executable, "-c", BUILD_APP, data_dir]
        cli = [sys.executable, "-m", "civia.cli", "--help"]
        cpu_seconds(app, env, root)  # warm the bytecode cache once
        app_s = [cpu_seconds(app, env, root) for _ in range(runs)]
        cli_s = [cpu_seconds(cli, env, root) for _ in range(runs)]
    return {"create_app_s": statistics.median(app_s), "cli_help_s": statistics.median(cli_s)}


def import_graph(root: Path) -> dict[str, object]:
    tool = Path("/work/shared/tools/layers.py")
    if not tool.exists():
        return {}
    out = subprocess.run(
        [sys.executable, str(tool), "civia"], cwd=root, check=True, capture_output=True, text=True
    )
    graph = json.loads(out.stdout)
    return {
        "pairs": len(graph["cycles"]),
        "largest_scc": max((len(c) for c in graph["sccs"]), default=1),
        "import_module": graph["import_module"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--label", default="")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    root = args.root.resolve()
    result = {
        "label": args.label,
        "runs": args.runs,
        **measure(args.runs, root),
        **import_graph(root),
        "load_1min": os.getloadavg()[0],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
