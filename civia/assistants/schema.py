"""JSON schemas as the model sees them: resolved for this run, and described in words.

Two Civia keywords let a YAML schema depend on the run (JSON Schema ignores unknown keywords,
so the stored schema stays valid):
- `x-civia-enum: services` becomes an `enum` of the collectivité's services, so constrained
  decoding cannot invent a service;
- `x-civia-count: <field>` on an array sets `minItems` = `maxItems` = that form field's number
  (the slides asked for), within the array's own bounds.

The small local model follows a schema far better when it can read what each key means:
`describe` turns the properties (in their order, which is also the order of generation under
llama.cpp's grammar: reasoning keys come before verdicts) into a short French list.
"""

from __future__ import annotations

import copy
from typing import Any

ENUM_KEY, COUNT_KEY = "x-civia-enum", "x-civia-count"
_TYPES = {
    "string": "texte",
    "integer": "nombre entier",
    "number": "nombre",
    "boolean": "true ou false",
    "array": "liste",
    "object": "objet",
}


def resolve(schema: dict[str, Any], *, values: dict[str, str], context: dict[str, Any]) -> Any:
    """A copy of `schema` with the Civia keywords replaced by plain JSON Schema."""
    return _resolve(copy.deepcopy(schema), values, context)


def _resolve(node: Any, values: dict[str, str], context: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_resolve(item, values, context) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: _resolve(v, values, context) for k, v in node.items() if k not in (ENUM_KEY, COUNT_KEY)
    }
    source = node.get(ENUM_KEY)
    if source == "services":
        services = list(context.get("service_list") or [])
        if services:
            out["enum"] = services
    count_field = node.get(COUNT_KEY)
    if isinstance(count_field, str):
        count = _int(values.get(count_field, ""))
        if count is not None:
            low, high = out.get("minItems", 1), out.get("maxItems", count)
            out["minItems"] = out["maxItems"] = min(max(count, low), high)
    return out


def _int(text: str) -> int | None:
    try:
        return int(float(text.replace(",", ".").strip()))
    except ValueError:
        return None


def describe(schema: dict[str, Any]) -> str:
    """« - titre (texte) : … » lines for every property, nested items indented."""
    lines: list[str] = []
    _describe(schema, lines, 0)
    return "\n".join(lines)


def _describe(node: dict[str, Any], lines: list[str], depth: int) -> None:
    for name, prop in (node.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        kind = _kind(prop)
        desc = str(prop.get("description", "")).strip()
        lines.append(f"{'  ' * depth}- {name} ({kind}){' : ' + desc if desc else ''}")
        items = prop.get("items")
        if prop.get("type") == "object":
            _describe(prop, lines, depth + 1)
        elif isinstance(items, dict) and items.get("type") == "object":
            _describe(items, lines, depth + 1)


def _kind(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return "une valeur parmi : " + ", ".join(f"« {v} »" for v in prop["enum"])
    kind = _TYPES.get(str(prop.get("type")), "valeur")
    if prop.get("type") == "array":
        low, high = prop.get("minItems"), prop.get("maxItems")
        if low is not None and low == high:
            kind += f" de {low} élément{'s' if low > 1 else ''}"
        elif high is not None:
            kind += f" de {low or 0} à {high} éléments"
        items = prop.get("items")
        if isinstance(items, dict) and "enum" in items:
            kind += " ; chaque élément parmi : " + ", ".join(f"« {v} »" for v in items["enum"])
    return kind
