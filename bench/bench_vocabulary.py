"""Transcription vocabulary per collectivité: does a list of proper nouns given to the decoder
lower the WER of the clips that say them, without hurting the others?

On ../shared/data/speech (FLEURS fr, 5 clips), in one run, the same clips: no vocabulary; the
vocabulary as Civia gives it (`transcribe(vocabulary=...)`: faster-whisper `hotwords`); the
same text as faster-whisper's `initial_prompt` instead. The vocabulary is what a town would
type: its élus, streets and services, among which the proper nouns of two clips (« USOC »,
« Comité olympique des États-Unis », « Mashhad ») that the bundled Whisper base misspells.

Writes bench/results/vocabulary.md. Usage: python bench/bench_vocabulary.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Machine, table, write_results  # noqa: E402
from civia.meetings.evaluation import corpus_wer, find_clips, normalize_text  # noqa: E402
from civia.providers.vocabulary import as_prompt, for_decoder  # noqa: E402
from civia.providers.whisper import WhisperSettings, WhisperTranscriber  # noqa: E402

VOCABULARY = [
    "Démoville", "Claire Lemoine", "Karim Benali", "Jeanne Martin", "rue des Peupliers",
    "USOC", "allée des Chênes", "SIVOM du Val", "Inès Benhamou", "CCAS",
    "place de l'Église", "Antoine Lefèvre", "Comité olympique des États-Unis",
    "impasse des Tilleuls", "Mashhad", "Sophie Garnier", "médiathèque Jules-Verne",
    "PLUi", "Paul Girard", "quai Saint-Vincent",
]  # fmt: skip
NOUNS = {"fleurs-fr-001.ogg": ["usoc", "olympique"], "fleurs-fr-004.ogg": ["mashhad"]}


def speech_dir() -> Path:
    base = Path(os.environ.get("CIVIA_SHARED_DATA", ROOT.parent / "shared" / "data"))
    return base / "speech"


def run(name: str, engine: WhisperTranscriber, vocabulary: list[str]) -> dict[str, Any]:
    rows = []
    for clip in find_clips(speech_dir()):
        start = time.perf_counter()
        transcript = engine.transcribe(clip.audio, vocabulary=vocabulary)
        seconds = time.perf_counter() - start
        rows.append((clip, transcript.text, seconds, transcript.duration))
        print(f"{name} {clip.audio.name} {seconds:.1f}s {transcript.text}", flush=True)
    return {"name": name, "rows": rows}


def main() -> None:
    speech = speech_dir()
    if not speech.is_dir():
        raise SystemExit(f"no shared speech data in {speech}")
    machine = Machine()
    prompt = as_prompt(VOCABULARY)
    plain = WhisperTranscriber(settings=WhisperSettings())
    tokens = len(plain.model().hf_tokenizer.encode(" " + prompt).ids)
    runs = [
        run("no vocabulary", plain, []),
        run("vocabulary as hotwords (Civia)", plain, VOCABULARY),
        run(
            "vocabulary as initial_prompt",
            WhisperTranscriber(settings=WhisperSettings(initial_prompt=prompt)),
            [],
        ),
    ]
    machine.finish()
    clips = [c.audio.name for c, *_ in runs[0]["rows"]]
    header = ["variant", "WER, 2 clips with the nouns", "WER, 3 other clips", "WER, all 5"]
    header += ["RTF", *[f"{n}: {', '.join(w)} spelled right" for n, w in NOUNS.items()]]
    lines = []
    for r in runs:
        refs = {c.audio.name: c.reference for c, *_ in r["rows"]}
        hyps = {c.audio.name: text for c, text, *_ in r["rows"]}

        def wer(names: list[str], refs: dict[str, str] = refs, hyps: dict[str, str] = hyps) -> str:
            return f"{corpus_wer([refs[n] for n in names], [hyps[n] for n in names]):.3f}"

        seconds = sum(s for *_, s, _ in r["rows"])
        audio = sum(d for *_, d in r["rows"])
        found = [
            f"{sum(w in normalize_text(hyps[n]).split() for w in words)}/{len(words)}"
            for n, words in NOUNS.items()
        ]
        lines.append(
            [
                r["name"],
                wer(list(NOUNS)),
                wer([n for n in clips if n not in NOUNS]),
                wer(clips),
                f"{seconds / audio:.2f}",
                *found,
            ]
        )
    examples = [
        f"- {r['name']}, {c.audio.name}: « {text} »"
        for r in runs
        for c, text, *_ in r["rows"]
        if c.audio.name in NOUNS
    ]
    markdown = "\n".join(
        [
            "## Transcription vocabulary per collectivité",
            "",
            machine.markdown(),
            f"- Vocabulary: {len(VOCABULARY)} terms, {len(prompt)} characters "
            f"({len(for_decoder(VOCABULARY))} terms within the decoder's budget), {tokens} "
            "Whisper tokens (faster-whisper keeps 223). Civia defaults otherwise (Whisper base "
            "int8, beam 5, VAD, loudness normalisation), 1 thread. "
            "`python bench/bench_vocabulary.py`.",
            "",
            table(header, lines),
            "",
            "Clips with the nouns (reference: « …l'usoc comité olympique des états-unis… », "
            "« …une sortie de piste à mashhad… »):",
            "",
            *examples,
        ]
    )
    write_results("vocabulary", markdown)


if __name__ == "__main__":
    main()
