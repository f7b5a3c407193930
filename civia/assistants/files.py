"""File fields: an uploaded document read into blocks (headings, paragraphs, tables).

Text and headings come from `civia.documents.extract`; tables keep their rows and columns
through `civia.documents.extract.tables` (the text extractor flattens them), so a translated
document comes back with its tables. The size limit is checked while the upload is read.
"""

from __future__ import annotations

import re
from typing import IO, Any

from civia.documents.errors import DocumentError, EmptyFileError
from civia.documents.extract import Limits, detect_format, extract
from civia.documents.extract.tables import FoundTable, NoTableError, extract_tables
from civia.documents.ingest import read_limited

ACCEPT = ".pdf,.docx,.odt,.xlsx,.csv,.html,.htm,.md,.txt"
ACCEPT_FR = "PDF, Word (DOCX), OpenDocument (ODT), Excel (XLSX), CSV, HTML, texte"
MAX_BATCH_CHARS = 2_400  # source characters per model call when a file is processed in parts


class FileFieldError(ValueError):
    """A French message about one uploaded file."""


def read_upload(stream: IO[bytes], filename: str, *, max_bytes: int) -> bytes:
    try:
        data = read_limited(stream, filename, max_bytes)
    except DocumentError as exc:
        raise FileFieldError(exc.message_fr) from None
    if not data.strip():
        raise FileFieldError(EmptyFileError(filename).message_fr)
    return data


def read_document(data: bytes, filename: str, *, max_bytes: int) -> dict[str, Any]:
    """The attachment stored on the run: name, format, pages and blocks in reading order."""
    limits = Limits(max_bytes=max_bytes)
    try:
        fmt = detect_format(data, filename)
        extracted = extract(data, filename, limits=limits)
    except DocumentError as exc:
        raise FileFieldError(exc.message_fr) from None
    tables: list[FoundTable] = []
    if fmt in ("docx", "odt", "xlsx", "csv"):
        try:
            tables = extract_tables(data, filename, limits=limits)
        except DocumentError:  # NoTableError, or a table the text extractor read anyway
            tables = []
    blocks = _blocks(extracted.blocks, tables, fmt)
    return {
        "kind": "file",
        "filename": filename[:200],
        "format": fmt,
        "pages": extracted.pages,
        "chars": sum(len(b.get("text", "")) for b in blocks),
        "truncated": "truncated_at_chars" in extracted.meta,
        "blocks": blocks,
    }


def read_tables(data: bytes, filename: str, *, max_bytes: int) -> dict[str, Any]:
    """The attachment of a table extraction: every table with its page or sheet."""
    try:
        found = extract_tables(data, filename, limits=Limits(max_bytes=max_bytes))
    except NoTableError as exc:
        raise FileFieldError(exc.message_fr) from None
    except DocumentError as exc:
        raise FileFieldError(exc.message_fr) from None
    return {
        "kind": "tables",
        "filename": filename[:200],
        "format": detect_format(data, filename),
        "tables": [t.to_dict() for t in found],
    }


def _table_block(table: FoundTable) -> dict[str, Any]:
    return {"kind": "table", "header": table.header, "rows": table.rows, "page": table.page}


def _blocks(extracted: list[Any], tables: list[FoundTable], fmt: str) -> list[dict[str, Any]]:
    if fmt in ("xlsx", "csv") and tables:
        out: list[dict[str, Any]] = []
        for table in tables:
            title = table.sheet or table.caption
            if title:
                out.append({"kind": "heading", "level": 2, "text": title})
            out.append(_table_block(table))
        return out
    # Consecutive "table" blocks of the text extractor are one table (it splits long ones);
    # they are replaced by the real grids when both extractors found as many tables.
    slots = sum(
        1
        for i, b in enumerate(extracted)
        if b.kind == "table" and (i == 0 or extracted[i - 1].kind != "table")
    )
    grids = iter(tables) if slots == len(tables) else None
    out = []
    for index, block in enumerate(extracted):
        if block.kind == "table" and grids is not None:
            if index == 0 or extracted[index - 1].kind != "table":
                out.append(_table_block(next(grids)))
            continue
        if block.kind == "heading":
            level = max(1, min(len(block.headings) or 1, 3))
            out.append({"kind": "heading", "level": level, "text": block.text, "page": block.page})
        else:
            out.append({"kind": "paragraph", "text": block.text, "page": block.page})
    return out


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def table_markdown(header: list[str], rows: list[list[str]]) -> str:
    width = max([len(header), *(len(r) for r in rows)], default=1)
    pad = lambda r: [*(_cell(c) for c in r), *[""] * (width - len(r))]  # noqa: E731
    lines = ["| " + " | ".join(pad(header)) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(pad(r)) + " |" for r in rows]
    return "\n".join(lines)


def block_markdown(block: dict[str, Any]) -> str:
    if block["kind"] == "heading":
        return f"{'#' * int(block.get('level', 1))} {block['text']}"
    if block["kind"] == "table":
        return table_markdown(block["header"], block["rows"])
    return str(block["text"])


def markdown(attachment: dict[str, Any]) -> str:
    return "\n\n".join(block_markdown(b) for b in attachment.get("blocks", []))


def batches(blocks: list[dict[str, Any]], max_chars: int = MAX_BATCH_CHARS) -> list[str]:
    """Markdown parts of at most ~`max_chars`, cut between blocks; a long table is cut between
    rows (its header repeated), a long paragraph between sentences."""
    pieces: list[str] = []
    for block in blocks:
        if block["kind"] == "table":
            pieces.extend(_table_pieces(block, max_chars))
        elif block["kind"] == "paragraph" and len(block["text"]) > max_chars:
            pieces.extend(_sentence_pieces(block["text"], max_chars))
        else:
            pieces.append(block_markdown(block))
    parts: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) + 2 > max_chars:
            parts.append(current)
            current = ""
        current = f"{current}\n\n{piece}" if current else piece
    if current:
        parts.append(current)
    return parts


def _table_pieces(block: dict[str, Any], max_chars: int) -> list[str]:
    header, rows = block["header"], block["rows"]
    pieces, chunk = [], []
    for row in rows:
        chunk.append(row)
        if len(table_markdown(header, chunk)) > max_chars and len(chunk) > 1:
            pieces.append(table_markdown(header, chunk[:-1]))
            chunk = [row]
    pieces.append(table_markdown(header, chunk))
    return pieces


def _sentence_pieces(text: str, max_chars: int) -> list[str]:
    sentences = re.split(r"(?<=[.!?;])\s+", text)
    pieces, current = [], ""
    for sentence in sentences:
        while len(sentence) > max_chars:  # no sentence end for a long stretch: cut at a space
            cut = sentence.rfind(" ", 0, max_chars)
            cut = cut if cut > max_chars // 2 else max_chars
            pieces.append(f"{current} {sentence[:cut]}".strip())
            current, sentence = "", sentence[cut:].strip()
        if current and len(current) + len(sentence) + 1 > max_chars:
            pieces.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces
