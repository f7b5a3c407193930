"""`civia eval …`: measurement commands with stable JSON contracts."""

from __future__ import annotations

import click


@click.group("eval")
def eval_group() -> None:
    """Evaluate retrieval, transcription and personal-data detection on a dataset."""
