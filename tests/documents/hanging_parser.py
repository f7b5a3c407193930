"""A parser that never returns, for the ingestion time-limit test (imported by the child)."""

from __future__ import annotations

import time
from typing import Any


def extract(data: bytes, filename: str, **_: Any) -> None:
    while True:  # a parser caught in a loop on a hostile file
        time.sleep(0.05)


def crash(data: bytes, filename: str, **_: Any) -> None:
    import os

    os._exit(3)  # a parser killed by a C library (segfault, out of memory)
