"""What `/readyz` checks: the database, Redis when configured, the job queue, and the default
model of each collectivité. Each check answers (ok, French detail); the detail is shown only to
the operator. Model servers are asked at most every `MODEL_CACHE_S` per process."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from civia.jobs.models import Job, JobStatus
from civia.providers import registry, secrets
from civia.providers.model_files import GGUF_NAME, default_cache_dir
from civia.providers.models import Provider
from civia.settings import Settings

MODEL_TIMEOUT_S = 3.0
MODEL_CACHE_S = 30.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def database(sessions: sessionmaker[Session]) -> Check:
    try:
        with sessions() as db:
            db.execute(text("SELECT 1"))
    except Exception as exc:
        return Check("database", False, f"base de données injoignable ({type(exc).__name__})")
    return Check("database", True, "base de données joignable")


def redis(settings: Settings) -> Check | None:
    if not settings.redis_url:
        return None
    import redis as redis_lib

    try:
        client = redis_lib.Redis.from_url(
            settings.redis_url, socket_timeout=2, socket_connect_timeout=2
        )
        client.ping()
        client.close()
    except Exception as exc:
        return Check("redis", False, f"Redis injoignable ({type(exc).__name__})")
    return Check("redis", True, "Redis joignable")


def job_queue(sessions: sessionmaker[Session]) -> Check:
    try:
        with sessions() as db:
            waiting = db.scalar(
                select(func.count(Job.id)).where(Job.status == JobStatus.QUEUED.value)
            )
    except Exception as exc:
        return Check("queue", False, f"file des traitements illisible ({type(exc).__name__})")
    return Check("queue", True, f"file des traitements lisible ({waiting or 0} en attente)")


_model_cache: dict[str, tuple[float, Check]] = {}
_model_lock = threading.Lock()


def _ask_server(settings: Settings, base_url: str) -> Check:
    """Any HTTP answer below 500 from `<base_url>/models` means the server is up (a 401
    without the key included: keys stay with the gateway). The address is checked as for a
    model call first: an anonymous `/readyz` never makes the server reach a metadata or
    link-local address a collectivité's admin typed."""
    try:
        secrets.check_base_url(settings, base_url, resolve=True)
    except secrets.KeySourceRefused:
        return Check("model", False, "serveur de modèles : adresse refusée")
    with _model_lock:
        cached = _model_cache.get(base_url)
        if cached and time.monotonic() - cached[0] < MODEL_CACHE_S:
            return cached[1]
    try:
        status = httpx.get(base_url.rstrip("/") + "/models", timeout=MODEL_TIMEOUT_S).status_code
        found = Check("model", status < 500, f"serveur de modèles : HTTP {status}")
    except httpx.HTTPError as exc:
        found = Check("model", False, f"serveur de modèles injoignable ({type(exc).__name__})")
    with _model_lock:
        _model_cache[base_url] = (time.monotonic(), found)
    return found


def _embedded(settings: Settings) -> Check:
    if not settings.local_model_enabled:
        return Check("model", False, "le modèle embarqué est désactivé")
    path = settings.local_model_path or default_cache_dir() / GGUF_NAME
    if not path.is_file():
        return Check("model", False, "fichier du modèle embarqué absent")
    return Check("model", True, "modèle embarqué présent")


def default_models(sessions: sessionmaker[Session], settings: Settings) -> Check:
    """Every collectivité's default chat provider: the embedded model's file is present, an
    OpenAI-compatible server answers. One collectivité's server being down is named in the
    details but does not make the replica unready (a load balancer would take every replica
    out for one collectivité's provider); no default model reachable at all does."""
    try:
        with sessions() as db:
            rows = db.scalars(
                select(Provider).where(
                    Provider.is_default.is_(True),
                    Provider.enabled.is_(True),
                    Provider.capability == "chat",
                )
            ).all()
            targets = sorted({(row.kind, row.base_url) for row in rows})
    except Exception as exc:
        return Check("model", False, f"fournisseurs illisibles ({type(exc).__name__})")
    if not targets:
        return Check("model", False, "aucun modèle par défaut déclaré")
    checks = [
        _embedded(settings) if registry.in_process("chat", kind) else _ask_server(settings, url)
        for kind, url in targets
    ]
    down = [check for check in checks if not check.ok]
    if len(down) == len(targets):
        return down[0]
    reachable = f"{len(targets) - len(down)} modèle(s) par défaut joignable(s)"
    if down:
        return Check("model", True, f"{reachable} ; {'; '.join(c.detail for c in down)}")
    return Check("model", True, reachable)


def run_all(sessions: sessionmaker[Session], settings: Settings) -> list[Check]:
    checks = [database(sessions), redis(settings), job_queue(sessions)]
    checks.append(default_models(sessions, settings))
    return [check for check in checks if check is not None]
