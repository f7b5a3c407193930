"""Server-sent events: one formatter for every streamed page."""

from __future__ import annotations

import json


def event(name: str, data: dict[str, str]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
