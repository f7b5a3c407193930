"""``civia eval pii``: score PII detection on an annotated JSONL file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from civia.privacy.entities import ENTITY_TYPES
from civia.privacy.errors import PiiEngineUnavailable
from civia.privacy.evaluation import DatasetError, evaluate_file


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def format_report(report: dict[str, Any]) -> str:
    """A table per type (exact and overlap matching), then speed."""
    header = (
        f"{'Type':<9}{'Réf./gold':>10}{'Détectés':>10}"
        f"{'P exact':>9}{'R exact':>9}{'F1 exact':>9}{'P chev.':>9}{'R chev.':>9}{'F1 chev.':>9}"
    )
    lines = [
        f"Fichier / file : {report['file']} "
        f"({report['texts']} textes, {report['chars']} caractères)",
        "chev. = chevauchement / overlap",
        header,
        "-" * len(header),
    ]
    rows = [(t, report["per_type"][t]) for t in ENTITY_TYPES] + [("TOTAL", report["overall"])]
    for name, block in rows:
        if name != "TOTAL" and not block["support"] and not block["predicted"]:
            continue
        exact, overlap = block["exact"], block["overlap"]
        lines.append(
            f"{name:<9}{block['support']:>10}{block['predicted']:>10}"
            f"{_fmt(exact['precision']):>9}{_fmt(exact['recall']):>9}{_fmt(exact['f1']):>9}"
            f"{_fmt(overlap['precision']):>9}{_fmt(overlap['recall']):>9}{_fmt(overlap['f1']):>9}"
        )
    lines.append(f"Vitesse / speed : {report['ms_per_1000_chars']} ms pour 1 000 caractères")
    return "\n".join(lines)


@click.command("pii")
@click.option(
    "--file",
    "path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSONL : une ligne {"text": ..., "entities": [{"type", "start", "end"}]} par texte.',
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON (avec les détections).")
def pii_command(path: Path, as_json: bool) -> None:
    """Évalue la détection des données personnelles (précision, rappel, F1, vitesse)."""
    try:
        report = evaluate_file(path)
    except (DatasetError, PiiEngineUnavailable) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))
