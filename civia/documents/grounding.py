"""Grounding: the passages an answer may rest on, numbered so the model can cite them.

Chat with a document and assistants with a collection field both go through `ground`: it keeps
only what the user may read (the permission filter is part of the search), and returns sources
that know how to print themselves in a prompt and link back to the passage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from civia.db.models import User
from civia.documents.embedding import Embedder
from civia.documents.errors import EmptyQueryError
from civia.documents.permissions import readable_collection_ids
from civia.documents.search import Hit, search

GROUNDED_INSTRUCTIONS = (
    "Réponds uniquement à partir des extraits numérotés fournis. Après chaque affirmation, "
    "cite l'extrait utilisé entre crochets, par exemple [1] ou [2][3]. Si les extraits ne "
    "contiennent pas la réponse, réponds exactement : « " + "{not_found}" + " » et rien d'autre. "
    "N'invente rien."
)
NOT_FOUND_FR = "Je ne trouve pas cette information dans les documents fournis."


@dataclass(frozen=True)
class Source:
    """One numbered passage: what the prompt shows and what a citation links to."""

    number: int
    document_id: int
    chunk_id: int
    ordinal: int
    title: str
    heading: str
    page: int | None
    page_end: int | None
    text: str

    @property
    def where(self) -> str:
        """« p. 3 », « p. 3-4 », the section, or both."""
        parts = []
        if self.page is not None:
            pages = f"{self.page}-{self.page_end}" if self.page_end not in (None, self.page) else ""
            parts.append(f"p. {pages or self.page}")
        if self.heading:
            parts.append(self.heading)
        return ", ".join(parts)

    @property
    def url(self) -> str:
        return f"/documents/{self.document_id}#passage-{self.ordinal}"

    def quote(self, limit: int = 300) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


@dataclass
class Grounding:
    query: str
    sources: list[Source] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.sources)

    def prompt_block(self, max_chars: int = 6000) -> str:
        """The numbered extracts, trimmed to fit the model's context."""
        blocks, used = [], 0
        for source in self.sources:
            header = f"[{source.number}] {source.title}" + (
                f" ({source.where})" if source.where else ""
            )
            body = source.text.strip()
            room = max_chars - used - len(header) - 2
            if room < 200:
                break
            body = body[:room]
            blocks.append(f"{header}\n{body}")
            used += len(header) + len(body) + 2
        return "\n\n".join(blocks)

    def instructions(self) -> str:
        return GROUNDED_INSTRUCTIONS.format(not_found=NOT_FOUND_FR)


def ground(
    db: Session,
    user: User,
    query: str,
    *,
    embedder: Embedder | None,
    collection_ids: Sequence[int] | None = None,
    document_ids: Sequence[int] | None = None,
    top_k: int = 5,
) -> Grounding:
    """The best passages for `query` among the collections (or documents) asked for, restricted
    to what `user` may read. A query made only of stop words finds nothing."""
    readable = readable_collection_ids(db, user)
    allowed = readable if collection_ids is None else [c for c in readable if c in collection_ids]
    try:
        hits = search(
            db,
            query,
            collection_ids=allowed,
            document_ids=document_ids,
            tenant_id=user.tenant_id,
            embedder=embedder,
            top_k=top_k,
        )
    except EmptyQueryError:
        hits = []
    return Grounding(query, [_source(n, hit) for n, hit in enumerate(hits, start=1)])


def _source(number: int, hit: Hit) -> Source:
    return Source(
        number=number,
        document_id=hit.document_id,
        chunk_id=hit.chunk_id,
        ordinal=hit.ordinal,
        title=hit.title or hit.filename,
        heading=hit.heading,
        page=hit.page,
        page_end=hit.page_end,
        text=hit.text,
    )
