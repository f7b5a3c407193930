"""The core command groups of `civia` as a plugin (areas with their own commands, such as
acts, register them from their own plugin)."""

from __future__ import annotations

import click

from civia.plugins.hookspecs import hookimpl


@hookimpl
def register_commands() -> list[click.Command]:
    from civia.cli import accounts, db, demo, evaluate, governance, providers, serve, tokens
    from civia.cli import worker as worker_cli

    return [
        serve.serve,
        worker_cli.worker,
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
    ]
