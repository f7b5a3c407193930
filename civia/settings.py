"""Typed settings, read from CIVIA_* environment variables (or NAME_FILE for secrets)."""

from __future__ import annotations

import os
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_SECRET = "demo-secret-do-not-use-in-production"  # noqa: S105 - refused outside demo mode
# Settings that may also be read from a file named by CIVIA_<NAME>_FILE (secrets).
SECRET_FILES = ("secret_key", "database_url", "redis_url", "audit_key", "metrics_token")


class Mode(StrEnum):
    DEMO = "demo"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CIVIA_", extra="ignore")

    mode: Mode = Field(Mode.DEMO, description="demo (embedded defaults) or production")
    secret_key: str = Field(
        DEMO_SECRET, description="Key for signing tokens; required in production"
    )
    data_dir: Path = Field(Path("var"), description="Where the SQLite database and files live")
    database_url: str = Field("", description="SQLAlchemy URL; default SQLite in data_dir")
    redis_url: str = Field(
        "",
        description=(
            "Redis URL (optional): job queue, rate limits, quotas and stop signals shared by "
            "every process"
        ),
    )
    vector_store: Literal["memory", "pgvector"] = Field(
        "memory",
        description="Where search vectors are searched: memory (each process holds its tenants' "
        "vectors; embedded profile) or pgvector (inside PostgreSQL with the pgvector extension; "
        "at-scale profile)",
    )
    pgvector_ef_search: int = Field(
        200, ge=10, le=1000, description="pgvector HNSW candidates per search (recall vs speed)"
    )
    pgvector_hnsw_m: int = Field(
        16, ge=4, le=64, description="pgvector HNSW links per vector (recall vs build time, size)"
    )
    pgvector_hnsw_ef_construction: int = Field(
        64, ge=16, le=400, description="pgvector HNSW build candidates (recall vs build time)"
    )
    cookie_secure: bool | None = Field(
        None, description="Secure cookies; default True outside demo"
    )
    session_hours: float = Field(8.0, gt=0, description="Idle session lifetime in hours")
    max_message_chars: int = Field(20_000, gt=0, description="Longest message an agent may send")
    login_rate_limit: str = Field(
        "5/minute", description="Failed logins allowed per account and client address"
    )
    login_account_rate_limit: str = Field(
        "30/hour",
        description="Failed logins allowed per account from every address; past it, only "
        "clients that have not failed on the account may still try",
    )
    trusted_proxies: str = Field(
        "",
        description="Addresses of the reverse proxies whose X-Forwarded-For is believed "
        "(comma-separated, given to uvicorn's forwarded_allow_ips); empty: none",
    )
    api_rate_limit: str = Field(
        "120/minute", description="Requests allowed per API token (e.g. 120/minute)"
    )
    api_token_days: int = Field(
        365, ge=1, le=3650, description="Days an API token stays valid after its creation"
    )
    # Generous by default: the small local model writes ~10-20 tokens/s on 2 cores and calls
    # queue behind each other; an OpenAI-compatible server is usually far quicker.
    provider_timeout_s: float = Field(600.0, gt=0, description="Total timeout of one model call")
    provider_first_token_timeout_s: float = Field(
        240.0, gt=0, description="Timeout for the first token (includes waiting in the queue)"
    )
    max_tokens: int = Field(1024, gt=0, description="Default generation length")
    model_seed: int | None = Field(
        None, description="Fixed sampling seed for reproducible runs (tests, benchmarks)"
    )
    local_model_path: Path | None = Field(
        None, description="GGUF to use instead of the bundled one"
    )
    local_model_ctx: int = Field(4096, ge=512, description="Context window of the local model")
    local_model_threads: int = Field(1, ge=1, description="llama.cpp generation threads")
    local_model_threads_batch: int = Field(2, ge=1, description="llama.cpp prompt threads")
    local_model_enabled: bool = Field(True, description="Register the embedded local model")
    fria_max_mb: float = Field(
        20.0,
        gt=0,
        description="Largest impact assessment file (AI Act Art. 27) attached to a use case, in MB",
    )
    retention_sweep_hours: float = Field(
        24.0, ge=0, description="Run the retention sweep every N hours in the app (0 = off)"
    )
    jobs_in_process: bool = Field(
        True, description="Run background jobs in the web process (off when `civia worker` runs)"
    )
    job_queues: str = Field(
        "ingestion=1,transcription=1,assistants=1,redaction=2,courriels=1",
        description="Worker threads per job queue, e.g. ingestion=1,transcription=1,assistants=1 "
        "(assistants: documents and CSV batches worked through by an assistant; redaction: "
        "the single generation of a form assistant, so a letter never waits for a long document; "
        "courriels: the analysis of the mail an agent fetched with « Relever maintenant », "
        "done by the periodic analysis when no worker serves it)",
    )
    assistant_upload_max_mb: int = Field(
        30, ge=1, le=500, description="Largest file an assistant's form accepts (MB)"
    )
    max_audio_mb: int = Field(
        500,
        gt=0,
        description="Largest recording an agent may upload, in MB (checked as it arrives)",
    )
    transcription_threads: int = Field(
        1, ge=1, description="CPU threads of one transcription job (1 leaves a core to the chat)"
    )
    transcription_chunk_s: float = Field(
        600.0, ge=5, description="Seconds of audio decoded, transcribed and checkpointed at a time"
    )
    minutes_direct_chars: int = Field(
        8000,
        ge=500,
        description="Longest transcript sent to the compte-rendu assistant as is; longer ones "
        "are condensed part by part first (the local model has 4,096 tokens of context)",
    )
    jobs_heartbeat_s: float = Field(5.0, gt=0, description="How often running jobs report alive")
    jobs_stale_after_s: float = Field(
        60.0, gt=0, description="A running job silent this long is resumed or failed"
    )
    max_upload_mb: float = Field(
        100.0, gt=0, description="Largest upload, in MB (checked while receiving)"
    )
    max_body_mb: float = Field(
        2.0,
        gt=0,
        description="Largest request body of a route without its own limit (uploads, the API "
        "and the transcript save have theirs), in MB",
    )
    max_upload_files: int = Field(20, ge=1, description="Most files in one upload")
    ocr_enabled: bool = Field(
        True, description="OCR scanned PDF pages without a text layer (Debian tesseract-ocr-fra)"
    )
    ocr_dpi: int = Field(300, ge=72, le=600, description="Resolution scanned pages are read at")
    ingest_stall_s: float = Field(
        120.0,
        gt=0,
        description="A document parser that reports no progress this long is stopped and the "
        "document fails with a French reason (a hostile file never blocks the ingestion queue)",
    )
    acts_max_csv_mb: float = Field(
        50.0, gt=0, description="Largest SCDL CSV file of acts accepted for import, in MB"
    )
    acts_max_file_mb: float = Field(
        30.0, gt=0, description="Largest file of one act (PDF, DOCX…) accepted for import, in MB"
    )

    audit_key: str = Field(
        "",
        description="Key of the audit chain's HMAC and checkpoints (default: derived from "
        "CIVIA_SECRET_KEY); keep it out of the database and its backups",
    )
    provider_allow_link_local: bool = Field(
        False,
        description="Allow provider base URLs on link-local or cloud metadata addresses "
        "(169.254.0.0/16, fe80::/10, fd00:ec2::254…)",
    )

    mailboxes_file: Path | None = Field(
        None, description="TOML file declaring the shared IMAP mailboxes (see docs/courriels.md)"
    )
    mailbox_fetch_minutes: float = Field(
        5.0, ge=0, description="How often connected mailboxes are fetched (0: only on demand)"
    )
    mailbox_max_message_mb: float = Field(
        10.0, gt=0, description="Largest email fetched whole; bigger ones are listed, not read"
    )
    citizen_rate_limit: str = Field(
        "8/minute",
        description="Questions (and messages to an agent) allowed per visitor of the public "
        "assistant, counted on a daily HMAC of the address (never stored)",
    )
    citizen_tenant_rate_limit: str = Field(
        "120/minute", description="Questions allowed per collectivité to its public assistant"
    )
    citizen_model_waiting: int = Field(
        3,
        ge=1,
        description="Public assistant visitors who may wait for the model at once (per "
        "process); the next ones get the best published passages quoted, without the model",
    )

    # Operations (civia/ops): probes, metrics, logs.
    metrics_token: str = Field(
        "",
        description="Bearer token giving access to /metrics and to the details of /readyz "
        "(also CIVIA_METRICS_TOKEN_FILE); empty: only the operator networks",
    )
    operator_networks: str = Field(
        "",
        description="Client networks allowed to read /metrics and the details of /readyz "
        "without the token, comma-separated CIDRs (e.g. 10.0.5.0/24); empty: none. Behind a "
        "proxy, the client address is the proxy's unless CIVIA_TRUSTED_PROXIES names it",
    )
    shutdown_grace_s: int = Field(
        20,
        ge=1,
        description="On SIGTERM, seconds `civia serve` lets answers being streamed finish "
        "before closing them (jobs of the in-process worker go back to the queue)",
    )
    log_format: str = Field(
        "text",
        pattern="^(text|json)$",
        description="Log lines of `civia serve` and `civia worker`: text, or json (one object "
        "per line with the request id)",
    )

    @model_validator(mode="before")
    @classmethod
    def _read_secret_files(cls, data: Any) -> Any:
        """Support CIVIA_SECRET_KEY_FILE, CIVIA_DATABASE_URL_FILE, CIVIA_REDIS_URL_FILE,
        CIVIA_AUDIT_KEY_FILE and CIVIA_METRICS_TOKEN_FILE (Docker/systemd secrets: the URLs may
        hold a password)."""
        if isinstance(data, dict):
            for name in SECRET_FILES:
                path = os.environ.get(f"CIVIA_{name.upper()}_FILE")
                if path and name not in data:
                    data[name] = Path(path).read_text(encoding="utf-8").strip()
        return data

    @field_validator(
        "login_rate_limit",
        "login_account_rate_limit",
        "api_rate_limit",
        "citizen_rate_limit",
        "citizen_tenant_rate_limit",
    )
    @classmethod
    def _valid_rate(cls, value: str) -> str:
        from limits import parse

        parse(value)
        return value

    @field_validator("operator_networks")
    @classmethod
    def _valid_networks(cls, value: str) -> str:
        import ipaddress

        for part in filter(None, (p.strip() for p in value.split(","))):
            ipaddress.ip_network(part, strict=False)  # ValueError names the bad one
        return value

    @field_validator("job_queues")
    @classmethod
    def _valid_queues(cls, value: str) -> str:
        parse_queues(value)
        return value

    @property
    def queues(self) -> dict[str, int]:
        return parse_queues(self.job_queues)

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.mode is Mode.PRODUCTION and (
            self.secret_key == DEMO_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "CIVIA_SECRET_KEY must be set to a random value of at least 32 characters "
                "outside demo mode (e.g. python -c 'import secrets;print(secrets.token_urlsafe())')"
            )
        return self

    # Sizes are set in MB (10^6 bytes), like every size setting; code compares bytes.
    @property
    def fria_max_bytes(self) -> int:
        return int(self.fria_max_mb * 1_000_000)

    @property
    def acts_max_csv_bytes(self) -> int:
        return int(self.acts_max_csv_mb * 1_000_000)

    @property
    def acts_max_file_bytes(self) -> int:
        return int(self.acts_max_file_mb * 1_000_000)

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'civia.db'}"

    @property
    def secure_cookies(self) -> bool:
        return self.mode is Mode.PRODUCTION if self.cookie_secure is None else self.cookie_secure


def parse_queues(value: str) -> dict[str, int]:
    """ "ingestion=1,transcription=1" → {"ingestion": 1, "transcription": 1}."""
    queues: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        name, _, count = part.partition("=")
        if not name.strip().isidentifier() or not count.strip().isdigit():
            raise ValueError(f"invalid job queue {part!r}: expected name=threads")
        queues[name.strip()] = int(count)
    return queues


@lru_cache
def get_settings() -> Settings:
    return Settings()
