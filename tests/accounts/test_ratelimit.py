"""Failed-login limits, in memory and on Redis (shared by several app replicas)."""

import os
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


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_blocks_after_limit_per_account_and_ip(backend: str) -> None:
    if backend == "redis" and not _redis_ok():
        pytest.skip("Redis not reachable")
    url = REDIS_URL if backend == "redis" else ""
    login, ip = f"user-{uuid.uuid4().hex}", f"10.0.0.{uuid.uuid4().int % 250}"
    limiter = LoginLimiter(Settings(redis_url=url, login_rate_limit="3/minute"))
    for _ in range(3):
        assert not limiter.blocked(login, ip)
        limiter.failed(login, ip)
    assert limiter.blocked(login, ip)
    assert limiter.blocked(login, "192.0.2.1")  # same account, other IP
    assert limiter.blocked("someone-else", ip)  # same IP, other account
    assert not limiter.blocked("someone-else", "192.0.2.1")


def test_replicas_share_limits_through_redis() -> None:
    if not _redis_ok():
        pytest.skip("Redis not reachable")
    login = f"user-{uuid.uuid4().hex}"
    one = LoginLimiter(Settings(redis_url=REDIS_URL, login_rate_limit="2/minute"))
    two = LoginLimiter(Settings(redis_url=REDIS_URL, login_rate_limit="2/minute"))
    one.failed(login, "192.0.2.7")
    two.failed(login, "192.0.2.8")
    assert one.blocked(login, "192.0.2.9") and two.blocked(login, "192.0.2.9")
