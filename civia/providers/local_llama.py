"""The embedded local model: llama-cpp-python over the bundled GGUF.

The model is loaded once per process and shared. llama.cpp contexts are not re-entrant, so
generations take turns in a fair queue (`fair_queue.FairQueue`): concurrent requests wait,
users served in turn, and a waiting request streams `ChatChunk(queued=n)` with its position.
Generation runs in a worker thread that hands chunks to the event loop; cancelling the
consumer sets a flag the worker checks between tokens, so "stop" frees the model at once.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from civia.providers.base import ChatChunk, ChatMessage, ChatRequest, ProviderError
from civia.providers.fair_queue import FairQueue, Ticket
from civia.providers.model_files import MODEL_ID, ensure_gguf
from civia.providers.registry import ProviderConfig
from civia.settings import Settings

KIND = "local_llama"
_models: dict[tuple[str, int, int, int], Any] = {}
_load_lock = threading.Lock()
# One generation at a time per process, users served in turn.
GENERATIONS = FairQueue()


def load_llama(path: Path, *, n_ctx: int, n_threads: int, n_threads_batch: int) -> Any:
    """Load (once per process) and return a llama_cpp.Llama."""
    key = (str(path), n_ctx, n_threads, n_threads_batch)
    with _load_lock:
        if key not in _models:
            from llama_cpp import Llama

            if not _models:
                atexit.register(_close_all)

            _models[key] = Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads_batch,
                verbose=False,
            )
        return _models[key]


def _close_all() -> None:
    """Free models before interpreter teardown (llama.cpp's __del__ fails once modules are gone)."""
    for model in _models.values():
        model.close()
    _models.clear()


class LocalLlama:
    """ChatModel over the bundled GGUF (or CIVIA_LOCAL_MODEL_PATH)."""

    def __init__(self, name: str, settings: Settings) -> None:
        self.name = name
        self.settings = settings
        self.model_id = (
            MODEL_ID if settings.local_model_path is None else settings.local_model_path.stem
        )

    def model_path(self) -> Path:
        return self.settings.local_model_path or ensure_gguf()

    def llama(self) -> Any:
        s = self.settings
        return load_llama(
            self.model_path(),
            n_ctx=s.local_model_ctx,
            n_threads=s.local_model_threads,
            n_threads_batch=s.local_model_threads_batch,
        )

    def list_models(self) -> list[str]:
        return [self.model_id]

    @property
    def context_window(self) -> int:
        return self.settings.local_model_ctx

    def count_tokens(self, messages: list[ChatMessage]) -> int:
        """Prompt tokens of `messages` as the chat template lays them out (a few tokens of
        markup per message), so callers can refuse what would not fit before generating."""
        llm = self.llama()
        total = 3  # the assistant turn's opening
        for message in messages:
            total += len(llm.tokenize(message.content.encode("utf-8"), add_bos=False)) + 5
        return total

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[ChatChunk | BaseException | None] = asyncio.Queue()
        cancelled = threading.Event()
        ticket = GENERATIONS.enter(request.user)

        def put(item: ChatChunk | BaseException | None) -> None:
            # The consumer may be gone (stopped, disconnected) and its loop closed: drop quietly.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(queue.put_nowait, item)

        worker = threading.Thread(
            target=self._generate, args=(request, put, cancelled, ticket), daemon=True
        )
        worker.start()
        try:
            while True:
                item = await queue.get()
                if item is None:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            cancelled.set()
            GENERATIONS.cancel(ticket)  # a request still waiting leaves the line at once

    def _generate(
        self,
        request: ChatRequest,
        put: Callable[[ChatChunk | BaseException | None], None],
        cancelled: threading.Event,
        ticket: Ticket,
    ) -> None:
        # Wait for the model (announcing the position), then hold it until `finally`.
        if not GENERATIONS.wait(ticket, lambda n: put(ChatChunk(queued=n))):
            put(None)  # left the line (stopped, client gone)
            return
        try:
            if cancelled.is_set():
                return
            llm = self.llama()
            kwargs: dict[str, Any] = {
                "messages": [{"role": m.role, "content": m.content} for m in request.messages],
                "max_tokens": request.max_tokens,
                "temperature": request.temperature,
                "stream": True,
            }
            if request.stop:
                kwargs["stop"] = request.stop
            if request.top_p is not None:
                kwargs["top_p"] = request.top_p
            if request.seed is not None:
                kwargs["seed"] = request.seed
            for name in ("repeat_penalty", "frequency_penalty", "presence_penalty"):
                if getattr(request, name) is not None:
                    kwargs[name] = getattr(request, name)
            if request.json_schema is not None:
                kwargs["response_format"] = {"type": "json_object", "schema": request.json_schema}
            completion = 0
            finish: str | None = None
            stream = llm.create_chat_completion(**kwargs)
            try:
                for part in stream:
                    if cancelled.is_set():
                        finish = "stop_requested"
                        break
                    choice = part["choices"][0]
                    text = choice.get("delta", {}).get("content") or ""
                    if text:
                        completion += 1
                        put(ChatChunk(text=text))
                    finish = choice.get("finish_reason") or finish
            finally:
                with contextlib.suppress(Exception):
                    stream.close()
            prompt = max(int(llm.n_tokens) - completion, 0)
            GENERATIONS.release(ticket)  # the next in line may start while this one reports
            put(
                ChatChunk(
                    finish_reason=finish or "stop",
                    usage={"prompt_tokens": prompt, "completion_tokens": completion},
                )
            )
        except ProviderError as exc:
            put(exc)
        except Exception as exc:
            put(ProviderError(f"local model failed: {exc!r}"))
        finally:
            GENERATIONS.release(ticket)
            put(None)


def register_provider_kinds(register: Callable[..., None]) -> None:
    register(
        KIND,
        lambda config, settings: LocalLlama(config.name, settings),
        capability="chat",
        label="Modèle local embarqué (llama.cpp)",
        in_process=True,
    )


def config(name: str = "Modèle local (démo)") -> ProviderConfig:
    return ProviderConfig(id=None, name=name, kind=KIND)


def check_local_model(settings: Settings) -> Path:
    """Fail fast at start-up, naming the missing package, instead of on the first message."""
    import importlib.util

    if importlib.util.find_spec("llama_cpp") is None:
        raise RuntimeError(
            "llama-cpp-python is not installed: run `make install` "
            "(it builds llama-cpp-python==0.3.36 once and caches the wheel)."
        )
    return settings.local_model_path or ensure_gguf()
