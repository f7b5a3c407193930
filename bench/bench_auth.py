"""Costs and outcomes of the security guards (issue 11), on a temporary SQLite Civia in-process.

- the comité's guard the gateway runs before every model call (one DB read; p50 over N calls);
- a refused request body: a declared 4 GB login form, and a 3 MB chunked one (p50);
- the API rate limit: how many calls a token gets in a burst, and the cost of the refusal;
- the login lock-out: an attacker failing from 10 addresses, then the owner from a fresh one,
  and how many audit entries the throttled tries wrote.
No model is loaded (the guard runs before any provider call). Writes bench/results/auth.md.
Usage: python bench/bench_auth.py [--runs 200]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Machine, p50, table, write_results

sys.path.insert(0, str(ROOT))

NOTE = (
    "The guard costs one indexed read per model call, negligible next to a generation "
    "(seconds). A fresh address is never held by the per-account limit: after the account "
    "passed 30 failures, each new attacker address still gets one guess (the price of never "
    "locking the owner out), and is then held for the hour."
)
PASSWORD = "bench-password-1"  # noqa: S105 - a throw-away bench account


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    from fastapi.testclient import TestClient
    from sqlalchemy import func, select

    from civia.accounts import api_tokens
    from civia.accounts.models import Tenant, User
    from civia.accounts.passwords import hash_password
    from civia.app import create_app
    from civia.audit.models import AuditEntry
    from civia.chat.gateway import CallContext
    from civia.plugins.tables import metadata

    metadata()  # all tables
    from civia.db.base import Base
    from civia.db.engine import make_engine, make_sessionmaker, session_scope
    from civia.governance import charter
    from civia.providers.models import HostingClass, Provider
    from civia.settings import Settings

    machine = Machine()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        settings = Settings(
            data_dir=Path(tmp), database_url=url, retention_sweep_hours=0, jobs_in_process=False,
            local_model_enabled=False,
        )  # fmt: skip
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        with session_scope(make_sessionmaker(engine)) as db:
            tenant = Tenant(slug="bench", name="Commune de Bench")
            db.add(tenant)
            db.flush()
            user = User(login="agent", display_name="Agent", role="agent", tenant_id=tenant.id,
                        password_hash=hash_password(PASSWORD))  # fmt: skip
            db.add(user)
            db.add(Provider(tenant_id=tenant.id, name="local", kind="local_llama",
                            hosting_class=HostingClass.LOCAL.value, models=["m"]))  # fmt: skip
            db.flush()
            charter.accept(db, user, version=1)
            token = api_tokens.create(db, user=user, name="bench")[0]
            user_id, tenant_id = user.id, tenant.id
        engine.dispose()
        client = TestClient(create_app(settings))
        gateway = client.app.state.gateway  # type: ignore[attr-defined]
        ctx = CallContext(tenant_id=tenant_id, user_id=user_id, service_id=None, source="api")
        guard_ms = []
        for _ in range(args.runs):
            started = time.perf_counter()
            gateway._allow(ctx)
            guard_ms.append((time.perf_counter() - started) * 1000)

        form = {"Content-Type": "application/x-www-form-urlencoded"}
        declared_ms, chunked_ms = [], []
        for _ in range(max(args.runs // 10, 5)):
            started = time.perf_counter()
            resp = client.post("/connexion", content=b"login=a", headers={
                **form, "Content-Length": str(4 * 1024**3)})  # fmt: skip
            declared_ms.append((time.perf_counter() - started) * 1000)
            assert resp.status_code == 413
            body = iter([b"login=a&password="] + [b"x" * 100_000] * 30)
            started = time.perf_counter()
            resp = client.post("/connexion", content=body, headers=form)
            chunked_ms.append((time.perf_counter() - started) * 1000)
            assert resp.status_code == 413

        auth = {"Authorization": f"Bearer {token}"}
        granted, refused_ms, retry_after = 0, [], ""
        for _ in range(150):
            started = time.perf_counter()
            resp = client.get("/v1/models", headers=auth)
            if resp.status_code == 200:
                granted += 1
            else:
                refused_ms.append((time.perf_counter() - started) * 1000)
                retry_after = resp.headers.get("retry-after", "")

        def attempt(http: TestClient, password: str) -> int:
            page = http.get("/connexion").text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
            assert csrf
            data = {"login": "agent", "password": password, "csrf_token": csrf.group(1)}
            return http.post("/connexion", data=data, follow_redirects=False).status_code

        statuses: dict[int, int] = {}
        for n in range(10):
            attacker = TestClient(client.app, client=(f"198.51.100.{n}", 40000))
            for _ in range(5):
                status = attempt(attacker, "mauvais-mot-de-passe")
                statuses[status] = statuses.get(status, 0) + 1
        attacker_right = attempt(TestClient(client.app, client=("198.51.100.0", 40000)), PASSWORD)
        owner = attempt(TestClient(client.app, client=("192.0.2.10", 40000)), PASSWORD)
        with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
            audited = dict(
                db.execute(
                    select(AuditEntry.action, func.count()).group_by(AuditEntry.action)
                ).all()
            )
        client.app.state.engine.dispose()  # type: ignore[attr-defined]
    machine.finish()
    lines = [
        "## Security guards (`bench/bench_auth.py`)",
        "",
        machine.markdown(),
        "",
        "In-process (TestClient), SQLite, default settings (`CIVIA_MAX_BODY_MB`=2, "
        "`CIVIA_API_RATE_LIMIT`=120/minute, `CIVIA_LOGIN_RATE_LIMIT`=5/minute, "
        "`CIVIA_LOGIN_ACCOUNT_RATE_LIMIT`=30/hour, memory counters).",
        "",
        table(
            ["measure", "value"],
            [
                [
                    f"comité guard before a model call, p50 of {args.runs}",
                    f"{p50(guard_ms):.2f} ms",
                ],
                ["login form declaring 4 GB → 413, p50", f"{p50(declared_ms):.1f} ms"],
                ["login form of 3 MB, chunked → 413, p50", f"{p50(chunked_ms):.1f} ms"],
                ["API calls granted to one token in a burst of 150", str(granted)],
                [
                    "refused API call (429), p50; Retry-After",
                    f"{p50(refused_ms):.1f} ms; {retry_after} s",
                ],
                [
                    "attacker: 50 wrong passwords from 10 addresses",
                    ", ".join(f"{count}× {status}" for status, count in sorted(statuses.items())),
                ],
                ["attacker's address, right password afterwards", str(attacker_right)],
                ["owner from a fresh address, right password", str(owner)],
                [
                    "audit entries: login.failure / login.throttled",
                    f"{audited.get('login.failure', 0)} / {audited.get('login.throttled', 0)}",
                ],
            ],
        ),
        "",
        NOTE,
    ]
    write_results("security", "\n".join(lines))


if __name__ == "__main__":
    main()
