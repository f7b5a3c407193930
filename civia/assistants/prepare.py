"""From what the agent submitted to what a run needs: checked values, the uploaded files read,
the collections' passages found, and how the run proceeds.

- "stream": one model call streamed to the page (files and passages go inline in the prompt,
  after a check that it all fits in the model's context);
- "document": a text assistant given a file works through it part by part in a background job
  (a 60-page document does not fit in one prompt);
- "tables": the file's tables, found by a library: no model call.

Used by the web form and by `/v1/chat/completions`, so both accept the same inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants import budget, files, grounded
from civia.assistants.inputs import InputError, alternatives, validate_inputs
from civia.assistants.spec import AssistantSpec, FieldKind
from civia.chat.gateway import Resolved
from civia.documents.embedding import Embedder
from civia.documents.permissions import readable_collection_ids

MAX_PASSAGE_CHARS = 3_000  # of extracts per collection field: leaves room for the rest


@dataclass
class Upload:
    filename: str
    data: bytes


@dataclass
class Prepared:
    values: dict[str, str]  # what the prompt sees (file text, extracts)
    inputs: dict[str, str]  # what is stored and shown as « Vos saisies »
    attachments: dict[str, Any] = field(default_factory=dict)
    mode: Literal["stream", "document", "tables"] = "stream"
    warning: str = ""

    @property
    def sources(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.attachments.get("sources", [])
        return found


def prepare(
    db: Session,
    *,
    user: User,
    spec: AssistantSpec,
    raw: dict[str, str],
    uploads: dict[str, Upload] | None = None,
    context: dict[str, Any],
    target: Resolved | None,
    embedder: Embedder | None,
    max_bytes: int,
) -> Prepared:
    uploads = uploads or {}
    given = {**raw, **{name: up.filename for name, up in uploads.items()}}
    values = validate_inputs(spec, given)  # raises InputError
    prepared = Prepared(values=dict(values), inputs=dict(values))
    errors: dict[str, str] = {}
    for f in spec.fields_of(FieldKind.FILE):
        upload = uploads.get(f.name)
        if upload is None:
            continue
        try:
            read = files.read_tables if spec.output.kind == "tables" else files.read_document
            prepared.attachments[f.name] = read(upload.data, upload.filename, max_bytes=max_bytes)
        except files.FileFieldError as exc:
            errors[f.name] = str(exc)
    _collections(db, user, spec, prepared, embedder, errors)
    if errors:
        raise InputError(errors)
    file_fields = [f.name for f in spec.fields_of(FieldKind.FILE) if f.name in prepared.attachments]
    if spec.output.kind == "tables":
        prepared.mode = "tables"
        return prepared
    if spec.output.kind == "text" and file_fields:
        prepared.mode = "document"
        prepared.values = prompt_values(spec, prepared.inputs, prepared.attachments)
        return prepared
    for name in file_fields:
        prepared.values[name] = files.markdown(prepared.attachments[name])
    if target is not None:
        budget.check_fits(
            spec, prepared.values, context=context, target=target, sources=prepared.sources
        )
    return prepared


def _collections(
    db: Session,
    user: User,
    spec: AssistantSpec,
    prepared: Prepared,
    embedder: Embedder | None,
    errors: dict[str, str],
) -> None:
    fields = spec.fields_of(FieldKind.COLLECTION)
    if not fields:
        return
    readable = set(readable_collection_ids(db, user))
    query = grounded.query_of(spec, prepared.values)
    sources: list[dict[str, Any]] = []
    for f in fields:
        chosen = grounded.chosen_collection(f, prepared.values.get(f.name, ""))
        if chosen is None:
            prepared.values[f.name] = ""
            continue
        if chosen not in readable:
            if f.collection_id is None:  # the agent picked it: say so
                errors[f.name] = "Choisissez une collection que vous pouvez consulter."
            else:  # fixed by the référent: the agent simply gets nothing from it
                prepared.values[f.name] = grounded.NO_PASSAGE_FR
                prepared.attachments.setdefault("passages", {})[f.name] = grounded.NO_PASSAGE_FR
                prepared.warning = (
                    "La collection de documents attachée à cet assistant ne vous est pas "
                    "accessible : le résultat ne s'appuie sur aucun de ses documents."
                )
            continue
        block, found = grounded.passages(
            db, user, collection_id=chosen, query=query, embedder=embedder,
            max_chars=MAX_PASSAGE_CHARS, first_number=len(sources) + 1,
        )  # fmt: skip
        prepared.values[f.name] = block
        prepared.attachments.setdefault("passages", {})[f.name] = block
        sources.extend(found)
    prepared.attachments["sources"] = sources


def prompt_values(
    spec: AssistantSpec, inputs: dict[str, str], attachments: dict[str, Any]
) -> dict[str, str]:
    """A stored run's values as its prompt sees them (file text and extracts put back)."""
    values = dict(inputs)
    file_given = False
    for f in spec.fields_of(FieldKind.FILE):
        if f.name in attachments:
            values[f.name] = files.markdown(attachments[f.name])
            file_given = True
    if file_given and spec.output.kind == "text":  # the document replaces a pasted text
        for f in alternatives(spec):
            if f.kind is FieldKind.LONG_TEXT:
                values[f.name] = ""
    for name, block in (attachments.get("passages") or {}).items():
        values[name] = block
    return values
