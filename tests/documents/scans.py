"""Scanned pages for OCR tests: French text rendered by Pillow, saved as image-only PDF pages."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def page_image(lines: list[str], *, size: int = 42) -> Image.Image:
    """An A4 page at 300 dpi with the lines in black on white (≈ 10-pt text)."""
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, size)
    for index, line in enumerate(lines):
        draw.text((200, 300 + index * 90), line, font=font, fill=0)
    return image


def scanned_pdf(pages: list[list[str]]) -> bytes:
    """An image-only PDF (no text layer at all), one page per list of lines."""
    images = [page_image(lines) for lines in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=300.0, save_all=True, append_images=images[1:])
    return out.getvalue()


def mixed_pdf(text_page: list[str], scanned_lines: list[str]) -> bytes:
    """Page 1 with a text layer, page 2 scanned (image only)."""
    from pypdf import PdfReader, PdfWriter

    from tests.documents.files import make_pdf

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_pdf([text_page]))))
    writer.append(PdfReader(io.BytesIO(scanned_pdf([scanned_lines]))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def photo(lines: list[str], fmt: str = "PNG", **save: object) -> bytes:
    """A form photographed or scanned to an image file (PNG, JPEG, TIFF) rather than a PDF."""
    out = io.BytesIO()
    page_image(lines).save(out, fmt, **save)
    return out.getvalue()


def declared_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares `width` × `height` pixels (a decompression bomb: its
    pixels are never sent, a reader that trusts the header would allocate them)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
