"""What each ranker returns: a chunk, its score and what fusion needs to know about it."""

from __future__ import annotations

from typing import NamedTuple


class Match(NamedTuple):
    chunk_id: int
    score: float  # higher is better; only comparable within one ranker's list
    document_id: int
    has_vector: bool = True
