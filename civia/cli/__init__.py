"""The `civia` command line: noun groups (db, demo, users, services, tokens, providers, eval…),
each registered by a plugin's `register_commands` hook."""

from __future__ import annotations

import click

from civia.plugins import loader as plugin_loader


@click.group()
@click.version_option(package_name="civia")
def main() -> None:
    """Civia — espace de travail d'IA générative souverain pour les collectivités."""


for _commands in plugin_loader.plugin_manager().hook.register_commands():
    for _command in _commands or ():
        main.add_command(_command)
