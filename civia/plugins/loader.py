"""Build the registries of one app or command from the built-in areas and installed plugins."""

from __future__ import annotations

import importlib
from typing import Any

import pluggy

from civia.plugins import hookspecs
from civia.plugins.registries import Governance, Registries, flatten
from civia.settings import Settings

# Built-in areas, lowest layer first: their hooks answer in this order (routes and menu links are
# then sorted by their `order`). Third-party plugins come from the `civia` entry point group,
# after them (see tests/plugins/example).
DEFAULT_PLUGINS: tuple[str, ...] = (
    "civia.accounts.plugin",
    "civia.audit.plugin",
    "civia.usage.plugin",
    "civia.providers.plugin",
    "civia.chat.plugin",
    "civia.jobs.plugin",
    # Governance hooks are listed in this order (text stores, export sections).
    "civia.governance.plugin",
    "civia.documents.plugin",
    "civia.documents.acts.plugin",
    "civia.meetings.plugin",
    "civia.assistants.plugin",
    "civia.web.plugin",
    "civia.api.plugin",
    "civia.cli.plugin",
    "civia.planning.plugin",
    "civia.steering.plugin",
    "civia.mailbox.plugin",
    "civia.citizens.plugin",
    "civia.tenants.plugin",
    "civia.posters.plugin",
    "civia.catalogue.plugin",
    "civia.ops.plugin",
)


def plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("civia")
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name)
    pm.load_setuptools_entrypoints("civia")
    return pm


def _collect(answers: list[Any]) -> list[Any]:
    """pluggy calls the last registered plugin first: put the answers back in registration
    order (built-in areas as listed in DEFAULT_PLUGINS, then installed plugins)."""
    return flatten(reversed(answers))


def load(settings: Settings, pm: pluggy.PluginManager | None = None) -> Registries:
    pm = pm or plugin_manager()
    hook = pm.hook
    registries = Registries(
        model_modules=_collect(hook.register_models()),
        routes=sorted(_collect(hook.register_routes(settings=settings)), key=lambda r: r.order),
        template_folders=_collect(hook.register_template_folders()),
        menu_links=sorted(_collect(hook.register_menu_links()), key=lambda m: m.order),
        notices=sorted(_collect(hook.register_notices()), key=lambda n: n.order),
        periodic_tasks=_collect(hook.register_periodic_tasks(settings=settings)),
        commands=_collect(hook.register_commands()),
        job_kinds={kind.name: kind for kind in _collect(hook.register_job_kinds())},
        call_guards=_collect(hook.register_call_guards()),
        middleware=_collect(hook.register_middleware(settings=settings)),
    )
    governance = Governance()
    for item in _collect(hook.register_governance(settings=settings)):
        governance.add(item)
    registries.governance = governance
    return registries
