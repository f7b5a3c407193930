"""Server-sent events: one formatter for every streamed page."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def event(name: str, data: Mapping[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
