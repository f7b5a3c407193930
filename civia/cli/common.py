"""Helpers shared by CLI commands."""

from __future__ import annotations

import click


def fail(message: str) -> None:
    raise click.ClickException(message)
