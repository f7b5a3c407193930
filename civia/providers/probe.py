"""« Tester la connexion »: ask a provider's server which models it serves, as Civia would call
it (same base-URL check, same key source), and say in French what came back: the models and
the time taken, or why it failed. Nothing is saved; the key is never shown."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import httpx

from civia.providers import registry, secrets
from civia.providers.base import ProviderError
from civia.providers.openai_compat import resolve_api_key
from civia.providers.registry import ProviderConfig
from civia.settings import Settings

TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Probe:
    ok: bool
    message: str  # French, for the admin
    served: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # declared in the form, not served
    latency_ms: int | None = None


def probe(config: ProviderConfig, settings: Settings) -> Probe:
    if registry.in_process(config.capability, config.kind):
        return Probe(
            True,
            "Moteur intégré à Civia : il tourne sur ce serveur, sans connexion réseau à "
            "tester ; rien ne quitte le serveur.",
        )
    try:
        secrets.check_base_url(settings, config.base_url, resolve=True)
        key = resolve_api_key(config, settings)
    except secrets.KeySourceRefused as exc:
        return Probe(False, str(exc))
    except ProviderError as exc:
        return Probe(False, exc.message_fr)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    url = f"{config.base_url.rstrip('/')}/models"
    started = time.perf_counter()
    try:
        with httpx.Client(timeout=TIMEOUT_S) as client:
            resp = client.get(url, headers=headers)
    except httpx.TimeoutException:
        return Probe(False, f"Le serveur n'a pas répondu en {TIMEOUT_S:.0f} secondes ({url}).")
    except httpx.HTTPError as exc:
        return Probe(
            False,
            f"Connexion impossible à {url} : le serveur ne répond pas à cette adresse "
            f"({type(exc).__name__}). Vérifiez l'URL et que le serveur est démarré.",
        )
    latency = round((time.perf_counter() - started) * 1000)
    if resp.status_code in (401, 403):
        return Probe(
            False,
            f"Le serveur refuse l'accès (HTTP {resp.status_code}) : vérifiez la clé "
            "(variable d'environnement ou fichier).",
            latency_ms=latency,
        )
    if resp.status_code == 404:
        return Probe(
            False,
            f"Adresse introuvable (HTTP 404 sur {url}) : l'URL de base se termine-t-elle par /v1 ?",
            latency_ms=latency,
        )
    if resp.status_code >= 400:
        return Probe(False, f"Le serveur a répondu par une erreur HTTP {resp.status_code}.",
                     latency_ms=latency)  # fmt: skip
    try:
        served = [str(m["id"]) for m in resp.json()["data"]]
    except (ValueError, KeyError, TypeError):
        return Probe(
            False,
            "Le serveur répond, mais pas comme un serveur compatible OpenAI : la liste des "
            "modèles (/models) est illisible.",
            latency_ms=latency,
        )
    missing = [m for m in config.models if m not in served]
    message = f"Connexion réussie en {latency} ms. Modèles servis : {', '.join(served) or 'aucun'}."
    if missing:
        message += (
            f" Attention : {', '.join(f'« {m} »' for m in missing)} n'est pas servi par ce "
            "serveur ; corrigez la liste des modèles."
        )
    return Probe(not missing, message, served, missing, latency)
