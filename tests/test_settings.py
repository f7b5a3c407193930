from pathlib import Path

import pytest
from pydantic import ValidationError

from civia.settings import DEMO_SECRET, Mode, Settings


def test_demo_mode_accepts_demo_secret() -> None:
    assert Settings(mode=Mode.DEMO).secret_key == DEMO_SECRET


@pytest.mark.parametrize("secret", [DEMO_SECRET, "short"])
def test_production_refuses_default_or_weak_secret(secret: str) -> None:
    with pytest.raises(ValidationError, match="CIVIA_SECRET_KEY"):
        Settings(mode=Mode.PRODUCTION, secret_key=secret)


def test_production_secure_cookies_by_default() -> None:
    s = Settings(mode=Mode.PRODUCTION, secret_key="x" * 40)
    assert s.secure_cookies is True
    assert Settings(mode=Mode.DEMO).secure_cookies is False


def test_secret_from_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret"
    secret.write_text("y" * 40 + "\n")
    monkeypatch.setenv("CIVIA_SECRET_KEY_FILE", str(secret))
    monkeypatch.setenv("CIVIA_MODE", "production")
    assert Settings().secret_key == "y" * 40


def test_redis_url_from_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Redis password stays out of the environment file, as the database's does."""
    url = tmp_path / "redis_url"
    url.write_text("redis://:mot-de-passe@redis.interne:6379/0\n")
    monkeypatch.setenv("CIVIA_REDIS_URL_FILE", str(url))
    assert Settings().redis_url == "redis://:mot-de-passe@redis.interne:6379/0"


def test_invalid_rate_limit_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(login_rate_limit="many per day")


def test_default_database_is_sqlite_in_data_dir(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).db_url == f"sqlite:///{tmp_path / 'civia.db'}"


def test_job_queues_are_parsed_and_checked() -> None:
    assert Settings(job_queues="ingestion=2, transcription=1").queues == {
        "ingestion": 2,
        "transcription": 1,
    }
    with pytest.raises(ValidationError, match="name=threads"):
        Settings(job_queues="ingestion:2")
