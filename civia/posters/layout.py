"""Poster layouts, independent of the output: each layout draws on a `Canvas` (PDF in mm with
fpdf2, PNG in pixels with Pillow) from fractions of its width and height, so one layout serves
an A4 or A3 poster, a square visual and a wide banner.

Texts never get cut: a text is wrapped to its box, then shrunk until every line fits (a word
wider than the box is broken between letters). The form's limits (see `content`) keep the
smallest size readable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from civia.posters.content import Brand, Poster
from civia.posters.pictograms import Pictogram

LEADING = 1.22  # line height, in font sizes
RGB = tuple[int, int, int]
WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)
GREY: RGB = (80, 80, 80)
MENTION = "Textes rédigés avec l'aide d'une intelligence artificielle et relus par un agent."

LAYOUTS = {  # key → French label
    "bandeau": "Bandeau de couleur en haut",
    "plein": "Fond de couleur",
    "colonne": "Colonne de couleur à gauche",
}


class Canvas(Protocol):
    """What a layout draws on; lengths and font sizes in the canvas's own unit."""

    width: float
    height: float

    def measure(self, text: str, size: float, bold: bool) -> float: ...

    def rect(self, x: float, y: float, w: float, h: float, colour: RGB) -> None: ...

    def text(self, x: float, top: float, text: str, size: float, bold: bool, colour: RGB) -> None:
        """One line whose line box starts at `top`."""

    def image(self, png: bytes, x: float, y: float, w: float, h: float) -> None: ...

    def svg(self, svg: str, x: float, y: float, size: float) -> None: ...


# --- colour -------------------------------------------------------------------------------------


def rgb(hex_colour: str) -> RGB:
    return int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16)


def hex_of(colour: RGB) -> str:
    return "".join(f"{c:02x}" for c in colour)


def _luminance(colour: RGB) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio, 1 to 21."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(background: RGB) -> RGB:
    """Black or white, whichever reads better on `background`."""
    return BLACK if contrast(background, BLACK) >= contrast(background, WHITE) else WHITE


def ink_on_white(colour: RGB) -> RGB:
    """The brand colour for text on white when it reads well enough (WCAG AA for large text),
    else near-black."""
    return colour if contrast(colour, WHITE) >= 3.0 else (20, 20, 20)


def tint(colour: RGB, amount: float) -> RGB:
    """`colour` mixed with white (`amount` of white, 0 to 1)."""
    r, g, b = (round(c + (255 - c) * amount) for c in colour)
    return r, g, b


# --- text fitting -------------------------------------------------------------------------------

Measure = Callable[[str, float, bool], float]


@dataclass(frozen=True)
class Fitted:
    lines: list[str]
    size: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEADING


def _break_word(measure: Measure, word: str, width: float, size: float, bold: bool) -> list[str]:
    pieces, current = [], ""
    for char in word:
        if current and measure(current + char, size, bold) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return [*pieces, current] if current else pieces


# French typography: no line starts with « ! ? : ; » nor ends with «.
_GLUE_BEFORE = re.compile(r" +([!?:;»])")
_GLUE_AFTER = re.compile(r"(«) +")


def _words(paragraph: str) -> list[str]:
    paragraph = _GLUE_AFTER.sub("\\1\u00a0", _GLUE_BEFORE.sub("\u00a0\\1", paragraph))
    return [word for word in re.split(r"[ \t]+", paragraph.strip()) if word]


def wrap(
    measure: Measure, text: str, width: float, size: float, bold: bool, *, split_words: bool = True
) -> list[str] | None:
    """Lines of `text` no wider than `width` (its own line breaks kept). A word wider than
    `width` is broken between letters, or None is returned without `split_words`."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in _words(paragraph):
            candidate = f"{current} {word}" if current else word
            if measure(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            if measure(word, size, bold) <= width:
                current = word
            elif not split_words:
                return None
            else:
                *whole, current = _break_word(measure, word, width, size, bold)
                lines.extend(whole)
        if current:
            lines.append(current)
    return lines


def fit(
    measure: Measure, text: str, width: float, height: float, size: float, bold: bool = False
) -> Fitted:
    """The largest size up to `size` at which `text`, wrapped, fits the box: words are kept
    whole down to a twelfth of `size`; only then is a word too long for the box broken."""
    floor = size / 12
    for split_words in (False, True):
        current = size
        while True:
            lines = wrap(measure, text, width, current, bold, split_words=split_words)
            if lines is not None:
                fitted = Fitted(lines, current)
                if fitted.height <= height or (split_words and current <= floor):
                    return fitted
            if current <= floor:
                break
            current *= 0.93
    raise AssertionError("unreachable: the second pass always returns")


def draw_text(
    canvas: Canvas,
    fitted: Fitted,
    x: float,
    top: float,
    width: float,
    *,
    bold: bool,
    colour: RGB,
    align: str = "left",
) -> float:
    """Draw fitted lines; returns the y below them."""
    for line in fitted.lines:
        shift = 0.0
        if align == "center":
            shift = (width - canvas.measure(line, fitted.size, bold)) / 2
        canvas.text(x + shift, top, line, fitted.size, bold, colour)
        top += fitted.size * LEADING
    return top


def block(
    canvas: Canvas,
    text: str,
    box: tuple[float, float, float, float],
    size: float,
    *,
    bold: bool = False,
    colour: RGB = BLACK,
    align: str = "left",
    middle: bool = False,
) -> float:
    """Fit `text` into `box` (x, y, w, h) and draw it; returns the y below the text."""
    x, y, w, h = box
    if not text.strip():
        return y
    fitted = fit(canvas.measure, text, w, h, size, bold)
    top = y + (h - fitted.height) / 2 if middle else y
    return draw_text(canvas, fitted, x, top, w, bold=bold, colour=colour, align=align)


# --- shared pieces ------------------------------------------------------------------------------


def identity(
    canvas: Canvas,
    brand: Brand,
    box: tuple[float, float, float, float],
    *,
    colour: RGB,
    on_colour: bool,
) -> None:
    """The logo (on a white tile when on colour) and the collectivité's name, in `box`."""
    x, y, w, h = box
    name_x = x
    logo = brand.logo
    if logo is not None:
        logo_h = h
        logo_w = min(logo_h / logo.aspect, w * 0.4)
        logo_h = logo_w * logo.aspect
        pad = logo_h * 0.12 if on_colour else 0.0
        if on_colour:
            canvas.rect(x, y + (h - logo_h) / 2 - pad, logo_w + 2 * pad, logo_h + 2 * pad, WHITE)
        canvas.image(logo.png, x + pad, y + (h - logo_h) / 2, logo_w, logo_h)
        name_x = x + logo_w + 2 * pad + h * 0.3
    block(canvas, brand.name, (name_x, y, x + w - name_x, h), h * 0.42, bold=True,
          colour=colour, middle=True)  # fmt: skip


def mention(canvas: Canvas, text: str, box: tuple[float, float, float, float], colour: RGB) -> None:
    x, y, w, h = box
    block(canvas, text, (x, y, w, h), h * 0.8, colour=colour, middle=True)


def practical(
    canvas: Canvas,
    lines: list[str],
    box: tuple[float, float, float, float],
    size: float,
    *,
    colour: RGB,
    align: str = "left",
) -> None:
    """The practical lines, each after a bullet when left-aligned."""
    shown = lines if align == "center" else [f"• {line}" for line in lines]
    block(canvas, "\n".join(shown), box, size, colour=colour, align=align, middle=True)


# --- the layouts --------------------------------------------------------------------------------


def _banner(canvas: Canvas, poster: Poster, brand: Brand, picto: Pictogram, note: str) -> None:
    """A coloured band with the identity and the pictogram, then the texts on white."""
    W, H = canvas.width, canvas.height
    unit = min(W, H)
    m = unit * 0.06
    wide = W > H * 1.3
    colour = rgb(brand.colour)
    on = text_on(colour)
    canvas.rect(0, 0, W, H, WHITE)
    band = H * (0.26 if wide else 0.22)
    canvas.rect(0, 0, W, band, colour)
    picto_size = band * 0.7
    canvas.svg(picto.svg(hex_of(on)), W - m - picto_size, (band - picto_size) / 2, picto_size)
    identity(canvas, brand, (m, band * 0.25, W - 3 * m - picto_size, band * 0.5),
             colour=on, on_colour=True)  # fmt: skip
    foot = H * 0.045
    inner = W - 2 * m
    y = band + m * 0.8
    title_h = (H - band - foot - 2 * m) * 0.34
    y = block(canvas, poster.title, (m, y, inner, title_h), unit * 0.12, bold=True,
              colour=ink_on_white(colour))  # fmt: skip
    tag_h = (H - band - foot - 2 * m) * 0.2
    y = block(canvas, poster.tagline, (m, y + m * 0.3, inner, tag_h), unit * 0.055,
              colour=BLACK) + m * 0.5  # fmt: skip
    box_h = H - foot - m * 0.6 - y
    canvas.rect(m, y, inner, box_h, tint(colour, 0.88))
    practical(canvas, poster.lines, (m * 1.5, y + m * 0.3, inner - m, box_h - m * 0.6),
              unit * 0.05, colour=BLACK)  # fmt: skip
    mention(canvas, note, (m, H - foot, inner, foot * 0.7), GREY)


def _full(canvas: Canvas, poster: Poster, brand: Brand, picto: Pictogram, note: str) -> None:
    """Everything centred on the brand colour; the identity on a white strip at the foot."""
    W, H = canvas.width, canvas.height
    unit = min(W, H)
    m = unit * 0.06
    colour = rgb(brand.colour)
    on = text_on(colour)
    canvas.rect(0, 0, W, H, colour)
    strip = H * 0.14
    canvas.rect(0, H - strip, W, strip, WHITE)
    picto_size = unit * 0.16
    canvas.svg(picto.svg(hex_of(on)), (W - picto_size) / 2, m, picto_size)
    inner = W - 2 * m
    space = H - strip - picto_size - 3 * m
    y = m * 1.6 + picto_size
    y = block(canvas, poster.title, (m, y, inner, space * 0.36), unit * 0.12, bold=True,
              colour=on, align="center")  # fmt: skip
    y = block(canvas, poster.tagline, (m, y + m * 0.3, inner, space * 0.2), unit * 0.055,
              colour=on, align="center")  # fmt: skip
    y += m * 0.4
    canvas.rect(W / 2 - unit * 0.08, y, unit * 0.16, unit * 0.006, on)
    y += m * 0.5
    practical(canvas, poster.lines, (m, y, inner, H - strip - m * 0.5 - y), unit * 0.05,
              colour=on, align="center")  # fmt: skip
    identity(canvas, brand, (m, H - strip + strip * 0.18, inner, strip * 0.42),
             colour=ink_on_white(colour), on_colour=False)  # fmt: skip
    mention(canvas, note, (m, H - strip * 0.3, inner, strip * 0.22), GREY)


def _column(canvas: Canvas, poster: Poster, brand: Brand, picto: Pictogram, note: str) -> None:
    """A coloured column with the pictogram and the identity; the texts beside it."""
    W, H = canvas.width, canvas.height
    unit = min(W, H)
    m = unit * 0.06
    colour = rgb(brand.colour)
    on = text_on(colour)
    canvas.rect(0, 0, W, H, WHITE)
    col = W * 0.32
    canvas.rect(0, 0, col, H, colour)
    picto_size = min(col - 2 * m, H * 0.3)
    canvas.svg(picto.svg(hex_of(on)), (col - picto_size) / 2, m * 1.5, picto_size)
    block(canvas, brand.name, (m * 0.7, H * 0.62, col - 1.4 * m, H * 0.2), unit * 0.05,
          bold=True, colour=on, align="center", middle=True)  # fmt: skip
    if brand.logo is not None:
        tile = min(col - 2 * m, H * 0.12)
        logo_w = min(tile, tile / brand.logo.aspect)
        logo_h = logo_w * brand.logo.aspect
        pad = tile * 0.1
        left, top = (col - logo_w) / 2, H - m - logo_h
        canvas.rect(left - pad, top - pad, logo_w + 2 * pad, logo_h + 2 * pad, WHITE)
        canvas.image(brand.logo.png, left, top, logo_w, logo_h)
    x = col + m
    inner = W - col - 2 * m
    foot = H * 0.045
    space = H - 2 * m - foot
    y = m * 1.2
    y = block(canvas, poster.title, (x, y, inner, space * 0.38), unit * 0.11, bold=True,
              colour=ink_on_white(colour))  # fmt: skip
    canvas.rect(x, y + m * 0.3, unit * 0.12, unit * 0.008, colour)
    y = block(canvas, poster.tagline, (x, y + m * 0.7, inner, space * 0.22), unit * 0.05,
              colour=BLACK) + m * 0.5  # fmt: skip
    practical(canvas, poster.lines, (x, y, inner, H - foot - m * 0.6 - y), unit * 0.045,
              colour=BLACK)  # fmt: skip
    mention(canvas, note, (x, H - foot, inner, foot * 0.7), GREY)


DRAW = {"bandeau": _banner, "plein": _full, "colonne": _column}


def draw(
    canvas: Canvas, poster: Poster, brand: Brand, picto: Pictogram, note: str = MENTION
) -> None:
    """Draw `poster` with its layout; `note` is the small line at its foot (the mention of the
    AI's help)."""
    DRAW[poster.layout](canvas, poster, brand, picto, note)
