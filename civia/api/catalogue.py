"""The collectivité's embedding and speech models as the API names them (/v1/models, and the
provider recorded with each /v1/embeddings or /v1/audio/transcriptions call)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from civia.providers import store
from civia.providers.base import ProviderError
from civia.providers.resolve import embedder_for, transcriber_for
from civia.settings import Settings


def provider_name(db: Session, tenant_id: int, capability: str) -> str:
    row = store.default_for(db, tenant_id, capability)
    return row.name if row is not None else "embarqué"


def models_of(db: Session, tenant_id: int, settings: Settings) -> list[dict[str, Any]]:
    """The embedding and speech models a collectivité's tokens may call."""
    out = []
    for capability, build in (("embeddings", embedder_for), ("transcription", transcriber_for)):
        try:
            name = build(db, tenant_id, settings).name
        except (ProviderError, ValueError):
            continue  # a misconfigured provider: its calls say why
        owner = provider_name(db, tenant_id, capability)
        out.append({"id": name, "object": "model", "created": 0, "owned_by": owner})
    return out
