"""Batch mode: a CSV of requests, each row run through a structured assistant (the triage).

Real files are messy: « ; » or « , » separated, UTF-8 or Windows-1252 (read by the documents
area's CSV reader), with or without a header row, with or without an id column. Each row's
text is what the model reads; the output columns (the schema's properties) are added after the
input columns, and the agent corrects them before downloading the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from typing import Any

from civia.assistants.spec import AssistantSpec, FieldKind
from civia.documents.errors import CorruptedFileError, DocumentError
from civia.documents.extract.base import clean
from civia.documents.extract.text import decode

MAX_ROWS = 300
MAX_CELL = 4_000
_ID_NAME = re.compile(r"^(id|n°|no|num(e|é)ro|r(e|é)f(e|é)rence|ref|code|dossier)\b", re.I)


class BatchError(ValueError):
    """A French message about the CSV file."""


def _rows(data: bytes, filename: str) -> list[list[str]]:
    """Rows with the delimiter that splits every line into the same number of columns (a
    one-column file of sentences with commas is one column, not a comma-separated file)."""
    text = decode(data, filename)
    if "\x00" in text:
        raise CorruptedFileError(filename, "le fichier CSV")
    best: list[list[str]] = []
    best_score = 0.0
    for delimiter in (";", ",", "\t", "|"):
        try:
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(r)]
        except csv.Error:
            continue
        widths = Counter(len(r) for r in rows)
        width, count = widths.most_common(1)[0] if widths else (0, 0)
        score = count / len(rows) if rows and width > 1 else 0.0
        if score > best_score + 0.05:
            best, best_score = rows, score
    if best_score < 0.8:  # no delimiter gives a steady table: one column (quotes still hold)
        best = [r for r in csv.reader(io.StringIO(text), delimiter="\x1f") if any(r)]
    return [[clean(cell) for cell in row] for row in best]


def _is_header(row: list[str], rows: list[list[str]]) -> bool:
    cells = [c.strip() for c in row]
    if len(rows) < 2 or not all(cells) or len(set(cells)) != len(cells):
        return False
    if any(len(c) > 40 or c.replace(" ", "").isdigit() for c in cells):
        return False
    return not any(_ID_NAME.match(c) is None and len(c) > 40 for c in cells)


def _id_column(header: list[str] | None, rows: list[list[str]]) -> int | None:
    width = max(len(r) for r in rows)
    if width < 2:
        return None
    if header:
        for index, name in enumerate(header):
            if _ID_NAME.match(name.strip()):
                return index
    first = [r[0].strip() if r else "" for r in rows]
    looks_like_ids = all(v and len(v) <= 12 and any(ch.isdigit() for ch in v) for v in first)
    return 0 if looks_like_ids and len(set(first)) == len(first) else None


def read_requests(data: bytes, filename: str) -> dict[str, Any]:
    """The stored batch: columns, rows, which column is an id, and each row's text."""
    try:
        rows = [r for r in _rows(data, filename) if any(c.strip() for c in r)]
    except DocumentError as exc:
        raise BatchError(exc.message_fr) from None
    if not rows:
        raise BatchError(f"Le fichier « {filename} » ne contient aucune ligne.")
    header = rows[0] if _is_header(rows[0], rows) else None
    body = rows[1:] if header else rows
    if not body:
        raise BatchError(f"Le fichier « {filename} » ne contient qu'une ligne d'en-tête.")
    if len(body) > MAX_ROWS:
        raise BatchError(
            f"Le fichier contient {len(body)} demandes ; un lot en traite au plus {MAX_ROWS}. "
            "Découpez-le en plusieurs fichiers."
        )
    width = max(len(r) for r in rows)
    columns = header + [""] * (width - len(header)) if header else []
    columns = [c or f"Colonne {i + 1}" for i, c in enumerate(columns or [""] * width)]
    body = [[c[:MAX_CELL] for c in r] + [""] * (width - len(r)) for r in body]
    id_col = _id_column(header, body)
    return {
        "kind": "batch",
        "filename": filename[:200],
        "columns": columns,
        "has_header": header is not None,
        "id_column": id_col,
        "rows": body,
    }


def row_text(batch: dict[str, Any], row: list[str]) -> str:
    """What the model reads for one row: every non-id cell, named when there is a header."""
    parts = []
    for index, cell in enumerate(row):
        if index == batch["id_column"] or not cell.strip():
            continue
        name = batch["columns"][index]
        parts.append(f"{name} : {cell}" if batch["has_header"] else cell)
    return "\n".join(parts)


def main_field(spec: AssistantSpec) -> str:
    field = next((f for f in spec.fields if f.kind is FieldKind.LONG_TEXT), spec.fields[0])
    return field.name


def output_columns(spec: AssistantSpec) -> list[tuple[str, str, list[str]]]:
    """(key, French title, allowed values) of each property the rows get."""
    props = (spec.output.json_schema or {}).get("properties", {})
    out = []
    for key, prop in props.items():
        allowed = list(prop.get("enum", [])) if isinstance(prop, dict) else []
        title = prop.get("title") if isinstance(prop, dict) else None
        out.append((key, str(title or key.replace("_", " ").capitalize()), allowed))
    return out


def cell_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return "" if value is None else str(value)


def table(
    spec: AssistantSpec, batch: dict[str, Any], results: list[dict[str, Any]]
) -> tuple[list[str], list[list[str]]]:
    """The input columns then the classification, one row per request."""
    outputs = output_columns(spec)
    header = [*batch["columns"], *(title for _, title, _ in outputs)]
    rows = []
    for index, row in enumerate(batch["rows"]):
        result = results[index] if index < len(results) else {}
        if result.get("error"):
            extra = ["" for _ in outputs]
            extra[-1] = f"Non classée : {result['error']}"
        else:
            extra = [cell_value(result.get(key)) for key, _, _ in outputs]
        rows.append([*row, *extra])
    return header, rows


def corrections(
    spec: AssistantSpec, run: Any, form: dict[str, Any], *, services: list[str]
) -> list[dict[str, Any]]:
    """The results with the agent's corrections (`r{row}.{key}` inputs); a value outside an
    enum (urgency, service) is refused with the row it is on."""
    lot = run.attachments["batch"]
    results = [dict(r) for r in (run.data or {}).get("results", [])]
    results += [{} for _ in range(len(lot["rows"]) - len(results))]
    props = (spec.output.json_schema or {}).get("properties") or {}
    for key, title, allowed in output_columns(spec):
        prop = props.get(key) or {}
        if prop.get("x-civia-enum") == "services":
            allowed = services
        for index, result in enumerate(results):
            value = form.get(f"r{index}.{key}")
            if not isinstance(value, str):
                continue
            value = " ".join(value.split())[:MAX_CELL]
            if allowed and value and value not in allowed:
                raise BatchError(
                    f"Ligne {index + 1}, « {title} » : choisissez une valeur proposée "
                    f"({', '.join(allowed)})."
                )
            if value != cell_value(result.get(key)):
                result[key] = value
                result.pop("error", None)
                result["corrige"] = True
    return results
