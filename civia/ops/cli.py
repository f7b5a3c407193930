"""`civia backup FOLDER` and `civia restore FOLDER`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
def backup(folder: Path) -> None:
    """Copy the database (one consistent snapshot) and the files of CIVIA_DATA_DIR into
    FOLDER (new or empty), with a manifest of checksums and row counts."""
    from civia.ops import backup as backups
    from civia.settings import get_settings

    settings = get_settings()
    try:
        done = backups.backup(settings.db_url, settings.data_dir, folder)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(done.tables.values())
    click.echo(
        f"Backup of the {done.engine} database ({len(done.tables)} tables, {rows} rows) and "
        f"{done.files} files ({done.bytes} bytes) in {done.folder}"
    )


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(folder: Path, yes: bool) -> None:
    """Replace the database and restore the files of CIVIA_DATA_DIR from a backup FOLDER
    (checksums verified first). Stop `civia serve` and `civia worker` before."""
    from civia.ops import backup as backups
    from civia.settings import get_settings

    settings = get_settings()
    try:
        manifest = backups.verify(folder)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    if not yes:
        click.confirm(
            f"Replace the database {settings.db_url.split('@')[-1]} with the backup of "
            f"{manifest['created']}?",
            abort=True,
        )
    try:
        done = backups.restore(settings.db_url, settings.data_dir, folder)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Restored {len(done.tables)} tables ({sum(done.tables.values())} rows) and "
        f"{done.files} files from {done.folder}; row counts match the backup."
    )
