"""Helpers shared by every renderer: text cleaning, ragged tables, French numbers, the logo and
the machine-readable provenance written into each file."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from civia.assistants.document import Bullets, OfficialDocument, Provenance, Table

log = logging.getLogger(__name__)

# Characters XML 1.0 cannot carry (C0 controls but tab/newlines, lone surrogates, U+FFFE/FFFF):
# python-docx, python-pptx, odfpy and openpyxl raise or write broken files on them.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """Text safe for any XML-based format: illegal characters dropped, nothing else changed."""
    return _XML_ILLEGAL.sub("", text)


def one_line(text: str) -> str:
    """Clean text on a single line (metadata fields, CSV comments, sheet names)."""
    return " ".join(clean(text).split())


# --- tables -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """A table made rectangular: every row has `width` cells, header included."""

    header: list[str]
    rows: list[list[str]]
    caption: str

    @property
    def width(self) -> int:
        return len(self.header)


def grid(table: Table) -> Grid:
    """Pad ragged rows (and a short header) with empty cells so every format gets a rectangle."""
    width = max([len(table.header), *(len(row) for row in table.rows)])
    header = [clean(cell) for cell in table.header] + [""] * (width - len(table.header))
    rows = [[clean(cell) for cell in row] + [""] * (width - len(row)) for row in table.rows]
    return Grid(header=header, rows=rows, caption=clean(table.caption))


def tables(doc: OfficialDocument) -> list[Grid]:
    """The document's non-empty tables, in order."""
    return [g for g in (grid(b) for b in doc.blocks if isinstance(b, Table)) if g.width]


# --- French numbers ---------------------------------------------------------------------------

_NUMBER = re.compile(
    r"""^(?P<sign>[-+\u2212]?)\s*
    (?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)   # 1 234 567 (any space kind) or 1234567
    (?:[,.](?P<frac>\d+))?                         # ,56 (French) or .56 (tolerated)
    \s*(?P<unit>%|€|EUR)?$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Number:
    value: int | float
    kind: str  # "plain", "percent" or "euro"
    decimals: int
    grouped: bool  # written with thousands separators


def parse_number(text: str) -> Number | None:
    """Read "1 234,56", "12,5 %", "-3", "1 200 €" as numbers; None for anything else.

    Identifiers stay text: leading zeros ("06000", a postcode), more than 12 digits in a row
    (SIRET, phone), and anything with letters or several separators.
    """
    match = _NUMBER.match(text.strip())
    if not match:
        return None
    digits = re.sub(r"\D", "", match["int"])
    if (len(digits) > 1 and digits.startswith("0")) or len(digits) > 12:
        return None
    frac = match["frac"] or ""
    negative = match["sign"] in ("-", "\u2212")
    value: int | float = float(f"{digits}.{frac}") if frac else int(digits)
    if negative:
        value = -value
    unit, grouped = match["unit"], len(digits) != len(match["int"])
    if unit == "%":
        return Number(round(value / 100, len(frac) + 2), "percent", len(frac), grouped)
    return Number(value, "euro" if unit else "plain", len(frac), grouped)


# --- logo -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Logo:
    png: bytes
    width_px: int
    height_px: int

    @property
    def aspect(self) -> float:
        return self.height_px / self.width_px


def logo(doc: OfficialDocument) -> Logo | None:
    """The letterhead logo re-encoded as a plain RGBA PNG, or None when absent or unreadable.

    A broken image must not cost the agent the document: it is logged and left out.
    """
    if doc.letterhead is None or not doc.letterhead.logo_png:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(doc.letterhead.logo_png)) as image:
            image.load()
            out = io.BytesIO()
            image.convert("RGBA").save(out, format="PNG")
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        log.warning("letterhead logo ignored, not a readable image: %s", exc)
        return None
    if not width or not height:
        return None
    return Logo(out.getvalue(), width, height)


def letterhead_lines(doc: OfficialDocument) -> list[str]:
    """Letterhead text under the collectivité's name: service, address, contact."""
    head = doc.letterhead
    if head is None:
        return []
    contact = " · ".join(one_line(x) for x in (head.phone, head.email) if x.strip())
    lines = [
        one_line(head.service),
        *clean(head.address).splitlines(),
        contact,
        one_line(head.extra),
    ]
    return [line.strip() for line in lines if line.strip()]


# --- provenance -------------------------------------------------------------------------------

KEYWORDS = ["IA", "intelligence artificielle", "assisté par IA", "Civia"]


def mention(doc: OfficialDocument) -> str:
    return one_line(doc.provenance.mention)


def keywords(doc: OfficialDocument) -> list[str]:
    return [*KEYWORDS, one_line(doc.provenance.assistant_name)]


def subject(doc: OfficialDocument) -> str:
    return f"Document assisté par IA — assistant « {one_line(doc.provenance.assistant_name)} »"


def iso(moment: datetime | None) -> str:
    """ISO 8601 to the second; aware times in UTC with a Z, naive ones as given."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return moment.isoformat(timespec="seconds")


def custom_properties(provenance: Provenance) -> dict[str, bool | str]:
    """The `civia:*` properties every exported file carries, in a stable order.

    `validated_at` is an ISO 8601 string ("" for a draft) rather than a typed date so that the
    value reads the same in DOCX, ODT, PPTX and XLSX and an empty draft value stays possible.
    """
    return {
        "civia:ai_assisted": True,
        "civia:assistant_id": one_line(provenance.assistant_id),
        "civia:assistant_name": one_line(provenance.assistant_name),
        "civia:model": one_line(provenance.model),
        "civia:validated_by": one_line(provenance.validated_by),
        "civia:validated_at": iso(provenance.validated_at),
    }


# --- colour -----------------------------------------------------------------------------------


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16)


def text_on(hex_colour: str) -> tuple[int, int, int]:
    """Black or white, whichever reads better on the given background (WCAG luminance)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb(hex_colour))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return (0, 0, 0) if luminance > 0.179 else (255, 255, 255)


def bullet_items(block: Bullets) -> list[str]:
    """The list's items, cleaned, without the empty ones (an empty bullet is only noise)."""
    return [text for text in (clean(item).strip() for item in block.items) if text]
