"""HTML pages to text blocks with their heading path (selectolax, offline, MIT)."""

from __future__ import annotations

from typing import Any

from selectolax.lexbor import LexborHTMLParser

from civia.documents.errors import CorruptedFileError
from civia.documents.extract.base import Block, Extracted, HeadingTracker, clean, stem_title
from civia.documents.extract.text import decode

_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "svg",
    "iframe",
    "button",
    "select",
    "head",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LEAVES = {
    "p",
    "li",
    "pre",
    "blockquote",
    "dt",
    "dd",
    "caption",
    "figcaption",
    "address",
    "summary",
}
_ROW = "tr"
_BREAKING = {
    "div",
    "section",
    "article",
    "main",
    "body",
    "ul",
    "ol",
    "dl",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "details",
    "figure",
    "html",
    "br",
    "hr",
}


def extract_html(data: bytes, filename: str) -> Extracted:
    tree = LexborHTMLParser(decode(data, filename))
    title_node = tree.css_first("title")
    title = clean(title_node.text()) if title_node is not None else ""
    tracker = HeadingTracker()
    blocks: list[Block] = []
    inline: list[str] = []

    def flush() -> None:
        text = clean(" ".join(inline))
        inline.clear()
        if text:
            blocks.append(Block(text, tracker.path))

    def walk(node: Any) -> None:
        nonlocal title
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                inline.append(child.text(deep=False) or "")
            elif tag in _SKIP or tag == "-comment":
                continue
            elif tag in _HEADINGS:
                flush()
                text = clean(child.text(separator=" "))
                if text:
                    if _HEADINGS[tag] == 1:
                        title = title or text
                    tracker.push(_HEADINGS[tag], text)
                    blocks.append(Block(text, tracker.path, kind="heading"))
            elif tag in _LEAVES:
                flush()
                _strip_skipped(child)
                text = clean(child.text(separator=" "))
                if text:
                    blocks.append(Block(text, tracker.path))
            elif tag == _ROW:
                flush()
                cells = [clean(cell.text(separator=" ")) for cell in child.css("th, td")]
                text = " | ".join(cell for cell in cells if cell)
                if text:
                    blocks.append(Block(text, tracker.path, kind="table"))
            else:
                if tag in _BREAKING:
                    flush()
                walk(child)
                if tag in _BREAKING:
                    flush()

    root = tree.body or tree.root
    try:
        if root is not None:
            walk(root)
    except RecursionError as exc:  # absurdly deep nesting: a generated or hostile page
        raise CorruptedFileError(filename, "la page HTML") from exc
    flush()
    return Extracted(title=title or stem_title(filename), mime="text/html", blocks=blocks)


def _strip_skipped(node: Any) -> None:
    for tag in _SKIP:
        for bad in node.css(tag):
            bad.decompose()
