"""Collection fields: the passages of a document collection an assistant's prompt rests on.

The agent picks one of the collections they may read (or the référent fixed one in the
builder); `ground` keeps only what this agent may read, whoever attached the collection. The
numbered passages go into the prompt, and their title, page and link are kept on the run so
that the result can cite them (« [2] » → the document, page, and a link to the passage).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants.spec import AssistantSpec, FieldKind, FormField
from civia.documents.embedding import Embedder
from civia.documents.grounding import ground
from civia.documents.models import Collection
from civia.documents.permissions import readable_collection_ids

TOP_K = 6
MAX_QUERY_CHARS = 600
NO_PASSAGE_FR = "(aucun extrait pertinent trouvé dans la collection)"


def readable(db: Session, user: User) -> list[Collection]:
    ids = readable_collection_ids(db, user)
    if not ids:
        return []
    stmt = select(Collection).where(Collection.id.in_(ids)).order_by(Collection.name)
    return list(db.scalars(stmt))


def chosen_collection(field: FormField, raw: str) -> int | None:
    """The collection id of a field: the référent's fixed one, else what the agent picked."""
    if field.collection_id is not None:
        return field.collection_id
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() else None


def query_of(spec: AssistantSpec, values: dict[str, str]) -> str:
    """What to search for: the agent's own words (text fields), most specific first."""
    texts = [
        values.get(f.name, "")
        for f in spec.fields
        if f.kind in (FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT)
    ]
    return " ".join(t for t in texts if t).strip()[:MAX_QUERY_CHARS]


def passages(
    db: Session,
    user: User,
    *,
    collection_id: int,
    query: str,
    embedder: Embedder | None,
    max_chars: int,
    first_number: int = 1,
) -> tuple[str, list[dict[str, Any]]]:
    """(the numbered extracts for the prompt, their citation data)."""
    found = ground(
        db, user, query or "informations", embedder=embedder,
        collection_ids=[collection_id], top_k=TOP_K,
    )  # fmt: skip
    if not found.found:
        return NO_PASSAGE_FR, []
    block = found.prompt_block(max_chars=max_chars)
    shown = block.count("\n\n") + 1 if block else 0
    sources = [
        {
            "number": s.number + first_number - 1,
            "title": s.title,
            "where": s.where,
            "url": s.url,
            "quote": s.quote(240),
            "document_id": s.document_id,
        }
        for s in found.sources[:shown]
    ]
    if first_number != 1:  # renumber the prompt's extracts after an earlier field's
        block = re.sub(
            r"^\[(\d+)\]",
            lambda m: f"[{int(m.group(1)) + first_number - 1}]",
            block,
            flags=re.MULTILINE,
        )
    return block, sources


def cite(sources: list[dict[str, Any]], ref: Any) -> str:
    """« [2] » or 2 → a Markdown link to that passage; anything else is returned as text."""
    text = str(ref or "").strip()
    numbers = (
        [int(n) for n in re.findall(r"\d+", text)] if re.fullmatch(r"[\s\[\]\d,]+", text) else []
    )
    by_number = {s["number"]: s for s in sources}
    links = [
        f"[{by_number[n]['title']}{', ' + by_number[n]['where'] if by_number[n]['where'] else ''}]"
        f"({by_number[n]['url']})"
        for n in dict.fromkeys(numbers)
        if n in by_number
    ]
    return " ; ".join(links) if links else text


def cited(sources: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The sources whose number appears as « [n] » in `text`, in order."""
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", text or "")}
    return [s for s in sources if s["number"] in numbers]
