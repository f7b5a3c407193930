"""Failed-login limits per account and client address, with a slower limit per account that
never blocks a client which has not failed; in memory and on Redis (shared by replicas)."""

import os
import socket
import uuid

import pytest
import redis

from civia.accounts.ratelimit import LoginLimiter
from civia.settings import Settings

REDIS_URL = os.environ.get("CIVIA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_ok() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI but {REDIS_URL} is unreachable")
        return False


def _limiter(backend: str, **rates: str) -> LoginLimiter:
    if backend == "redis" and not _redis_ok():
        pytest.skip("Redis not reachable")
    url = REDIS_URL if backend == "redis" else ""
    return LoginLimiter(Settings(redis_url=url, **rates))


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_blocks_a_client_that_failed_on_an_account_only(backend: str) -> None:
    limiter = _limiter(backend, login_rate_limit="3/minute")
    login, ip = f"user-{uuid.uuid4().hex}", f"10.0.0.{uuid.uuid4().int % 250}"
    for _ in range(3):
        assert not limiter.blocked(login, ip)
        limiter.failed(login, ip)
    assert limiter.blocked(login, ip)
    assert limiter.blocked(login.upper(), ip)  # the login as normalised
    assert not limiter.blocked(login, "192.0.2.1")  # the owner, elsewhere, still gets in
    assert not limiter.blocked("someone-else", ip)  # nor is a colleague behind the same NAT


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_the_account_limit_stops_clients_that_failed_not_fresh_ones(backend: str) -> None:
    limiter = _limiter(backend, login_rate_limit="5/minute", login_account_rate_limit="4/hour")
    login = f"user-{uuid.uuid4().hex}"
    for ip in ("198.51.100.1", "198.51.100.2"):  # an attacker spreading its tries
        for _ in range(2):
            assert not limiter.blocked(login, ip)
            limiter.failed(login, ip)
    assert limiter.blocked(login, "198.51.100.1") and limiter.blocked(login, "198.51.100.2")
    assert not limiter.blocked(login, "198.51.100.3")  # a client that never failed
    limiter.failed(login, "198.51.100.3")
    assert limiter.blocked(login, "198.51.100.3")  # one failure and it is held too
    assert not limiter.blocked("someone-else", "198.51.100.1")


def test_throttled_tries_are_reported_once_a_minute_per_account() -> None:
    limiter = _limiter("memory")
    assert limiter.report_throttled("admin")
    assert not limiter.report_throttled("ADMIN")
    assert limiter.report_throttled("agent")


def test_replicas_share_limits_through_redis() -> None:
    login = f"user-{uuid.uuid4().hex}"
    one = _limiter("redis", login_account_rate_limit="2/hour")
    two = _limiter("redis", login_account_rate_limit="2/hour")
    one.failed(login, "192.0.2.7")
    two.failed(login, "192.0.2.8")
    assert one.blocked(login, "192.0.2.7") and two.blocked(login, "192.0.2.8")
    assert not one.blocked(login, "192.0.2.9")


def test_limits_hold_in_memory_while_redis_is_unreachable() -> None:
    """Redis restarting (nothing on its port): logins are still counted and refused past the
    limit, in this process's memory, instead of raising (a 500 on every login)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    limiter = LoginLimiter(Settings(redis_url=url, login_rate_limit="2/minute"))
    login, ip = "agent", "10.0.0.9"
    for _ in range(2):
        assert not limiter.blocked(login, ip)
        limiter.failed(login, ip)
    assert limiter.blocked(login, ip)
    assert limiter.report_throttled(login)


def test_an_unreachable_redis_is_left_alone_for_a_while() -> None:
    """Asking an absent Redis again on every call would cost each request its connection
    timeout: after one failure the counters stay in memory for `RETRY_AFTER_S`."""
    from civia.accounts.limiter_storage import RedisOrMemory

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    store = RedisOrMemory(url)
    asked: list[str] = []
    real = store.redis.incr

    def counted(*args: object, **kwargs: object) -> int:
        asked.append("incr")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    store.redis.incr = counted  # type: ignore[method-assign]
    assert [store.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert asked == ["incr"]  # asked once, then memory
    store.away_until = 0.0  # the cool-down over: Redis is asked again
    assert store.incr("k", 60) == 4 and asked == ["incr", "incr"]
