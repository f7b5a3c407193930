"""Split extracted blocks into passages that keep their heading path and page numbers.

Blocks are packed in reading order up to `target_chars`; a new chunk starts when the heading
path or the page changes (so a citation names one section and, mostly, one page) unless the
current chunk is still tiny. A block
longer than `max_chars` is cut at sentence, then word, boundaries; with `balanced`, into
parts of even length (not a full part and a scrap), and with `overlap_chars`, each part after
the first repeats the previous part's last sentences up to that length. Offsets are positions
in the document text obtained by joining the blocks with blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from civia.documents.extract.base import Block

HEADING_SEPARATOR = " > "
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")


@dataclass(frozen=True)
class ChunkSettings:
    target_chars: int = 1000
    max_chars: int = 1600
    min_chars: int = 200
    # Cut a long block into parts of even length rather than full parts and a scrap.
    balanced: bool = False
    # Sentences (up to this many characters) of a cut part repeated at the next one's start.
    overlap_chars: int = 0


@dataclass
class ChunkDraft:
    ordinal: int
    text: str
    headings: tuple[str, ...]
    page: int | None
    page_end: int | None
    char_start: int
    char_end: int
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def heading(self) -> str:
        return HEADING_SEPARATOR.join(self.headings)


@dataclass
class _Piece:
    text: str
    headings: tuple[str, ...]
    page: int | None
    kind: str
    start: int


def _split_long(
    text: str, max_chars: int, *, balanced: bool = False, overlap_chars: int = 0
) -> list[tuple[int, str]]:
    """Cut `text` into (offset, piece) parts no longer than `max_chars`."""
    if len(text) <= max_chars:
        return [(0, text)]
    parts: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + max_chars, len(text))
        if end < len(text):
            window = text[start:end]
            ends = [m.end() for m in _SENTENCE_END.finditer(window)]
            cut = max(ends, default=0)
            if balanced and ends:
                left = len(text) - start
                ideal = left / -(-left // max_chars)  # even parts of what is left
                cut = min(ends, key=lambda e: (abs(e - ideal), -e))
            if cut < max_chars // 3:
                space = window.rfind(" ")
                cut = space + 1 if space > max_chars // 3 else len(window)
            end = start + cut
        piece = text[start:end].strip()
        if piece:
            parts.append((start + (len(text[start:end]) - len(text[start:end].lstrip())), piece))
        if end >= len(text):
            break
        start = _overlap_start(text, start, end, overlap_chars) if overlap_chars else end
    return parts


def _overlap_start(text: str, start: int, end: int, overlap_chars: int) -> int:
    """Where the next part starts so that it repeats the last whole sentences of
    text[start:end] within `overlap_chars` (`end` itself when no sentence fits)."""
    # At most a quarter of a part, so that every part still brings new text.
    floor = max(end - min(overlap_chars, (end - start) // 4), start + 1)
    starts = [m.end() for m in _SENTENCE_END.finditer(text, start, end)]
    fitting = [s for s in starts if floor <= s < end]
    return min(fitting) if fitting else end


def _pieces(blocks: list[Block], settings: ChunkSettings) -> list[_Piece]:
    pieces: list[_Piece] = []
    offset = 0
    for block in blocks:
        cuts = _split_long(
            block.text,
            settings.max_chars,
            balanced=settings.balanced,
            overlap_chars=settings.overlap_chars,
        )
        for rel, text in cuts:
            pieces.append(_Piece(text, block.headings, block.page, block.kind, offset + rel))
        offset += len(block.text) + 2
    return pieces


def chunk_blocks(blocks: list[Block], settings: ChunkSettings | None = None) -> list[ChunkDraft]:
    settings = settings or ChunkSettings()
    drafts: list[ChunkDraft] = []
    current: list[_Piece] = []

    def size() -> int:
        return sum(len(p.text) for p in current) + 2 * max(len(current) - 1, 0)

    def emit() -> None:
        if not current:
            return
        body = [p for p in current if p.kind != "heading"] or current
        pages = sorted({p.page for p in current if p.page is not None})
        headings = body[0].headings
        drafts.append(
            ChunkDraft(
                ordinal=len(drafts),
                text="\n\n".join(p.text for p in current),
                headings=headings,
                page=pages[0] if pages else None,
                page_end=pages[-1] if pages else None,
                char_start=current[0].start,
                char_end=current[-1].start + len(current[-1].text),
                meta={
                    "pages": pages,
                    "kinds": sorted({p.kind for p in current}),
                    "sections": sorted({HEADING_SEPARATOR.join(p.headings) for p in current}),
                },
            )
        )
        current.clear()

    for piece in _pieces(blocks, settings):
        if current:
            new_section = (
                piece.headings != current[-1].headings
                and (piece.kind == "heading" or size() >= settings.min_chars)
            ) or (piece.page != current[-1].page and size() >= settings.min_chars)
            only_headings = all(p.kind == "heading" for p in current)
            grown = size() + 2 + len(piece.text)
            starts_next = new_section or grown > settings.target_chars
            # A heading alone stays with the text that follows, up to max_chars.
            if (starts_next and not only_headings) or grown > settings.max_chars:
                emit()
        current.append(piece)
    emit()
    return drafts
