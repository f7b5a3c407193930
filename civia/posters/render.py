"""Posters out: A4 and A3 PDF (fpdf2, vector pictogram) and 1080 × 1080 and 1200 × 630 PNG
(Pillow, pictogram rasterised by resvg), each with its transparency metadata: PDF Info and XMP,
PNG text chunks (produced with AI assistance, assistant, model, date, alternative text).

The fonts are those of the PDF exports (`to_pdf.find_font`: DejaVu Sans from Debian's
fonts-dejavu-core…); characters they cannot draw are left out rather than shown as boxes.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from civia.posters.content import Brand, Poster
from civia.posters.layout import MENTION, RGB, draw
from civia.posters.pictograms import get as pictogram

PT_PER_MM = 72 / 25.4
BASELINE = 0.88  # from the top of a line box to the baseline, in font sizes
KEYWORDS = ["IA", "intelligence artificielle", "assisté par IA", "Civia", "affiche"]


@dataclass(frozen=True)
class Format:
    key: str
    label: str  # French
    width: float
    height: float
    kind: str  # pdf (mm) or png (px)

    @property
    def mime(self) -> str:
        return "application/pdf" if self.kind == "pdf" else "image/png"


FORMATS = {
    f.key: f
    for f in (
        Format("a4", "Affiche A4 (PDF)", 210, 297, "pdf"),
        Format("a3", "Affiche A3 (PDF)", 297, 420, "pdf"),
        Format("carre", "Visuel carré 1080 × 1080 (PNG)", 1080, 1080, "png"),
        Format("paysage", "Visuel 1200 × 630 pour le web et les réseaux (PNG)", 1200, 630, "png"),
    )
}


@dataclass(frozen=True)
class Credits:
    """Who and what made the poster, written into the file."""

    assistant_id: str
    assistant_name: str
    model: str
    author: str
    made_at: datetime
    ai_assisted: bool = True  # False for the demo's hand-written texts

    @property
    def note(self) -> str:
        return MENTION if self.ai_assisted else ""


class UnknownFormat(ValueError):
    def __init__(self, fmt: str) -> None:
        known = ", ".join(FORMATS)
        super().__init__(f"Format inconnu : « {fmt} ». Formats possibles : {known}.")


# --- fonts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fonts:
    regular: str | None
    bold: str | None
    coverage: frozenset[int] | None  # None: the fallback font, Latin-1 only


@cache
def fonts() -> Fonts:
    from fontTools.ttLib import TTFont

    from civia.assistants.renderers.to_pdf import find_font

    found = find_font()
    if found is None:
        return Fonts(None, None, None)
    maps = []
    for path in (found.regular, found.bold):
        font = TTFont(path, lazy=True)
        maps.append(set(font.getBestCmap()))
        font.close()
    return Fonts(str(found.regular), str(found.bold), frozenset(set.intersection(*maps)))


def _known(char: str, coverage: frozenset[int] | None) -> bool:
    if coverage is not None:
        return ord(char) in coverage
    return ord(char) < 256 and unicodedata.category(char)[0] != "C"


def drawable(text: str) -> str:
    """`text` reduced to what the font draws (odd spaces become plain ones)."""
    coverage = fonts().coverage
    out = []
    for char in unicodedata.normalize("NFC", text):
        if unicodedata.category(char) == "Zs":
            out.append(" ")
        elif _known(char, coverage):
            out.append(char)
    return "".join(out)


# --- PDF ----------------------------------------------------------------------------------------


class PdfCanvas:
    def __init__(self, fmt: Format) -> None:
        from fpdf import FPDF

        self.width, self.height = fmt.width, fmt.height
        self.pdf = FPDF(unit="mm", format=(fmt.width, fmt.height))
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        found = fonts()
        if found.regular and found.bold:
            self.pdf.add_font("PosterSans", "", found.regular)
            self.pdf.add_font("PosterSans", "B", found.bold)
            self.family = "PosterSans"
        else:
            self.family = "Helvetica"
        self.pdf.add_page()

    def _font(self, size: float, bold: bool) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size * PT_PER_MM)

    def measure(self, text: str, size: float, bold: bool) -> float:
        self._font(size, bold)
        return float(self.pdf.get_string_width(drawable(text)))

    def rect(self, x: float, y: float, w: float, h: float, colour: RGB) -> None:
        self.pdf.set_fill_color(*colour)
        self.pdf.rect(x, y, w, h, style="F")

    def text(self, x: float, top: float, text: str, size: float, bold: bool, colour: RGB) -> None:
        self._font(size, bold)
        self.pdf.set_text_color(*colour)
        self.pdf.text(x, top + size * BASELINE, drawable(text))

    def image(self, png: bytes, x: float, y: float, w: float, h: float) -> None:
        self.pdf.image(io.BytesIO(png), x=x, y=y, w=w, h=h)

    def svg(self, svg: str, x: float, y: float, size: float) -> None:
        self.pdf.image(io.BytesIO(svg.encode()), x=x, y=y, w=size, h=size)


def keywords(credits: Credits) -> list[str]:
    return KEYWORDS if credits.ai_assisted else ["Civia", "affiche"]


def _xmp(poster: Poster, credits: Credits, properties: dict[str, str]) -> str:
    attrs = " ".join(f"{name}={quoteattr(value)}" for name, value in properties.items())
    words = "".join(f"<rdf:li>{escape(k)}</rdf:li>" for k in keywords(credits))
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:civia="urn:civia:provenance:1.0#" {attrs}>'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(poster.title)}'
        "</rdf:li></rdf:Alt></dc:title>"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(credits.author)}</rdf:li></rdf:Seq></dc:creator>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(poster.alt_text)}'
        "</rdf:li></rdf:Alt></dc:description>"
        f"<dc:subject><rdf:Bag>{words}</rdf:Bag></dc:subject>"
        "<dc:language><rdf:Bag><rdf:li>fr-FR</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def provenance(credits: Credits) -> dict[str, str]:
    """The `civia:*` properties every poster file carries."""
    made = credits.made_at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
    return {
        "civia:ai_assisted": "true" if credits.ai_assisted else "false",
        "civia:assistant_id": credits.assistant_id,
        "civia:assistant_name": credits.assistant_name,
        "civia:model": credits.model,
        "civia:made_at": made + "Z",
    }


def to_pdf(poster: Poster, brand: Brand, fmt: Format, credits: Credits) -> bytes:
    canvas = PdfCanvas(fmt)
    draw(canvas, poster, brand, pictogram(poster.pictogram), credits.note)
    pdf = canvas.pdf
    pdf.set_title(poster.title)
    pdf.set_author(credits.author)
    made_with = "assistée par IA" if credits.ai_assisted else "réalisée avec Civia"
    pdf.set_subject(f"Affiche {made_with} — assistant « {credits.assistant_name} »")
    pdf.set_keywords(", ".join(keywords(credits)))
    pdf.set_creator("Civia")
    pdf.set_lang("fr-FR")
    pdf.set_creation_date(credits.made_at)
    pdf.set_xmp_metadata(_xmp(poster, credits, provenance(credits)))
    return bytes(pdf.output())


# --- PNG ----------------------------------------------------------------------------------------


class PngCanvas:
    def __init__(self, fmt: Format) -> None:
        from PIL import Image, ImageDraw

        self.width, self.height = fmt.width, fmt.height
        self.picture = Image.new("RGB", (int(fmt.width), int(fmt.height)), (255, 255, 255))
        self.draw = ImageDraw.Draw(self.picture)
        self._fonts: dict[tuple[int, bool], Any] = {}

    def _font(self, size: float, bold: bool) -> Any:
        from PIL import ImageFont

        key = (max(1, round(size)), bold)
        if key not in self._fonts:
            found = fonts()
            path = found.bold if bold else found.regular
            self._fonts[key] = (
                ImageFont.truetype(path, key[0]) if path else ImageFont.load_default(key[0])
            )
        return self._fonts[key]

    def measure(self, text: str, size: float, bold: bool) -> float:
        return float(self._font(size, bold).getlength(drawable(text)))

    def rect(self, x: float, y: float, w: float, h: float, colour: RGB) -> None:
        self.draw.rectangle([round(x), round(y), round(x + w) - 1, round(y + h) - 1], fill=colour)

    def text(self, x: float, top: float, text: str, size: float, bold: bool, colour: RGB) -> None:
        self.draw.text((x, top + size * BASELINE), drawable(text), font=self._font(size, bold),
                       fill=colour, anchor="ls")  # fmt: skip

    def _paste(self, picture: Any, x: float, y: float) -> None:
        self.picture.paste(picture, (round(x), round(y)), picture)

    def image(self, png: bytes, x: float, y: float, w: float, h: float) -> None:
        from PIL import Image

        with Image.open(io.BytesIO(png)) as logo:
            resized = logo.convert("RGBA").resize((max(1, round(w)), max(1, round(h))),
                                                  Image.Resampling.LANCZOS)  # fmt: skip
        self._paste(resized, x, y)

    def svg(self, svg: str, x: float, y: float, size: float) -> None:
        from PIL import Image

        picture = Image.open(io.BytesIO(rasterise(svg, max(1, round(size))))).convert("RGBA")
        self._paste(picture, x, y)


def rasterise(svg: str, pixels: int) -> bytes:
    """The SVG as a `pixels`-wide square PNG (resvg)."""
    import resvg_py

    png = resvg_py.svg_to_bytes(svg_string=svg, width=pixels, height=pixels, skip_system_fonts=True)
    return bytes(png)


def to_png(poster: Poster, brand: Brand, fmt: Format, credits: Credits) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    canvas = PngCanvas(fmt)
    draw(canvas, poster, brand, pictogram(poster.pictogram), credits.note)
    info = PngInfo()
    texts = {
        "Title": poster.title,
        "Description": poster.alt_text,
        "Author": credits.author,
        "Software": "Civia",
        "Creation Time": credits.made_at.astimezone(UTC).isoformat(timespec="seconds"),
        "Comment": credits.note or "Textes rédigés sans IA.",
        **provenance(credits),
    }
    for key, value in texts.items():
        info.add_itxt(key, value, lang="fr")
    out = io.BytesIO()
    canvas.picture.save(out, format="PNG", pnginfo=info, optimize=True)
    return out.getvalue()


RENDER: dict[str, Callable[[Poster, Brand, Format, Credits], bytes]] = {
    "pdf": to_pdf,
    "png": to_png,
}


def export(poster: Poster, brand: Brand, fmt: str, credits: Credits) -> tuple[bytes, str, str]:
    """The file's bytes, MIME type and download name."""
    try:
        chosen = FORMATS[fmt]
    except KeyError:
        raise UnknownFormat(fmt) from None
    from civia.assistants.renderers import slugify

    data = RENDER[chosen.kind](poster, brand, chosen, credits)
    return data, chosen.mime, f"{slugify(poster.title, 60)}-{chosen.key}.{chosen.kind}"
