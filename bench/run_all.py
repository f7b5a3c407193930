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
    "compare_courrier.py": "courrier",
    "bench_postchecks.py": "postchecks",
    "bench_retrieval.py": "retrieval",
    "bench_documents_chat.py": "documents-chat",
    "bench_acts.py": "acts",
    "bench_transcription.py": "transcription",
    "bench_whisper_models.py": "whisper-models",  # a ### subsection of Transcription
    "bench_meetings.py": "meetings",
    "bench_pii.py": "pii",
    "bench_erasure.py": "erasure",
    "bench_steering.py": "steering",
    "bench_mailbox.py": "mailbox",
    "bench_citizens.py": "citizens",
    "bench_auth.py": "auth",
    "bench_vectors.py": "vectors",
}
# Scripts run in several steps (each step's arguments); the others run once without arguments.
STEPS = {
    "bench_documents_chat.py": [["calibrate"], ["answer"], ["ocr"], ["large"], ["report"]],
    "bench_acts.py": [["run"]],
    "bench_vectors.py": [["prepare"], ["index"], ["measure"], ["params"]],
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
            parts.append(_as_section(path.read_text(encoding="utf-8").strip()) + "\n\n")
    out = ROOT / "docs" / "benchmarks.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("".join(parts).rstrip() + "\n", encoding="utf-8")
    return out


def _as_section(text: str) -> str:
    """Results files that open with a top-level title become sections of the page."""
    if not text.startswith("# "):
        return text
    lines = text.splitlines()
    in_code = False
    for index, line in enumerate(lines):
        in_code = in_code != line.startswith("```")
        if not in_code and line.startswith("#"):
            lines[index] = "#" + line
    return "\n".join(lines)


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
            for step in STEPS.get(script, [[]]):
                print(f"==> {script} {' '.join(step)}", flush=True)
                command = [sys.executable, str(ROOT / "bench" / script), *step]
                subprocess.run(command, check=True, cwd=ROOT)
    print(f"wrote {assemble()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
