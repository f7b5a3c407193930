"""Grounding: the passages an answer may rest on, numbered so the model can cite them.

Chat with a document and assistants with a collection field both go through `ground`: it keeps
only what the user may read (the permission filter is part of the search), and returns sources
that know how to print themselves in a prompt and link back to the passage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.documents.analysis import terms
from civia.documents.embedding import Embedder
from civia.documents.errors import EmptyQueryError
from civia.documents.lexical import query_terms
from civia.documents.permissions import readable_collection_ids
from civia.documents.search import Hit, search

GROUNDED_INSTRUCTIONS = (
    "Réponds uniquement à partir des extraits numérotés fournis. Après chaque affirmation, "
    "cite l'extrait utilisé entre crochets, par exemple [1] ou [2][3]. Si les extraits ne "
    "contiennent pas la réponse, réponds exactement : « " + "{not_found}" + " » et rien d'autre. "
    "N'invente rien."
)
NOT_FOUND_FR = "Je ne trouve pas cette information dans les documents fournis."


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[A-ZÀ-ÖØ-Þ0-9«(])")


def _best_sentence_start(text: str, near: str) -> int:
    """Offset of the sentence of `text` sharing the most index terms with `near`."""
    wanted = set(terms(near))
    best, best_score, offset = 0, 0, 0
    for sentence in _SENTENCE_END.split(text):
        score = len(wanted & set(terms(sentence)))
        if score > best_score:
            best, best_score = offset, score
        offset += len(sentence) + 1
    return best


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
    # How well the passage matches the question, in absolute terms (see `Relevance`).
    dense_score: float | None = None
    coverage: float = 0.0

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

    def quote(self, limit: int = 300, near: str = "") -> str:
        """The passage, or the part of it that best matches `near` (the answer's sentences
        citing it): the cited sentence rather than the start of a long passage."""
        text = " ".join(self.text.split())
        if len(text) <= limit:
            return text
        start = _best_sentence_start(text, near) if near else 0
        part = text[start:]
        cut = part if len(part) <= limit else part[: limit - 1].rsplit(" ", 1)[0] + " …"
        return ("… " if start else "") + cut


@dataclass(frozen=True)
class Relevance:
    """When a passage is too weak a match to answer from: search always returns its best
    passages, even for a question the documents do not answer. A passage counts when its
    cosine similarity to the question reaches `min_dense`, or when it holds at least
    `min_coverage` of the question's (stemmed) terms. Chosen on the shared dev sets with
    bench/bench_documents_chat.py (bench/results/documents-chat.md)."""

    min_dense: float = 0.83
    min_coverage: float = 0.6

    def accepts(self, source: Source) -> bool:
        if source.dense_score is not None and source.dense_score >= self.min_dense:
            return True
        return source.coverage >= self.min_coverage


DEFAULT_RELEVANCE = Relevance()


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

    def relevant_only(self, relevance: Relevance = DEFAULT_RELEVANCE) -> Grounding:
        """The sources that are strong enough matches, numbered again from 1. When none is,
        `found` is False: the answer is `NOT_FOUND_FR`, without asking a model to invent."""
        kept = [s for s in self.sources if relevance.accepts(s)]
        return Grounding(self.query, [replace(s, number=n) for n, s in enumerate(kept, start=1)])

    def by_number(self, number: int) -> Source | None:
        return next((s for s in self.sources if s.number == number), None)


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
    wanted = set(query_terms(query))
    return Grounding(query, [source_of(n, hit, wanted) for n, hit in enumerate(hits, start=1)])


def _coverage(hit: Hit, wanted: set[str]) -> float:
    if not wanted:
        return 0.0
    found = set(terms(f"{hit.title} {hit.heading} {hit.text}"))
    return len(wanted & found) / len(wanted)


def source_of(number: int, hit: Hit, wanted: set[str]) -> Source:
    """A search hit as the numbered source of an answer, with the share of the question's
    terms it holds (`wanted`)."""
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
        dense_score=hit.dense_score,
        coverage=_coverage(hit, wanted),
    )
