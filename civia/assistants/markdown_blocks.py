"""Turn a validated Markdown draft into document blocks for the renderers."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from civia.assistants.document import Block, Bullets, Heading, Notes, Paragraph, Table

_md = MarkdownIt("commonmark").enable("table")
_NOTES = re.compile(r"^notes?\s*:\s*", re.IGNORECASE)


def _plain(inline: Token) -> str:
    """Inline text without Markdown markers; <br> becomes a line break."""
    out = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
            child.type == "html_inline" and child.content.lower().startswith("<br")
        ):
            out.append("\n")
    return "".join(out).strip()


def to_blocks(markdown: str) -> list[Block]:
    tokens = _md.parse(markdown)
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            blocks.append(Heading(text=_plain(tokens[i + 1]), level=min(int(tok.tag[1]), 3)))
            i += 3
        elif tok.type == "paragraph_open" and not tok.hidden:
            inline = tokens[i + 1]
            kids = [c for c in inline.children or [] if c.type != "text" or c.content.strip()]
            bold = bool(kids) and kids[0].type == "strong_open" and kids[-1].type == "strong_close"
            blocks.append(Paragraph(text=_plain(inline), bold=bold))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            items, i = _list_items(tokens, i)
            blocks.append(Bullets(items=items))
        elif tok.type == "table_open":
            table, i = _table(tokens, i)
            blocks.append(table)
        elif tok.type == "blockquote_open":
            end = _close(tokens, i, "blockquote_close")
            text = "\n".join(_plain(t) for t in tokens[i:end] if t.type == "inline")
            blocks.append(
                Notes(text=_NOTES.sub("", text)) if _NOTES.match(text) else Paragraph(text=text)
            )
            i = end + 1
        else:
            i += 1
    return blocks


def _close(tokens: list[Token], start: int, kind: str) -> int:
    depth = 0
    for j in range(start, len(tokens)):
        if tokens[j].type == tokens[start].type:
            depth += 1
        elif tokens[j].type == kind:
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def _list_items(tokens: list[Token], start: int) -> tuple[list[str], int]:
    end = _close(tokens, start, tokens[start].type.replace("_open", "_close"))
    items = [_plain(t) for t in tokens[start:end] if t.type == "inline"]
    return items, end + 1


def _table(tokens: list[Token], start: int) -> tuple[Table, int]:
    end = _close(tokens, start, "table_close")
    header: list[str] = []
    rows: list[list[str]] = []
    in_head = False
    for tok in tokens[start:end]:
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open" and not in_head:
            rows.append([])
        elif tok.type == "inline":
            (header if in_head else rows[-1]).append(_plain(tok))
    return Table(header=header, rows=rows), end + 1
