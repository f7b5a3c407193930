"""Plugin hooks: providers (built-in or third-party) register the provider kinds they offer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("civia")
hookimpl = pluggy.HookimplMarker("civia")


@hookspec
def register_provider_kinds(register: Callable[[str, Any], None]) -> None:
    """Call `register(kind, factory)`; `factory(config, settings)` returns a ChatModel."""
