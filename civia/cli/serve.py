"""`civia serve`: run the web application with uvicorn."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from civia.settings import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-upgrade", is_flag=True, help="Do not apply database migrations first.")
def serve(host: str, port: int, no_upgrade: bool) -> None:
    """Serve Civia (applies migrations first)."""
    import uvicorn

    # Deferred: `civia --help` loads neither the app, the database nor the models.
    from civia.app import create_app
    from civia.db.migrate import upgrade
    from civia.providers.local_llama import check_local_model
    from civia.settings import get_settings
    from civia.telemetry import logs, metrics

    if problem := metrics.multiprocess_problem():
        raise click.ClickException(problem)
    settings = get_settings()
    logs.configure(settings.log_format)
    if not no_upgrade:
        upgrade(settings.db_url)
    if settings.local_model_enabled:
        try:
            click.echo(f"Local model: {check_local_model(settings)}")
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from None
    from civia.web import access_log

    access_log.install()  # searches (`?q=…`) stay out of the access log
    uvicorn.run(create_app(settings), host=host, port=port, **uvicorn_options(settings))


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """X-Forwarded-For is believed only from the proxies the operator declared: otherwise any
    client could pick the address its failed logins are counted under."""
    proxies = settings.trusted_proxies.strip()
    return {
        "log_level": "info",
        # Our handlers (text or JSON, with the request id), not uvicorn's; in JSON the access
        # line comes from civia.ops (route template, duration, no client address).
        "log_config": None,
        "access_log": settings.log_format != "json",
        # Stops accepting at once, lets streamed answers finish, bounded.
        "timeout_graceful_shutdown": settings.shutdown_grace_s,
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or None,
    }
