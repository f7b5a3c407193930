"""A search's query embedding is a model call: it lands in the ledger with the user, service,
provider and model, like /v1/embeddings; a failed call too, and the error still reaches the
search."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.db.migrate import upgrade
from civia.providers.base import EmbedKind, ProviderUnavailable
from civia.providers.models import Provider
from civia.usage import rates
from civia.usage.metered import EMBEDDED, metered
from civia.usage.models import LedgerEntry, UsageEvent
from tests.conftest import make_personas


class ServerEmbedder:
    """Stands for an OpenAI-compatible /v1/embeddings server (not run here)."""

    name, dim = "bge-m3", 4

    def __init__(self, fail: bool = False) -> None:
        self.fail, self.seen = fail, []

    def embed(self, texts: list[str], *, kind: EmbedKind) -> np.ndarray:
        self.seen.append((texts, kind))
        if self.fail:
            raise ProviderUnavailable("connection refused")
        return np.ones((len(texts), self.dim), dtype=np.float32) / 2


def test_query_embeddings_are_recorded(sqlite_url: str, password_hash: str) -> None:
    rates.clear()
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    with session_scope(make_sessionmaker(engine)) as db:
        p = make_personas(db, password_hash)
        agent = p["agent"]
        wrapped = metered(db, ServerEmbedder(), agent)
        assert wrapped.provider_name == EMBEDDED and (wrapped.name, wrapped.dim) == ("bge-m3", 4)
        db.add(Provider(tenant_id=agent.tenant_id, name="Serveur vecteurs", kind="openai_embeddings",
                        capability="embeddings", models=["bge-m3"]))  # fmt: skip
        db.commit()  # the calls are recorded in their own transaction
        inner = ServerEmbedder()
        wrapped = metered(db, inner, agent)
        vectors = wrapped.embed(["Quels horaires pour la mairie ?"], kind="query")
        assert vectors.shape == (1, 4) and inner.seen == [(["Quels horaires pour la mairie ?"],
                                                          "query")]  # fmt: skip
        with pytest.raises(ProviderUnavailable):
            metered(db, ServerEmbedder(fail=True), agent).embed(["permis"], kind="query")
        rows = db.execute(
            select(UsageEvent, LedgerEntry)
            .join(LedgerEntry, LedgerEntry.usage_event_id == UsageEvent.id)
            .order_by(UsageEvent.id)
        ).all()
        assert [(e.provider_name, e.model, e.outcome, e.prompt_tokens) for e, _ in rows] == [
            ("Serveur vecteurs", "bge-m3", "ok", 8),  # 31 characters, 4 per token
            ("Serveur vecteurs", "bge-m3", "error", 0),
        ]
        for event, entry in rows:
            assert (event.tenant_id, event.user_id, event.service_id) == (
                agent.tenant_id, agent.id, agent.service_id)  # fmt: skip
            assert entry.kind == "embeddings" and event.extra["use"] == "search"
            assert entry.energy_kwh_max is not None and entry.energy_kwh_max > 0
    engine.dispose()
