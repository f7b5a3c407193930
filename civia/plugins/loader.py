"""Build the registries of one app or command from the built-in areas and installed plugins."""

from __future__ import annotations

import importlib

import pluggy

from civia.plugins import hookspecs
from civia.plugins.registries import Registries, flatten
from civia.settings import Settings

# Built-in areas, in menu and mounting order. Third-party plugins come from the `civia` entry
# point group (see tests/plugins/example).
DEFAULT_PLUGINS: tuple[str, ...] = ("civia.planning.plugin", "civia.tenants.plugin")


def plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("civia")
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name)
    pm.load_setuptools_entrypoints("civia")
    return pm


def load(settings: Settings, pm: pluggy.PluginManager | None = None) -> Registries:
    pm = pm or plugin_manager()
    hook = pm.hook
    registries = Registries(
        model_modules=flatten(hook.register_models()),
        routes=sorted(flatten(hook.register_routes(settings=settings)), key=lambda r: r.order),
        template_folders=flatten(hook.register_template_folders()),
        menu_links=sorted(flatten(hook.register_menu_links()), key=lambda m: m.order),
        periodic_tasks=flatten(hook.register_periodic_tasks(settings=settings)),
        commands=flatten(hook.register_commands()),
    )
    return registries
