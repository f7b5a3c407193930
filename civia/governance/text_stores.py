"""Every place where Civia keeps free text written by users or models: the registry that the
erasure of a person cited in others' texts (GDPR Art. 17, `citizen_erasure`) walks through.

A store registers a finder and a redactor:

    register_text_store("meetings", "Transcriptions de réunions", finder, redactor)

- `finder(db, tenant_id, anchors)` yields `Item`s: one searchable text each, with a stable
  `key` (« transcript:12:segment:3 »), where it is (French, shown to the DPO) and whose it is
  (a user id or None). `anchors` are ASCII fragments every mention contains: pass them to
  `like_any(column, anchors)` to pre-filter rows in SQL (an empty list means: no pre-filter).
  The finder must keep to `tenant_id`.
- `redactor(db, tenant_id, keys, redact)` rewrites the texts of the selected `keys` with
  `redact(text) -> (new_text, replacements)` and returns how many replacements it made. It
  also updates what derives from the text (a search index, vectors) in the same transaction.

Built-in stores live in `text_stores_builtin` (conversations, assistant runs, saved prompts,
incidents, use-case comments) and `text_stores_documents` (document chunks). Other packages
add their module to `STORE_MODULES` (imported on first use), e.g. meetings with its
transcripts: `civia.meetings.erasure` calling `register_text_store` at import.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, cast, false, or_, true
from sqlalchemy.orm import Session

Redact = Callable[[str], tuple[str, int]]
Finder = Callable[[Session, int, Sequence[str]], Iterable["Item"]]
Redactor = Callable[[Session, int, Sequence[str], Redact], int]

STORE_MODULES: tuple[str, ...] = (
    "civia.governance.text_stores_builtin",
    "civia.governance.text_stores_documents",
)


@dataclass(frozen=True)
class Item:
    key: str
    where: str
    owner_id: int | None
    text: str


@dataclass(frozen=True)
class TextStore:
    name: str
    label: str
    finder: Finder
    redactor: Redactor


_STORES: dict[str, TextStore] = {}


def register_text_store(name: str, label: str, finder: Finder, redactor: Redactor) -> None:
    _STORES[name] = TextStore(name, label, finder, redactor)


def stores() -> dict[str, TextStore]:
    for module in STORE_MODULES:
        importlib.import_module(module)
    return dict(_STORES)


def like_any(column: Any, anchors: Sequence[str]) -> ColumnElement[bool]:
    """SQL pre-filter: the column contains one of the anchors (case-insensitive). Works on
    text and JSON columns; JSON escapes non-ASCII characters, hence ASCII anchors."""
    if not anchors:
        return true()
    text = cast(column, String)
    return or_(false(), *(text.ilike(f"%{a}%", escape="\\") for a in map(_escape, anchors)))


def _escape(anchor: str) -> str:
    return anchor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def redact_json(value: Any, redact: Redact) -> tuple[Any, int]:
    """Redact every string inside a JSON value (a run's inputs or structured output)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        pairs = [redact_json(v, redact) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        done = {k: redact_json(v, redact) for k, v in value.items()}
        return {k: v for k, (v, _) in done.items()}, sum(n for _, n in done.values())
    return value, 0


def json_strings(value: Any) -> str:
    """All strings of a JSON value, one per line: what the finder searches."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(json_strings(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(json_strings(v) for v in value.values())
    return ""
