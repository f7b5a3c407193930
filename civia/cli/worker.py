"""`civia worker`: run background jobs in their own process (several machines may run one)."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--queues",
    default="",
    help="name=threads list, e.g. transcription=1; default: CIVIA_JOB_QUEUES.",
)
@click.option(
    "--metrics-port",
    type=int,
    default=0,
    help="Serve this worker's Prometheus metrics on this port (0: off).",
)
@click.option(
    "--metrics-host",
    default="127.0.0.1",
    show_default=True,
    help="Address of the metrics port (no login there: keep it on the operator's network).",
)
def worker(queues: str, metrics_port: int, metrics_host: str) -> None:
    """Run job workers and the plugins' periodic tasks until interrupted (set
    CIVIA_JOBS_IN_PROCESS=false on the web app)."""
    import signal
    import threading

    # Deferred: `civia --help` loads neither the app, the database nor the models.
    from civia.db.engine import make_engine, make_sessionmaker
    from civia.documents import vector_store
    from civia.jobs.worker import Worker
    from civia.settings import get_settings, parse_queues
    from civia.telemetry import logs, metrics

    if problem := metrics.multiprocess_problem():
        raise click.ClickException(problem)
    settings = get_settings()
    logs.configure(settings.log_format)
    try:
        wanted = parse_queues(queues) if queues else settings.queues
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    engine = make_engine(settings.db_url)
    vector_store.configure(engine, settings)
    # A worker process has nothing else to start: its periodic tasks may run at once.
    running = Worker(
        make_sessionmaker(engine), settings, wanted, periodic=True, periodic_delay_s=1.0
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    if metrics_port:
        from civia.ops.metrics import serve_worker_metrics

        serve_worker_metrics(metrics_host, metrics_port)
    running.start()
    click.echo(f"worker running queues {wanted}; Ctrl-C to stop")
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
        engine.dispose()
