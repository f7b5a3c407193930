"""Run every benchmark (or the ones named) and assemble docs/benchmarks.md from bench/results/.

python bench/run_all.py                 # run all, then assemble
python bench/run_all.py --only pii      # run one
python bench/run_all.py --assemble      # only rebuild docs/benchmarks.md from results
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
# Order of the sections in docs/benchmarks.md: script name → results file stem.
SECTIONS = {
    "bench_local_model.py": "local_model",
    "bench_gateway.py": "gateway",
    "bench_assistants.py": "assistants",
    "bench_retrieval.py": "retrieval",
    "bench_transcription.py": "transcription",
    "bench_pii.py": "pii",
}
HEADER = """# Benchmarks

Every figure here is produced by a script in `bench/` (`make bench`, or
`python bench/run_all.py --only NAME`), which rewrites its section below. Each section names the
machine, its load during the run, and compares against a baseline or peer measured in the same
run. The development machine has 2 cores shared with other work: the load average is recorded
so that figures taken under load can be read as such.

"""


def assemble() -> Path:
    parts = [HEADER]
    for stem in SECTIONS.values():
        path = RESULTS / f"{stem}.md"
        if path.exists():
            parts.append(path.read_text(encoding="utf-8").strip() + "\n\n")
    out = ROOT / "docs" / "benchmarks.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("".join(parts).rstrip() + "\n", encoding="utf-8")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", action="append", default=[], help="script stem, e.g. pii")
    parser.add_argument("--assemble", action="store_true", help="only rebuild docs/benchmarks.md")
    args = parser.parse_args()
    if not args.assemble:
        for script, stem in SECTIONS.items():
            if args.only and stem not in args.only:
                continue
            if not (ROOT / "bench" / script).exists():
                continue
            print(f"==> {script}", flush=True)
            subprocess.run([sys.executable, str(ROOT / "bench" / script)], check=True, cwd=ROOT)
    print(f"wrote {assemble()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
