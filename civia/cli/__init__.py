"""The `civia` command line: noun groups (db, demo, users, services, tokens, providers, eval)."""

from __future__ import annotations

import click

from civia.cli import accounts, db, demo, evaluate, governance, providers, serve, tokens, worker
from civia.documents.acts.cli import acts_group
from civia.plugins import loader as plugin_loader


@click.group()
@click.version_option(package_name="civia")
def main() -> None:
    """Civia — espace de travail d'IA générative souverain pour les collectivités."""


for command in (
    serve.serve,
    worker.worker,
    db.db,
    demo.demo,
    accounts.users,
    accounts.services,
    tokens.tokens,
    providers.providers,
    evaluate.eval_group,
    governance.audit_group,
    governance.retention_group,
    governance.usecases_group,
    acts_group,
):
    main.add_command(command)


for command in plugin_loader.plugin_manager().hook.register_commands():
    for each in command or ():
        main.add_command(each)
