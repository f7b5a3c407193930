"""A real Civia server (uvicorn, demo data, the local model) driven by Debian chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port

CHROMIUM = os.environ.get("CIVIA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip


@pytest.fixture(scope="module")
def civia_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served Civia's data folder (its SQLite database is `civia.db` there)."""
    return tmp_path_factory.mktemp("civia")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the demo loaded once for the session (about 10 s a load), copied for
    each test module (`demo load` reads no setting but the mode and the data folder)."""
    template = tmp_path_factory.mktemp("demo-template")
    env = {**os.environ, "CIVIA_DATA_DIR": str(template), "CIVIA_MODE": "demo"}
    env.pop("CIVIA_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "civia.cli", "demo", "load"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    return template


@pytest.fixture(scope="module")
def civia_server(request: pytest.FixtureRequest, civia_data: Path) -> Iterator[str]:
    data = civia_data
    env = {
        **os.environ,
        "CIVIA_DATA_DIR": str(data),
        "CIVIA_MAX_TOKENS": "24",
        "CIVIA_MODE": "demo",
        **getattr(request.module, "SERVER_ENV", {}),  # a test module's own settings
    }
    env.pop("CIVIA_DATABASE_URL", None)
    civia = [sys.executable, "-m", "civia.cli"]
    if not (data / "civia.db").exists():  # a module may have loaded it (and changed it) itself
        shutil.copytree(request.getfixturevalue("demo_template"), data, dirs_exist_ok=True)
    port = free_port()
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen([*civia, "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if proc.poll() is not None:
                raise RuntimeError(
                    f"civia serve exited: {(data / 'server.log').read_text()[-2000:]}"
                )
            try:
                httpx.get(f"{base}/sante", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Module-scoped: Playwright's sync API holds an event loop that asyncio tests elsewhere
    in the session must not inherit."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is required in CI")
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="fr-FR")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()
