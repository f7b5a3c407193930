"""Every table of Civia: `Base.metadata` once the plugins' model modules are imported (for
Alembic, `civia db`, tests and benchmarks that create a schema without an app)."""

from __future__ import annotations

import pluggy
from sqlalchemy import MetaData

from civia.db.base import Base
from civia.plugins.loader import plugin_manager


def metadata(pm: pluggy.PluginManager | None = None) -> MetaData:
    (pm or plugin_manager()).hook.register_models()  # importing a model module maps its tables
    return Base.metadata
