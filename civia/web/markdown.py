"""Markdown from models rendered to HTML, then sanitised (raw HTML is never trusted)."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# A line break the model wrote is kept (`breaks`), as the Word and OpenDocument exports keep it:
# the preview shows the document the agent will download (a FALC text, one sentence per line).
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable("table")
_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
}


def render(text: str) -> str:
    return nh3.clean(
        _md.render(text),
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "th": {"style"}, "td": {"style"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def readable_draft(partial: str) -> str:
    """A structured result's JSON as it streams, shown as the text of its values (one paragraph
    each), never braces nor field names; plain text is returned as is. The same reading as
    `readableDraft` in civia.js, for the page rendered by the server (and without JavaScript)."""
    if not partial.lstrip().startswith("{"):
        return partial
    values: list[str] = []
    stack: list[str] = []
    expect_key = False
    i = 0
    while i < len(partial):
        c = partial[i]
        if c in "{[":
            stack.append(c)
            expect_key = c == "{"
        elif c in "}]":
            if stack:
                stack.pop()
            expect_key = False
        elif c == ",":
            expect_key = bool(stack) and stack[-1] == "{"
        elif c == ":":
            expect_key = False
        elif c == '"':
            value, i = _string_at(partial, i + 1)
            if not expect_key and value.strip():
                values.append(value)
        i += 1
    return "\n\n".join(values)


def _string_at(text: str, i: int) -> tuple[str, int]:
    """The (possibly unfinished) JSON string starting at `i`; its closing quote's index."""
    out = []
    while i < len(text) and text[i] != '"':
        if text[i] == "\\" and i + 1 < len(text):
            escaped = text[i + 1]
            out.append({"n": "\n", "t": " "}.get(escaped, escaped))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out), i
