"""Prometheus instruments of one process, names prefixed `civia_`.

With several processes (two `civia serve` behind nginx, `civia worker`s), set
`PROMETHEUS_MULTIPROC_DIR` to a folder shared by the processes of one machine, emptied when the
service starts: every process writes its values there and `/metrics` adds them up
(`civia.ops.metrics`). Jobs by kind and state and the queues' depth and age are not counted
here: they are read from the database when scraped, so they are right whatever process or
machine ran the jobs."""

from __future__ import annotations

import os
from pathlib import Path

from prometheus_client import Counter, Histogram


def multiprocess_problem() -> str | None:
    """Why this process could not write its metrics, if so: with a missing
    `PROMETHEUS_MULTIPROC_DIR`, the first counter written (the first request's) raises."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder and not Path(folder).is_dir():
        return (
            f"PROMETHEUS_MULTIPROC_DIR={folder} is not a directory: create it (systemd: "
            "RuntimeDirectory=civia/metrics) or unset the variable"
        )
    return None


LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
MODEL_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600)

http_requests = Counter(
    "civia_http_requests",
    "HTTP requests answered, per route template, method and status code",
    ["method", "route", "status"],
)
http_latency = Histogram(
    "civia_http_request_duration_seconds",
    "Time from the request to the last byte of the answer (streams included), per route",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
errors = Counter(
    "civia_errors",
    "Errors: `http` (5xx answers), `model` (failed model calls), `job` (failed job runs)",
    ["where"],
)
model_calls = Counter(
    "civia_model_calls",
    "Model calls (chat, assistants, API, jobs, embeddings, transcription) by source and outcome",
    ["source", "outcome"],
)
model_tokens = Counter(
    "civia_model_tokens",
    "Tokens of model calls, `prompt` or `completion`",
    ["direction"],
)
model_latency = Histogram(
    "civia_model_call_duration_seconds",
    "Duration of a whole model call",
    ["source"],
    buckets=MODEL_BUCKETS,
)
time_to_first_token = Histogram(
    "civia_model_time_to_first_token_seconds",
    "Time to the first token of a streamed model call (waiting for the model included)",
    ["source"],
    buckets=MODEL_BUCKETS,
)
quota_refusals = Counter(
    "civia_quota_refusals",
    "Model calls refused by a quota, per quota scope (tenant, service, user)",
    ["scope"],
)
jobs_run = Counter(
    "civia_job_runs",
    "Job runs finished by a worker of this process, per kind and outcome",
    ["kind", "outcome"],
)
