"""Text stores: every place where Civia keeps free text written by users or models, walked by
the erasure of a person cited in others' texts (GDPR Art. 17, `civia.governance.citizen_erasure`).

An area returns its stores from the `register_governance` hook:

    TextStore("meetings", "Transcriptions de réunions", finder, redactor)

- `finder(db, tenant_id, anchors)` yields `Item`s: one searchable text each, with a stable
  `key` (« transcript:12:segment:3 »), where it is (French, shown to the DPO) and whose it is
  (a user id or None). `anchors` are ASCII fragments every mention contains: pass them to
  `like_any(column, anchors)` to pre-filter rows in SQL (an empty list means: no pre-filter).
  The finder must keep to `tenant_id`.
- `redactor(db, tenant_id, keys, redact)` rewrites the texts of the selected `keys` with
  `redact(text) -> (new_text, replacements)` and returns how many replacements it made. It
  also updates what derives from the text (a search index, vectors) in the same transaction.

Stores live in `civia.governance.text_stores_builtin` (conversations, assistant runs, saved
prompts, incidents, use-case comments, jobs), `civia.documents.text_store` (documents, chats with
documents) and `civia.meetings.erasure` (meetings); each app's registries hold the ones of its
plugins.
`Fields` does the finding and redacting for a table whose text columns are edited in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, cast, false, or_, select, true
from sqlalchemy.orm import Session

from civia.plugins.registries import TextStore

__all__ = ["Fields", "Item", "TextStore", "json_strings", "like_any", "redact_json"]

Redact = Callable[[str], tuple[str, int]]
Finder = Callable[[Session, int, Sequence[str]], Iterable["Item"]]
Redactor = Callable[[Session, int, Sequence[str], Redact], int]


@dataclass(frozen=True)
class Item:
    key: str
    where: str
    owner_id: int | None
    text: str


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


@dataclass(frozen=True)
class Fields:
    """A table whose text columns are searched and redacted in place."""

    model: Any  # a mapped class with an integer `id`
    prefix: str
    fields: dict[str, str]  # column → French label
    json_fields: frozenset[str] = frozenset()

    def texts(self, row: Any) -> Iterable[tuple[str, str, str]]:
        """(key, label, text) of each non-empty field of `row`."""
        for name, label in self.fields.items():
            value = getattr(row, name)
            text = json_strings(value) if name in self.json_fields else (value or "")
            if text:
                yield f"{self.prefix}:{row.id}:{name}", label, text

    def filter(self, anchors: Sequence[str]) -> Any:
        return or_(*(like_any(getattr(self.model, n), anchors) for n in self.fields))

    def redact(
        self,
        db: Session,
        keys: Sequence[str],
        redact: Redact,
        allowed: Any,
        changed: set[int] | None = None,
    ) -> int:
        """Redact the fields `keys` name in the rows `allowed` selects (the tenant filter);
        the ids of the rows changed are added to `changed`."""
        wanted: dict[int, set[str]] = {}
        for key in keys:
            prefix, ident, name = [*key.split(":"), "", ""][:3]
            if prefix == self.prefix and ident.isdigit() and name in self.fields:
                wanted.setdefault(int(ident), set()).add(name)
        if not wanted:
            return 0
        rows = db.scalars(select(self.model).where(self.model.id.in_(wanted), allowed))
        total = 0
        for row in rows:
            for name in wanted[row.id]:
                value = getattr(row, name)
                if name in self.json_fields:
                    new, count = redact_json(value, redact)
                else:
                    new, count = redact(value or "")
                if count:
                    length = getattr(self.model.__table__.c[name].type, "length", None)
                    setattr(row, name, new[:length] if length else new)
                    total += count
                    if changed is not None:
                        changed.add(row.id)
        db.flush()
        return total
