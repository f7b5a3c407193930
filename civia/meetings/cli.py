"""`civia eval transcription`: the transcription evaluation contract (see issue "Meetings")."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click

from civia.meetings.evaluation import evaluate, find_clips
from civia.providers.whisper_files import ModelFilesMissing


@click.command("transcription")
@click.option(
    "--dir",
    "directory",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Dossier des enregistrements ; seuls ceux qui ont un .txt de référence sont utilisés.",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON (contrat d'évaluation).")
@click.option("--beam-size", type=click.IntRange(min=1), default=None, help="Largeur du faisceau.")
@click.option("--no-vad", is_flag=True, help="Désactive la détection d'activité vocale.")
@click.option("--initial-prompt", default=None, help="Vocabulaire donné au modèle au départ.")
@click.option("--language", default="fr", show_default=True, help="Langue imposée ('' = auto).")
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True)
@click.option(
    "--model-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Modèle CTranslate2 à utiliser au lieu du modèle intégré.",
)
def transcription_command(
    directory: Path,
    as_json: bool,
    beam_size: int | None,
    no_vad: bool,
    initial_prompt: str | None,
    language: str,
    threads: int,
    model_dir: Path | None,
) -> None:
    """Mesure le taux d'erreur (WER) et la vitesse (RTF) de la transcription sur DIR."""
    # Imported here so that `civia --help` works without the speech extra (numpy, ctranslate2).
    from civia.providers.whisper import WhisperSettings, WhisperTranscriber

    clips = find_clips(directory)
    if not clips:
        raise click.UsageError(
            f"Aucun enregistrement accompagné d'une référence .txt dans {directory}."
        )
    settings = WhisperSettings()
    if beam_size is not None:
        settings = replace(settings, beam_size=beam_size)
    if no_vad:
        settings = replace(settings, vad_filter=False)
    if initial_prompt:
        settings = replace(settings, initial_prompt=initial_prompt)
    transcriber = WhisperTranscriber(model_dir, settings=settings, cpu_threads=threads)
    try:
        transcriber.model()  # load outside the timed part: RTF measures transcription only
    except ModelFilesMissing as exc:
        raise click.ClickException(exc.message_fr) from exc
    report = evaluate(
        clips, transcriber, language=language or None, settings=transcriber.describe()
    )
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for entry in report["results"]:
        status = f"  ERREUR : {entry['error']}" if "error" in entry else ""
        click.echo(
            f"{entry['file']:<32} {entry['audio_seconds']:>8.1f} s audio "
            f"{entry['seconds']:>7.1f} s{status}"
        )
    rtf = report["rtf"]
    click.echo(
        f"{report['clips']} enregistrements, {report['audio_seconds']:.1f} s d'audio — "
        f"WER {report['wer'] * 100:.1f} %, RTF {rtf if rtf is None else round(rtf, 3)} "
        f"({report['model']})"
    )
