"""Files sent to `/v1/chat/completions` as OpenAI `file` content parts, for file fields."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from civia.assistants.inputs import InputError
from civia.assistants.prepare import Upload
from civia.assistants.spec import AssistantSpec, FieldKind

_DATA_URL = re.compile(r"^data:[\w.+/-]*(;[\w=-]+)*;base64,", re.ASCII)


def uploads(
    spec: AssistantSpec, content: str | list[dict[str, Any]], *, max_bytes: int
) -> dict[str, Upload]:
    """The file parts of a message, given in order to the assistant's file fields."""
    if isinstance(content, str):
        return {}
    parts = [p.get("file") for p in content if p.get("type") == "file"]
    fields = spec.fields_of(FieldKind.FILE)
    if parts and not fields:
        raise InputError({"": f"L'assistant « {spec.name} » n'accepte pas de fichier."})
    if len(parts) > len(fields):
        raise InputError({"": f"Trop de fichiers : l'assistant en accepte {len(fields)}."})
    found: dict[str, Upload] = {}
    for field, part in zip(fields, parts, strict=False):
        if not isinstance(part, dict) or not isinstance(part.get("file_data"), str):
            raise InputError({field.name: "Fichier illisible : donnez `file_data` en base64."})
        name = str(part.get("filename") or "document")[:200]
        raw = _DATA_URL.sub("", part["file_data"], count=1)
        if len(raw) * 3 // 4 > max_bytes:
            raise InputError(
                {field.name: f"Le fichier « {name} » dépasse {max_bytes // 1_000_000} Mo."}
            )
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise InputError(
                {field.name: f"Le fichier « {name} » n'est pas du base64 valide."}
            ) from None
        if not data.strip():
            raise InputError({field.name: f"Le fichier « {name} » est vide."})
        found[field.name] = Upload(name, data)
    return found
