"""Benchmark of the meetings flow on this machine.

1. Chat latency while a transcription runs: time to first token (TTFT) of a short answer from
   the embedded local model (Civia's LocalLlama provider, the web process's settings), alone
   and while faster-whisper transcribes in a thread of the same process (as the in-process
   worker does) with 1 and with 2 CPU threads; plus the transcription's real-time factor in
   each case. Conditions are interleaved round by round so they see the same machine load.
2. Minutes of a long transcript: the text of French Wikipedia paragraphs (PIAF) cut into
   speaker turns stands for a long meeting (only length matters here, not content); the
   minutes job condenses it part by part (civia.meetings.minutes), then the compte-rendu
   assistant writes the minutes from the notes, as the result page does. Times per phase,
   parts, levels, schema validity. Also the characters-per-token ratio of French transcript
   text with the model's tokenizer, which sets `minutes_direct_chars`.

Writes bench/results/meetings.md.
Usage: python bench/bench_meetings.py [--rounds 3] [--minutes-chars 50000] [--skip-minutes]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Machine, p50, table, write_results  # noqa: E402
from civia.providers.base import ChatMessage, ChatRequest  # noqa: E402
from civia.providers.local_llama import LocalLlama  # noqa: E402
from civia.settings import Settings  # noqa: E402

SPEECH = ROOT.parent / "shared" / "data" / "speech"
PIAF = ROOT.parent / "shared" / "data" / "retrieval" / "piaf-v1.0.json"
CHAT = [
    ChatMessage("system", "Tu es l'assistant des agents d'une mairie. Réponds en français."),
    ChatMessage("user", "Reformule poliment : « La mairie est fermée lundi. »"),
]
SPEAKERS = ("Le maire", "Mme Durand, adjointe aux finances", "M. Petit", "Mme Leroy")


def long_recording(folder: Path, minutes: float = 4.0) -> tuple[Path, float]:
    """The shared FLEURS clips joined and repeated into one ~`minutes`-minute Opus file."""
    clips = sorted(SPEECH.glob("fleurs-fr-*.ogg"))
    listing = folder / "list.txt"
    repeat = max(1, int(minutes * 60 / 60.5))
    listing.write_text("".join(f"file '{c}'\n" for c in clips * repeat), encoding="utf-8")
    out = folder / "long.ogg"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
         "-ac", "1", "-ar", "16000", "-c:a", "libopus", "-b:a", "24k", str(out)],
        check=True,
    )  # fmt: skip
    from civia.providers.audio import probe_audio

    return out, probe_audio(out).duration or 0.0


_SAMPLES = iter(range(1_000_000))


async def _ttft(model: LocalLlama) -> float:
    # A new first line each time: llama.cpp reuses a cached prompt prefix, which would hide the
    # prompt processing a real new question costs.
    sample = next(_SAMPLES)
    messages = [ChatMessage("system", f"Demande n° {sample}. {CHAT[0].content}"), CHAT[1]]
    start = time.monotonic()
    first = None
    async for chunk in model.stream(ChatRequest(messages=messages, max_tokens=16, seed=1)):
        if chunk.text and first is None:
            first = time.monotonic() - start
    return first if first is not None else float("nan")


class Background:
    """Transcribes `path` over and over in a thread until stopped; records each RTF."""

    def __init__(self, path: Path, duration: float, threads: int) -> None:
        from civia.providers.whisper import WhisperTranscriber

        self.engine = WhisperTranscriber(cpu_threads=threads)
        self.engine.model()
        self.path, self.duration = path, duration
        self.stop = threading.Event()
        self.rtfs: list[float] = []
        self.started = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self.stop.is_set():
            begin = time.monotonic()
            try:
                self.engine.transcribe(
                    self.path,
                    on_progress=lambda _f: self.started.set(),
                    should_cancel=self.stop.is_set,
                )
            except Exception:  # cancelled when the measurement ends
                return
            self.rtfs.append((time.monotonic() - begin) / self.duration)

    def __enter__(self) -> Background:
        self.thread.start()
        self.started.wait(120)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(120)


def bench_latency(rounds: int, runs: int) -> tuple[str, dict[str, Any]]:
    settings = Settings()
    model = LocalLlama("local", settings)
    model.llama()
    asyncio.run(_ttft(model))  # warm-up
    with tempfile.TemporaryDirectory() as tmp:
        path, duration = long_recording(Path(tmp))
        names = ("alone", "whisper 1 thread", "whisper 2 threads")
        ttft: dict[str, list[float]] = {name: [] for name in names}
        rtf: dict[str, list[float]] = {"whisper 1 thread": [], "whisper 2 threads": []}
        solo: dict[str, float] = {}
        for threads in (1, 2):  # transcription alone, for its RTF without the chat
            from civia.providers.whisper import WhisperTranscriber

            engine = WhisperTranscriber(cpu_threads=threads)
            engine.model()
            begin = time.monotonic()
            engine.transcribe(path)
            solo[f"whisper {threads} thread{'s' if threads > 1 else ''}"] = (
                time.monotonic() - begin
            ) / duration
        for _ in range(rounds):
            ttft["alone"] += [asyncio.run(_ttft(model)) for _ in range(runs)]
            for threads in (1, 2):
                name = f"whisper {threads} thread{'s' if threads > 1 else ''}"
                with Background(path, duration, threads) as background:
                    ttft[name] += [asyncio.run(_ttft(model)) for _ in range(runs)]
                    begin = time.monotonic()
                    while not background.rtfs and time.monotonic() - begin < 600:
                        time.sleep(0.5)  # let one full pass finish for its RTF
                rtf[name] += background.rtfs
    rows = []
    for name, values in ttft.items():
        with_chat = f"{p50(rtf[name]):.2f}" if rtf.get(name) else "—"
        alone = f"{solo[name]:.2f}" if name in solo else "—"
        rows.append([name, f"{p50(values):.2f}", f"{min(values):.2f}", f"{max(values):.2f}",
                     str(len(values)), with_chat, alone])  # fmt: skip
    text = table(
        ["condition", "chat TTFT p50 (s)", "best", "worst", "n", "whisper RTF with chat",
         "whisper RTF alone"],
        rows,
    )  # fmt: skip
    return text, {"recording_s": round(duration, 1), "ttft": ttft, "rtf": rtf, "solo": solo}


def long_transcript(chars: int) -> list[tuple[str, str]]:
    data = json.loads(PIAF.read_text(encoding="utf-8"))
    turns: list[tuple[str, str]] = []
    total = 0
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            turns.append((SPEAKERS[len(turns) % len(SPEAKERS)], paragraph["context"].strip()))
            total += len(paragraph["context"])
            if total >= chars:
                return turns
    return turns


def chars_per_token(turns: list[tuple[str, str]]) -> float:
    settings = Settings()
    llm = LocalLlama("local", settings).llama()
    text = "\n".join(f"{s} : {t}" for s, t in turns[:40])
    return len(text) / len(llm.tokenize(text.encode("utf-8"), add_bos=False))


def bench_minutes(chars: int) -> tuple[str, dict[str, Any]]:
    from civia.accounts.models import User
    from civia.assistants.access import find
    from civia.assistants.context import assistant_context
    from civia.assistants.models import AssistantRun
    from civia.assistants.runner import RunResult, run
    from civia.chat.gateway import CallContext, Gateway
    from civia.db.engine import make_engine, make_sessionmaker
    from civia.jobs.models import Job
    from civia.jobs.worker import Worker
    from civia.meetings import minutes
    from civia.meetings.models import Meeting, MeetingSegment
    from civia.plugins.tables import metadata
    from tests.conftest import make_personas

    turns = long_transcript(chars)
    ratio = chars_per_token(turns)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/b.db", model_seed=1)
        engine = make_engine(settings.db_url)
        metadata().create_all(engine)
        sessions = make_sessionmaker(engine)
        with sessions() as db:
            people = make_personas(db, "x")
            agent = people["agent"]
            meeting = Meeting(tenant_id=agent.tenant_id, user_id=agent.id, title="Séance longue",
                              status="ready")  # fmt: skip
            db.add(meeting)
            db.flush()
            for i, (speaker, text) in enumerate(turns):
                db.add(MeetingSegment(meeting_id=meeting.id, position=i, start=30.0 * i,
                                      end=30.0 * i + 29, text=text, speaker=speaker))  # fmt: skip
            kind, job_id = minutes.start(db, user=agent, meeting=meeting,
                                         limit=settings.minutes_direct_chars)  # fmt: skip
            db.commit()
        assert kind == "job"
        begin = time.monotonic()
        Worker(sessions, settings, {}).run_once("transcription")
        condense_s = time.monotonic() - begin
        with sessions() as db:
            job = db.get(Job, job_id)
            assert job is not None and job.status == "done", job and job.error
            run_row = db.get(AssistantRun, int(job.result["url"].rsplit("/", 1)[1]))
            user = db.get(User, agent.id)
            spec = find(db, user, "compte-rendu")
            values, notes_chars = dict(run_row.inputs), len(run_row.inputs["notes"])
            gateway = Gateway(settings, sessions)
            target = gateway.resolve(db, user.tenant_id)
            context = assistant_context(db, user.tenant)
            ctx = CallContext(tenant_id=user.tenant_id, user_id=user.id, service_id=None,
                              source="web", assistant_id=spec.id)  # fmt: skip

            async def final() -> RunResult:
                outcome = None
                async for item in run(spec, values, context=context, gateway=gateway, ctx=ctx,
                                      target=target):  # fmt: skip
                    if isinstance(item, RunResult):
                        outcome = item
                assert outcome is not None
                return outcome

            begin = time.monotonic()
            error = ""
            try:
                outcome = asyncio.run(final())
            except Exception as exc:  # reported, not hidden
                outcome, error = None, repr(exc)
            final_s = time.monotonic() - begin
        engine.dispose()
    parts, levels = job.result["parts"], job.result["levels"]
    data = outcome.data if outcome else None
    rows = [[
        f"{sum(len(t) for _, t in turns):,}", str(len(turns)), str(parts), str(levels),
        f"{notes_chars:,}", f"{condense_s:.0f}", f"{final_s:.0f}", f"{condense_s + final_s:.0f}",
        "yes" if data else f"no ({error[:60]})",
        str(len(data["participants"])) if data else "—",
    ]]  # fmt: skip
    text = table(
        ["transcript chars", "turns", "parts", "levels", "notes chars", "condense (s)",
         "minutes (s)", "total (s)", "valid minutes", "participants found"],
        rows,
    )  # fmt: skip
    return text, {
        "chars_per_token": round(ratio, 2),
        "data": data,
        "markdown": outcome.markdown if outcome else "",
        "attempts": outcome.attempts if outcome else 0,
    }


def previous_section(title: str) -> list[str]:
    """A section of the last results file, kept when this run skips its part."""
    path = ROOT / "bench" / "results" / "meetings.md"
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    start = text.find(f"## {title}")
    if start < 0:
        return []
    end = text.find("\n## ", start + 3)
    body = text[start : end if end > 0 else len(text)].rstrip()
    return [body + "\n\n(kept from the previous run: this run skipped it)", ""]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=2, help="TTFT samples per condition and round")
    parser.add_argument("--minutes-chars", type=int, default=30_000)
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--skip-minutes", action="store_true")
    args = parser.parse_args()
    kept = {
        title: previous_section(title)
        for title in ("Chat latency while a meeting transcribes", "Minutes of a long transcript")
    }
    machine = Machine()
    sections = ["# Meetings", ""]
    raw: dict[str, Any] = {}

    def save() -> None:  # after each part: a long run that fails later keeps what it measured
        raw_text = json.dumps(raw, ensure_ascii=False, indent=2, default=str)
        (ROOT / "bench" / "results" / "meetings.json").write_text(raw_text, encoding="utf-8")
        write_results("meetings", "\n".join([*sections, "## Machine", "", machine.markdown()]))

    if args.skip_latency:
        sections += kept["Chat latency while a meeting transcribes"]
    else:
        text, raw["latency"] = bench_latency(args.rounds, args.runs)
        sections += [
            "## Chat latency while a meeting transcribes",
            "",
            "Local model (n_threads=1, n_threads_batch=2), 16-token answer to a short prompt "
            "(~60 tokens, never served from llama.cpp's prompt cache); "
            f"the recording is the FLEURS clips joined ({raw['latency']['recording_s']} s), "
            f"transcribed in a thread of the same process. {args.rounds} interleaved rounds × "
            f"{args.runs} samples per condition.",
            "",
            text,
            "",
        ]
        save()
    if args.skip_minutes:
        sections += kept["Minutes of a long transcript"]
    else:
        text, raw["minutes"] = bench_minutes(args.minutes_chars)
        sections += [
            "## Minutes of a long transcript",
            "",
            f"French text (PIAF paragraphs) in speaker turns, {args.minutes_chars:,} characters "
            "(about the length of a 35-minute meeting; a 2-hour one is ~100,000); "
            "`minutes_direct_chars` = 8,000; "
            f"the model's tokenizer gives {raw['minutes']['chars_per_token']} characters per "
            "token on this text.",
            "",
            text,
            "",
            "<details><summary>Minutes produced</summary>",
            "",
            # Headings demoted: the minutes must not open sections of this file.
            raw["minutes"]["markdown"].replace("\n## ", "\n#### ").replace("# ", "### ", 1),
            "</details>",
            "",
        ]
    machine.finish()
    save()


if __name__ == "__main__":
    main()
