"""`civia eval …`: measurement commands with stable JSON contracts."""

from __future__ import annotations

import click

from civia.documents.cli import retrieval_command
from civia.meetings.cli import transcription_command
from civia.privacy.cli import pii_command


@click.group("eval")
def eval_group() -> None:
    """Evaluate retrieval, transcription and personal-data detection on a dataset."""


eval_group.add_command(pii_command)
eval_group.add_command(transcription_command)
eval_group.add_command(retrieval_command)
