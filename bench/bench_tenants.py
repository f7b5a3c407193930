"""Shared services figures: quota and monthly budget overshoot under concurrency (memory and
Redis) and the time of a single sign-on login against a real OpenID provider on 127.0.0.1.

    .venv/bin/python bench/bench_tenants.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import httpx
import werkzeug.serving
from limits.storage import MemoryStorage, RedisStorage
from sqlalchemy import select

from civia.accounts.models import Tenant, User
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.plugins.tables import metadata
from civia.settings import Settings
from civia.tenants import sso
from civia.usage import quotas
from civia.usage.models import LedgerEntry, UsageEvent
from civia.usage.quotas import Keeper, QuotaExceeded, Reserve

LIMIT, THREADS, ATTEMPTS = 100, 8, 50  # 400 attempts against 100 requests per minute


def _setup(tmp: Path) -> tuple[Settings, object]:
    settings = Settings(
        data_dir=tmp,
        database_url=f"sqlite:///{tmp / 'b.db'}",
        retention_sweep_hours=0,
        jobs_in_process=False,
    )
    engine = make_engine(settings.db_url)
    metadata().create_all(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        tenant = Tenant(slug="bench", name="Bench")
        db.add(tenant)
        db.flush()
        db.add(User(tenant_id=tenant.id, login="u", display_name="u", password_hash="x"))  # noqa: S106
        db.flush()
        quotas.set_quota(db, tenant=tenant, requests_per_minute=LIMIT)
    return settings, sessions


def overshoot(settings: Settings, sessions, store) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    keepers = [Keeper(settings, store), Keeper(settings, store)]  # two "processes"
    admitted = 0
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        nonlocal admitted
        keeper = keepers[n % 2]
        with session_scope(sessions) as db:
            user = db.scalar(select(User).where(User.login == "u"))
            barrier.wait()
            for _ in range(ATTEMPTS):
                try:
                    keeper.admit(db, user)  # type: ignore[arg-type]
                except QuotaExceeded:
                    continue
                with lock:
                    admitted += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return admitted, elapsed * 1000 / (THREADS * ATTEMPTS)


BUDGET_EUR, RESERVE_EUR, CALLS = 5.0, 0.2, 25  # 8 threads x 25 calls of up to 0.20 €


def budget_overshoot(
    settings: Settings, sessions, store, *, hold: bool
) -> tuple[float, int, float]:  # type: ignore[no-untyped-def]
    """8 threads over two keepers on one store: admit, write the call's ledger row (a random
    cost up to the reserve), release. `hold=False` measures the same without holds (checking
    only what the ledger already holds), to show what the holds prevent."""
    import random

    with session_scope(sessions) as db:
        tenant = db.scalar(select(Tenant))
        assert tenant is not None
        db.query(LedgerEntry).delete()
        db.query(UsageEvent).delete()
        quotas.set_quota(db, tenant=tenant, budget_eur_month=BUDGET_EUR)
        tenant_id = tenant.id
    keepers = [Keeper(settings, store), Keeper(settings, store)]
    admitted, checks = 0, []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)
    reserve = Reserve(int(RESERVE_EUR * 1_000_000) if hold else 0, 0)

    def worker(n: int) -> None:
        nonlocal admitted
        rng, keeper = random.Random(n), keepers[n % 2]
        barrier.wait()
        for i in range(CALLS):
            with session_scope(sessions) as db:
                user = db.scalar(select(User).where(User.login == "u"))
                start = time.perf_counter()
                try:
                    held = keeper.admit(db, user, lambda: reserve)  # type: ignore[arg-type]
                except QuotaExceeded:
                    continue
                finally:
                    with lock:
                        checks.append((time.perf_counter() - start) * 1000)
            time.sleep(0.005)  # the model call
            with session_scope(sessions) as db:
                event = UsageEvent(
                    request_id=f"b{n}-{i}", tenant_id=tenant_id, provider_name="p", model="m",
                    source="web", outcome="ok",
                )  # fmt: skip
                db.add(event)
                db.add(LedgerEntry(event=event, tenant_id=tenant_id,
                                   cost_eur=rng.uniform(0.01, RESERVE_EUR)))  # fmt: skip
            keeper.release(held)
            with lock:
                admitted += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with session_scope(sessions) as db:
        spent = sum(db.scalars(select(LedgerEntry.cost_eur)))
    with session_scope(sessions) as db:  # leave the request-rate bench as it was
        tenant = db.scalar(select(Tenant))
        quotas.set_quota(db, tenant=tenant, requests_per_minute=LIMIT)  # type: ignore[arg-type]
    return spent, admitted, statistics.median(checks)


TPM, TOKEN_CALLS, TOKENS_OUT = 20_000, 25, (100, 400)  # 8 threads x 25 calls of 100-400 tokens
TOKEN_RESERVE = 1_000  # the gateway's upper bound: prompt bytes x 2 + max_tokens


def tokens_overshoot(settings: Settings, sessions, store, *, hold: bool) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """8 threads over two keepers on one store against a limit of tokens per minute: admit,
    a 20 ms "model call", count the call's tokens, release. `hold=False` admits without a
    reserve (tokens counted only after each call, as before in-flight holds)."""
    import random

    while datetime.now(UTC).second > 45:  # the whole run inside one clock minute
        time.sleep(1)
    with session_scope(sessions) as db:
        tenant = db.scalar(select(Tenant))
        assert tenant is not None
        quotas.set_quota(db, tenant=tenant, tokens_per_minute=TPM)
        tenant_id = tenant.id
    keepers = [Keeper(settings, store), Keeper(settings, store)]
    used, admitted = 0, 0
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)
    reserve = Reserve(0, 0, TOKEN_RESERVE if hold else 0)

    def worker(n: int) -> None:
        nonlocal used, admitted
        rng, keeper = random.Random(n), keepers[n % 2]
        barrier.wait()
        for _ in range(TOKEN_CALLS):
            with session_scope(sessions) as db:
                user = db.scalar(select(User).where(User.login == "u"))
                try:
                    held = keeper.admit(db, user, lambda: reserve)  # type: ignore[arg-type]
                except QuotaExceeded:
                    continue
            time.sleep(0.02)  # the model call
            tokens = rng.randint(*TOKENS_OUT)
            keeper.consume(tenant_id=tenant_id, service_id=None, user_id=None, tokens=tokens)
            keeper.release(held)
            with lock:
                used += tokens
                admitted += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with session_scope(sessions) as db:  # leave the request-rate bench as it was
        tenant = db.scalar(select(Tenant))
        quotas.set_quota(db, tenant=tenant, requests_per_minute=LIMIT)  # type: ignore[arg-type]
    return used, admitted


def oidc_login_ms(runs: int = 20) -> list[float]:
    from fastapi.testclient import TestClient
    from oidc_provider_mock import app as mock_app

    from civia.app import create_app

    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    os.environ["BENCH_SSO_SECRET"] = "s"  # noqa: S105
    server = werkzeug.serving.make_server("127.0.0.1", 0, mock_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    issuer = f"http://127.0.0.1:{server.server_port}"
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        settings, sessions = _setup(Path(tmp))
        with session_scope(sessions) as db:  # type: ignore[arg-type]
            tenant = db.scalar(select(Tenant))
            sso.add_provider(
                db,
                name="kc",
                label="KC",
                issuer=issuer,
                client_id="civia",
                client_secret_env="BENCH_SSO_SECRET",  # noqa: S106
                tenant=tenant,
            )
        client = TestClient(create_app(settings))
        for n in range(runs + 1):
            httpx.put(f"{issuer}/users/s{n}", json={"preferred_username": f"agent{n}"})
            start = time.perf_counter()
            leave = client.get("/sso/kc/connexion", follow_redirects=False)
            consent = httpx.post(leave.headers["location"], data={"sub": f"s{n}"})
            back = urlparse(consent.headers["location"])
            done = client.get(f"{back.path}?{back.query}", follow_redirects=False)
            assert done.status_code == 303 and "civia_session" in done.cookies
            if n:  # the first login also fetches discovery and keys
                times.append((time.perf_counter() - start) * 1000)
            client.cookies.clear()
    server.shutdown()
    thread.join()
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings, sessions = _setup(Path(tmp))
        for name, store in (
            ("memory", MemoryStorage()),
            (
                "redis",
                RedisStorage(
                    "redis://127.0.0.1:6379/0", key_prefix=f"civia-bench-{uuid.uuid4().hex[:8]}"
                ),
            ),
        ):
            admitted, per_call = overshoot(settings, sessions, store)
            print(
                f"{name}: {admitted} admitted for a limit of {LIMIT} "
                f"({(admitted - LIMIT) / LIMIT:+.1%}), {per_call:.2f} ms per check"
            )
            for hold in (True, False):
                spent, calls, check_ms = budget_overshoot(settings, sessions, store, hold=hold)
                print(
                    f"{name} budget {'with' if hold else 'WITHOUT'} holds: {spent:.2f} € spent "
                    f"for {BUDGET_EUR:.2f} € ({(spent - BUDGET_EUR) / BUDGET_EUR:+.1%}), "
                    f"{calls} calls, median admit {check_ms:.2f} ms"
                )
            for hold in (True, False):
                store.reset()  # a fresh minute counter for each run
                used, calls = tokens_overshoot(settings, sessions, store, hold=hold)
                print(
                    f"{name} tokens per minute {'with' if hold else 'WITHOUT'} holds: {used} "
                    f"for {TPM} ({(used - TPM) / TPM:+.1%}), {calls} calls"
                )
    times = oidc_login_ms()
    print(
        f"oidc login: median {statistics.median(times):.0f} ms, "
        f"max {max(times):.0f} ms over {len(times)} logins"
    )


if __name__ == "__main__":
    main()
