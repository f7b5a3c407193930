"""The `/metrics` exposition: this process's instruments (or, with `PROMETHEUS_MULTIPROC_DIR`,
those of every process of the machine, added up) and the job queue read from the database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from civia.jobs.models import Job, JobStatus


class JobsCollector(Collector):
    """Jobs by kind and state, and per queue the waiting jobs and the age of the oldest: read
    at scrape time, so every worker's jobs count, on whatever machine."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def collect(self) -> Iterator[Metric]:
        jobs = GaugeMetricFamily(
            "civia_jobs", "Jobs in the database by kind and state", labels=["kind", "state"]
        )
        depth = GaugeMetricFamily("civia_queue_depth", "Jobs waiting in a queue", labels=["queue"])
        age = GaugeMetricFamily(
            "civia_queue_oldest_age_seconds",
            "Age of the oldest job waiting in a queue (0 when empty)",
            labels=["queue"],
        )
        with self.sessions() as db:
            for kind, state, count in db.execute(
                select(Job.kind, Job.status, func.count(Job.id)).group_by(Job.kind, Job.status)
            ):
                jobs.add_metric([kind, state], count)
            now = datetime.now(UTC)
            for queue, count, oldest in db.execute(
                select(Job.queue, func.count(Job.id), func.min(Job.created_at))
                .where(Job.status == JobStatus.QUEUED.value)
                .group_by(Job.queue)
            ):
                depth.add_metric([queue], count)
                if oldest is not None and oldest.tzinfo is None:
                    oldest = oldest.replace(tzinfo=UTC)
                age.add_metric([queue], (now - oldest).total_seconds() if oldest else 0.0)
        yield from (jobs, depth, age)


def exposition(sessions: sessionmaker[Session]) -> tuple[bytes, str]:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # every process's files, added up
    else:
        registry.register(_Process())
    registry.register(JobsCollector(sessions))
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _Process(Collector):
    """This process's own instruments (single-process mode): the default registry's."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def serve_worker_metrics(host: str, port: int) -> None:
    """A `civia worker` on a machine without a web process: its own counters (job runs, model
    calls of its jobs) on a plain HTTP port for Prometheus, in a background thread."""
    from prometheus_client import start_http_server

    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_Process())
    start_http_server(port, addr=host, registry=registry)
