"""`civia acts …`: import open-data acts from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select


@click.group("acts")
def acts_group() -> None:
    """Actes : délibérations et arrêtés (import de données ouvertes SCDL)."""


@acts_group.command("import-scdl")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tenant", "slug", required=True, help="Collectivité qui importe (slug).")
@click.option(
    "--no-embed", is_flag=True, help="Ne pas calculer les vecteurs (un traitement s'en chargera)."
)
def import_scdl_command(file: Path, slug: str, no_embed: bool) -> None:
    """Importe un fichier CSV au schéma SCDL « Délibérations » et affiche le compte rendu.

    Réimporter le même fichier met les actes à jour sans les dupliquer ; les lignes
    invalides sont listées avec leur numéro et le motif, les autres sont importées.
    """
    # Deferred: `civia --help` loads neither the app, the database nor the models.
    from civia.accounts.models import Tenant
    from civia.db.engine import make_engine, make_sessionmaker
    from civia.documents.acts.importer import create_import, run_import
    from civia.documents.acts.jobs import enqueue_embedding
    from civia.documents.acts.scdl import ScdlFormatError
    from civia.documents.acts.vectors import embed_acts
    from civia.settings import get_settings

    engine = make_engine(get_settings().db_url)
    sessions = make_sessionmaker(engine)
    try:
        with sessions() as db:
            tenant_id = db.scalar(select(Tenant.id).where(Tenant.slug == slug))
            if tenant_id is None:
                raise click.ClickException(f"Collectivité inconnue : « {slug} ».")
            try:
                row = create_import(
                    db,
                    tenant_id=tenant_id,
                    user_id=None,
                    filename=file.name,
                    data=file.read_bytes(),
                )
            except ScdlFormatError as exc:
                raise click.ClickException(exc.message_fr) from None
            db.commit()
            import_id = row.id
        done = run_import(
            sessions,
            import_id=import_id,
            progress=lambda fraction, message: click.echo(f"{fraction:6.1%} {message}", err=True),
        )
        click.echo(
            f"{done.created} acte(s) créé(s), {done.updated} mis à jour, "
            f"{done.unchanged} inchangé(s), {done.rejected} ligne(s) rejetée(s) "
            f"sur {done.rows_done} lue(s)."
        )
        for note in done.notes:
            click.echo(f"  {note}")
        for error in done.errors:
            click.echo(f"  ligne {error['line']} : {error['reason']}")
        if done.rejected > len(done.errors):
            click.echo(f"  … et {done.rejected - len(done.errors)} autre(s) ligne(s) rejetée(s).")
        if not (done.created or done.updated):
            return
        if no_embed:
            with sessions() as db:
                enqueue_embedding(db, tenant_id=tenant_id, user_id=None)
                db.commit()
            click.echo("Vecteurs : confiés au traitement en arrière-plan (civia serve ou worker).")
            return
        from civia.providers.resolve import embedder_for

        with sessions() as db:
            embedder = embedder_for(db, tenant_id)
        count = embed_acts(
            sessions,
            tenant_id=tenant_id,
            embedder=embedder,
            progress=lambda fraction, message: click.echo(f"{fraction:6.1%} {message}", err=True),
        )
        click.echo(f"Vecteurs calculés pour {count} acte(s).")
    finally:
        engine.dispose()
