"""`civia serve` believes X-Forwarded-For only from the proxies the operator declared
(CIVIA_TRUSTED_PROXIES): the address failed logins are counted under cannot be picked by the
client."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import httpx
import pytest
import uvicorn
from click.testing import CliRunner
from fastapi.testclient import TestClient

from civia.cli import main
from civia.cli.serve import uvicorn_options


def _login_ip_seen(client: TestClient, trusted: str, caplog: pytest.LogCaptureFixture) -> str:
    settings = client.app.state.settings.model_copy(update={"trusted_proxies": trusted})  # type: ignore[attr-defined]
    config = uvicorn.Config(client.app, **uvicorn_options(settings))
    config.load()
    transport = httpx.ASGITransport(app=config.loaded_app, client=("127.0.0.1", 40000))

    async def attempt() -> None:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            page = await http.get("/connexion")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token
            data = {"login": "nobody", "password": "x", "csrf_token": token.group(1)}
            spoof = {"X-Forwarded-For": "203.0.113.9"}
            assert (await http.post("/connexion", data=data, headers=spoof)).status_code == 401

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="civia.accounts"):
        asyncio.run(attempt())
    found = re.search(r"login failed user_id=None ip=(\S+)", caplog.text)
    assert found
    return found.group(1)


def test_forwarded_addresses_only_from_declared_proxies(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    assert _login_ip_seen(client, "", caplog) == "127.0.0.1"  # not declared: the peer
    assert _login_ip_seen(client, "127.0.0.1", caplog) == "203.0.113.9"
    assert _login_ip_seen(client, "10.0.0.1", caplog) == "127.0.0.1"  # another proxy declared


def test_options_given_to_uvicorn(client: TestClient) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    assert uvicorn_options(settings)["proxy_headers"] is False
    declared = settings.model_copy(update={"trusted_proxies": "10.0.0.1, 10.0.0.2"})
    options = uvicorn_options(declared)
    assert (
        options["proxy_headers"] is True and options["forwarded_allow_ips"] == "10.0.0.1, 10.0.0.2"
    )


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_missing_metrics_folder_stops_the_start_with_its_name(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the folder, the first counter written (the first request's) would raise."""
    missing = tmp_path / "metrics"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(missing))
    monkeypatch.setenv("CIVIA_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, [command])
    assert result.exit_code == 1
    assert f"PROMETHEUS_MULTIPROC_DIR={missing} is not a directory" in result.output
