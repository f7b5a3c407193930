"""HTML export: one self-contained, accessible page (for a website's FAQ, an intranet).

Everything is escaped (the text comes from a model and an agent); no script, no external
resource. The transparency mention closes the page, and the `civia:*` provenance is carried as
`<meta>` tags, as the other formats carry it in their document properties.
"""

from __future__ import annotations

from html import escape

from civia.assistants.document import Bullets, Heading, Notes, OfficialDocument, Paragraph, Table
from civia.assistants.renderers import _common as common

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#161616}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #929292;padding:.4rem;text-align:left;vertical-align:top}"
    "th{background:#e3e3fd}.mention{border-top:1px solid #929292;margin-top:2rem;"
    "padding-top:1rem;font-size:.9rem;color:#3a3a3a}"
)


def _lines(text: str) -> str:
    return "<br>".join(escape(line) for line in common.clean(text).split("\n"))


def _block(block: object) -> str:
    if isinstance(block, Heading):
        level = max(block.level, 2)  # the page's only <h1> is the document's title
        return f"<h{level}>{_lines(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        body = _lines(block.text)
        return f"<p><strong>{body}</strong></p>" if block.bold else f"<p>{body}</p>"
    if isinstance(block, Bullets):
        items = "".join(f"<li>{_lines(i)}</li>" for i in common.bullet_items(block))
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        grid = common.grid(block)
        head = "".join(f'<th scope="col">{_lines(c)}</th>' for c in grid.header)
        rows = "".join(
            "<tr>" + "".join(f"<td>{_lines(c)}</td>" for c in row) + "</tr>" for row in grid.rows
        )
        caption = f"<caption>{_lines(grid.caption)}</caption>" if grid.caption else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(block, Notes):
        return ""
    return ""


def _meta(value: bool | str) -> str:
    return str(value).lower() if isinstance(value, bool) else value


def render(doc: OfficialDocument) -> bytes:
    props = common.custom_properties(doc.provenance)
    metas = "".join(
        f'<meta name="{escape(name)}" content="{escape(_meta(value))}">'
        for name, value in props.items()
    )
    title = escape(common.one_line(doc.title))
    header = ""
    if doc.letterhead is not None:
        name = f"<p><strong>{_lines(doc.letterhead.collectivite)}</strong></p>"
        lines = name + "".join(f"<p>{_lines(line)}</p>" for line in common.letterhead_lines(doc))
        header = f"<header>{lines}</header>"
    blocks = list(doc.blocks)
    if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
        title_html, blocks = _lines(blocks[0].text), blocks[1:]
    else:
        title_html = title
    body = f"{header}<h1>{title_html}</h1>" + "".join(_block(b) for b in blocks)
    page = (
        f'<!doctype html><html lang="{escape(doc.language[:2])}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>{metas}<style>{_STYLE}</style></head><body><main>{body}"
        f'<p class="mention">{escape(common.mention(doc))}</p></main></body></html>\n'
    )
    return page.encode("utf-8")
