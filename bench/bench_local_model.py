"""Benchmark of the embedded local model (llama-cpp-python over the bundled GGUF).

In one process, with Civia's settings (n_threads=1, n_threads_batch=2, n_ctx=4096):
- load time of the model (civia.providers.local_llama.load_llama);
- time to first token, generation speed and total time of a ~200-token French letter, p50
  over 5 runs, by calling llama_cpp.Llama directly and through Civia's LocalLlama provider,
  plus direct calls from a fresh thread (the provider generates in a worker thread), in a
  rotating order so that all three see the same machine load;
- RSS after loading and peak RSS.

The prompt is evaluated from scratch in every run (the context is reset, so llama.cpp's
prefix reuse does not hide prompt processing). Temperature 0: every run generates the same
tokens. Writes bench/results/local_model.md.
Usage: python bench/bench_local_model.py [--runs 5] [--max-tokens 200]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Machine, p50, peak_rss_mb, rss_mb, table, write_results  # noqa: E402
from civia.providers.base import ChatMessage, ChatRequest  # noqa: E402
from civia.providers.local_llama import LocalLlama, load_llama  # noqa: E402
from civia.providers.model_files import MODEL_ID, ensure_gguf  # noqa: E402
from civia.settings import Settings  # noqa: E402

N_CTX, N_THREADS, N_THREADS_BATCH = 4096, 1, 2

SYSTEM = (
    "Tu es l'assistant des agents de la Commune de Démoville. Tu rédiges en français, "
    "dans un style administratif courtois, clair et précis."
)
USER = (
    "Rédige un courrier de réponse à un usager, M. Bernard Martin, qui demande les horaires "
    "d'ouverture de la mairie et comment prendre rendez-vous pour renouveler sa carte "
    "d'identité. La mairie est ouverte du lundi au vendredi de 8 h 30 à 12 h et de 13 h 30 "
    "à 17 h, et le samedi de 9 h à 12 h. Les rendez-vous se prennent sur le site internet de "
    "la commune ou par téléphone au 01 23 45 67 89 ; il faut apporter l'ancienne carte, une "
    "photo d'identité récente et un justificatif de domicile de moins de trois mois. Rédige "
    "le courrier complet : formule d'appel, corps détaillé et formule de politesse."
)
MESSAGES = [ChatMessage("system", SYSTEM), ChatMessage("user", USER)]
DIRECT = "llama_cpp.Llama direct (main thread)"
PROVIDER = "Civia LocalLlama.stream"
THREADED = "llama_cpp.Llama direct, from a fresh thread"


@dataclass
class Run:
    """One generation, timed from the call to the first and last piece of text."""

    ttft_s: float = 0.0
    total_s: float = 0.0
    last_s: float = 0.0
    chunks: int = 0
    tokens: int = 0
    finish: str = ""
    text: str = ""
    pieces: list[str] = field(default_factory=list, repr=False)

    def piece(self, text: str, elapsed: float) -> None:
        if not self.chunks:
            self.ttft_s = elapsed
        self.chunks += 1
        self.last_s = elapsed
        self.pieces.append(text)

    @property
    def decode_tps(self) -> float:
        """Generation speed after the first token (prompt processing excluded)."""
        span = self.last_s - self.ttft_s
        return (self.tokens - 1) / span if span > 0 else 0.0

    @property
    def overall_tps(self) -> float:
        return self.tokens / self.total_s if self.total_s else 0.0


# --- the two ways of generating ----------------------------------------------------------------


def load(path: Path) -> tuple[Any, float]:
    start = time.perf_counter()
    llm = load_llama(path, n_ctx=N_CTX, n_threads=N_THREADS, n_threads_batch=N_THREADS_BATCH)
    return llm, time.perf_counter() - start


def count_tokens(llm: Any, text: str) -> int:
    return len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))


def run_direct(llm: Any, max_tokens: int) -> Run:
    """llama_cpp.Llama.create_chat_completion, streamed."""
    llm.reset()  # evaluate the whole prompt, as for a new conversation
    run = Run()
    start = time.perf_counter()
    stream = llm.create_chat_completion(
        messages=[{"role": m.role, "content": m.content} for m in MESSAGES],
        max_tokens=max_tokens,
        temperature=0.0,
        stream=True,
    )
    for part in stream:
        choice = part["choices"][0]
        text = choice.get("delta", {}).get("content") or ""
        if text:
            run.piece(text, time.perf_counter() - start)
        run.finish = choice.get("finish_reason") or run.finish
    run.total_s = time.perf_counter() - start
    return finish_run(llm, run)


async def _provider_stream(provider: LocalLlama, max_tokens: int) -> Run:
    request = ChatRequest(messages=list(MESSAGES), max_tokens=max_tokens, temperature=0.0)
    run = Run()
    start = time.perf_counter()
    async for chunk in provider.stream(request):
        if chunk.text:
            run.piece(chunk.text, time.perf_counter() - start)
        if chunk.finish_reason:
            run.finish = chunk.finish_reason
    run.total_s = time.perf_counter() - start
    return run


def run_provider(llm: Any, provider: LocalLlama, max_tokens: int) -> Run:
    """Civia's LocalLlama.stream (worker thread + asyncio queue) over the same model."""
    llm.reset()
    return finish_run(llm, asyncio.run(_provider_stream(provider, max_tokens)))


def finish_run(llm: Any, run: Run) -> Run:
    run.text = "".join(run.pieces)
    run.tokens = count_tokens(llm, run.text)
    return run


def civia_provider(path: Path) -> LocalLlama:
    settings = Settings(
        local_model_path=path,
        local_model_ctx=N_CTX,
        local_model_threads=N_THREADS,
        local_model_threads_batch=N_THREADS_BATCH,
    )
    return LocalLlama("bench", settings)


def run_in_fresh_thread(llm: Any, max_tokens: int) -> Run:
    """run_direct from a new thread, as the provider does, but without the provider."""
    box: list[Run] = []
    worker = threading.Thread(target=lambda: box.append(run_direct(llm, max_tokens)))
    worker.start()
    worker.join()
    return box[0]


def rotate(runs: int, paths: dict[str, Callable[[], Run]]) -> dict[str, list[Run]]:
    """`runs` runs of every path, the order rotated each time so load changes hit all alike."""
    out: dict[str, list[Run]] = {name: [] for name in paths}
    names = list(paths)
    for i in range(runs):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            out[name].append(paths[name]())
        print(
            f"run {i + 1}/{runs}: "
            + ", ".join(f"{name} {r[-1].total_s:.2f}s" for name, r in out.items())
        )
    return out


# --- report ----------------------------------------------------------------------------------


def summary_row(label: str, runs: Iterable[Run]) -> list[str]:
    runs = list(runs)
    tokens = sorted({r.tokens for r in runs})
    finishes = sorted({r.finish for r in runs})
    return [
        label,
        str(len(runs)),
        "/".join(map(str, tokens)),
        ",".join(finishes),
        f"{p50([r.ttft_s for r in runs]) * 1000:.0f} ({min(r.ttft_s for r in runs) * 1000:.0f})",
        f"{p50([r.decode_tps for r in runs]):.1f} ({max(r.decode_tps for r in runs):.1f})",
        f"{p50([r.overall_tps for r in runs]):.1f} ({max(r.overall_tps for r in runs):.1f})",
        f"{p50([r.total_s for r in runs]):.2f} ({min(r.total_s for r in runs):.2f})",
    ]


def report(
    machine: Machine,
    *,
    path: Path,
    load_s: float,
    rss_loaded: float,
    warmup: Run,
    results: dict[str, list[Run]],
    max_tokens: int,
    prompt_tokens: int,
) -> str:
    header = [
        "path",
        "runs",
        "completion tokens",
        "finish",
        "TTFT p50 (best) ms",
        "generation tok/s p50 (best)",
        "overall tok/s p50 (best)",
        "total p50 (best) s",
    ]
    direct, provider, threaded = results[DIRECT], results[PROVIDER], results[THREADED]
    rows = [summary_row("first run after load (warm-up, not in p50)", [warmup])]
    rows += [summary_row(name, runs) for name, runs in results.items()]
    same = all(r.text == direct[0].text for runs in results.values() for r in runs)
    d_ttft, p_ttft = p50([r.ttft_s for r in direct]), p50([r.ttft_s for r in provider])
    d_tot, p_tot = p50([r.total_s for r in direct]), p50([r.total_s for r in provider])
    d_tps = p50([r.decode_tps for r in direct])
    best_tps = max(r.decode_tps for r in [*direct, *provider])
    best_ttft = min(r.ttft_s for r in [*direct, *provider])
    spread = max(r.total_s for r in direct) - min(r.total_s for r in direct)
    noise = (
        "within the run-to-run spread"
        if abs(p_tot - d_tot) <= spread
        else "more than the run-to-run spread"
    )
    return "\n".join(
        [
            "## Local model: load, time to first token, generation speed "
            "(`bench/bench_local_model.py`)",
            "",
            machine.markdown(),
            f"- Model: `{MODEL_ID}` ({path.stat().st_size / 1e9:.2f} GB GGUF), llama-cpp-python "
            f"{_llama_version()}, n_threads={N_THREADS}, n_threads_batch={N_THREADS_BATCH}, "
            f"n_ctx={N_CTX}",
            f"- Prompt: a French letter to a citizen about the town hall's opening hours "
            f"({prompt_tokens} prompt tokens with the chat template), max_tokens={max_tokens}, "
            "temperature 0; the context is reset before each run so the whole prompt is "
            "evaluated every time. Tokens counted by re-tokenising the generated text.",
            "",
            table(
                ["measure", "value"],
                [
                    ["load time (load_llama)", f"{load_s:.2f} s"],
                    ["RSS after load", f"{rss_loaded:.0f} MiB"],
                    ["peak RSS of the process (VmHWM)", f"{peak_rss_mb():.0f} MiB"],
                ],
            ),
            "",
            table(header, rows),
            "",
            f"Generation runs at about {d_tps:.0f} tokens/s (p50; best run {best_tps:.0f}) on "
            f"one thread once the prompt is processed; the first token arrives after "
            f"{d_ttft * 1000:.0f} ms (p50; best run {best_ttft * 1000:.0f} ms), almost all of it "
            f"the evaluation of the {prompt_tokens}-token prompt on 2 threads. The best run is "
            "the one least disturbed by other processes. Civia's provider wrapper "
            f"changes the time to first token by {(p_ttft - d_ttft) * 1000:+.0f} ms and the "
            f"total by {(p_tot - d_tot) * 1000:+.0f} ms (p50), {noise} of the direct runs "
            f"({spread * 1000:.0f} ms); "
            f"all runs produced {'identical' if same else 'DIFFERENT'} text."
            + thread_note(direct, provider, threaded),
        ]
    )


def thread_note(direct: list[Run], provider: list[Run], threaded: list[Run]) -> str:
    """The provider generates in a fresh thread: compare with direct calls made the same way."""
    t_ttft, p_ttft = p50([r.ttft_s for r in threaded]), p50([r.ttft_s for r in provider])
    t_tot, p_tot = p50([r.total_s for r in threaded]), p50([r.total_s for r in provider])
    return (
        " The provider generates in a fresh worker thread; direct calls made from a fresh "
        f"thread too give a time to first token of {t_ttft * 1000:.0f} ms and a total of "
        f"{t_tot:.2f} s (p50), so the wrapper itself changes them by "
        f"{(p_ttft - t_ttft) * 1000:+.0f} ms and {(p_tot - t_tot) * 1000:+.0f} ms."
        + (
            " Calls from the main thread were the slow ones here: on a loaded machine, "
            "llama.cpp's 2-thread prompt evaluation is slower from the process's main thread."
            if t_ttft < 0.8 * p50([r.ttft_s for r in direct])
            else ""
        )
    )


def _llama_version() -> str:
    import llama_cpp

    return str(llama_cpp.__version__)


def prompt_token_count(llm: Any) -> int:
    """Prompt tokens as llama.cpp evaluates them: run one token and read the usage."""
    llm.reset()
    out = llm.create_chat_completion(
        messages=[{"role": m.role, "content": m.content} for m in MESSAGES],
        max_tokens=1,
        temperature=0.0,
    )
    return int(out["usage"]["prompt_tokens"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=200)
    args = parser.parse_args()

    machine = Machine()
    path = ensure_gguf()
    llm, load_s = load(path)
    rss_loaded = rss_mb()
    print(f"loaded {path.name} in {load_s:.2f}s, RSS {rss_loaded:.0f} MiB")
    warmup = run_direct(llm, args.max_tokens)
    print(f"warm-up: {warmup.tokens} tokens, {warmup.total_s:.2f}s, finish={warmup.finish}")
    provider = civia_provider(path)
    assert provider.llama() is llm, "the provider should share the loaded model"
    results = rotate(
        args.runs,
        {
            DIRECT: lambda: run_direct(llm, args.max_tokens),
            PROVIDER: lambda: run_provider(llm, provider, args.max_tokens),
            THREADED: lambda: run_in_fresh_thread(llm, args.max_tokens),
        },
    )
    prompt_tokens = prompt_token_count(llm)
    machine.finish()
    markdown = report(
        machine,
        path=path,
        load_s=load_s,
        rss_loaded=rss_loaded,
        warmup=warmup,
        results=results,
        max_tokens=args.max_tokens,
        prompt_tokens=prompt_tokens,
    )
    write_results("local_model", markdown)
    print("\n--- generated text (last direct run) ---\n" + results[DIRECT][-1].text)


if __name__ == "__main__":
    main()
