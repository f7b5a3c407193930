"""The demo's synthetic activity: shown on /pilotage as such, never counted with real usage,
loaded once, removed with one command."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from civia import demo
from civia.accounts.models import User
from civia.cli import main
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.db.migrate import upgrade
from civia.settings import get_settings
from civia.steering import dashboard
from civia.steering.demo import load as load_synthetic
from civia.steering.filters import SYNTHETIC_LOGIN_PREFIX, has_synthetic, period
from civia.usage import rates
from civia.usage.models import UsageEvent


def test_demo_activity_is_apart_and_removable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rates.clear()
    url = f"sqlite:///{tmp_path / 'civia.db'}"
    upgrade(url)
    sessions = make_sessionmaker(make_engine(url))
    with session_scope(sessions) as db:
        tenant = demo.load(db)  # adds the synthetic activity
        tenant_id = tenant.id
        assert load_synthetic(db, tenant_id) == 0  # once only
        assert has_synthetic(db, tenant_id)
        now = datetime.now(UTC)
        fake = dashboard.build(db, period(tenant_id, days=90, synthetic=True, now=now))
        real = dashboard.build(db, period(tenant_id, days=90, now=now))
        assert fake.totals["calls"] > 500 and fake.totals["hours_saved"] > 10
        assert fake.totals["active_users_30d"] >= 20 and fake.accounts == 30
        assert real.totals["calls"] == 0 and real.totals["validated_results"] == 0
        assert real.accounts == 6  # the demo's real accounts only
        assert any(s for found in fake.signals.values() for s in found)
    monkeypatch.setenv("CIVIA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CIVIA_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(main, ["steering", "demo-remove"], catch_exceptions=False)
    finally:
        get_settings.cache_clear()
    assert out.exit_code == 0 and "Removed" in out.output
    with session_scope(sessions) as db:
        assert db.scalar(select(func.count(UsageEvent.id))) == 0
        synthetic = select(func.count(User.id)).where(User.login.startswith(SYNTHETIC_LOGIN_PREFIX))
        assert db.scalar(synthetic) == 0
        own = select(func.count(User.id)).where(User.tenant_id == tenant_id)
        assert db.scalar(own) == 6  # the demo's own users stay
        assert not has_synthetic(db, tenant_id)
