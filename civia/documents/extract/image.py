"""Photos and scans sent as images (PNG, JPEG, TIFF): read by OCR (`ocr.py`), frame by frame.

Images are hostile input like any file: the pixel count is checked from the header before any
pixel is decoded (a small PNG can declare 100,000 × 100,000 pixels), PIL's own decompression
bomb guard is turned into a refusal, and a multi-page TIFF is read up to `ocr_max_pages`."""

from __future__ import annotations

import io
import logging
import math
import warnings
from collections.abc import Callable

from PIL import Image, ImageOps, UnidentifiedImageError

from civia.documents.errors import CorruptedFileError, ImageTooLargeError, NoTextError
from civia.documents.extract import ocr
from civia.documents.extract.base import Block, Extracted, Limits, stem_title
from civia.documents.extract.text import paragraphs

log = logging.getLogger(__name__)

MIMES = {"PNG": "image/png", "JPEG": "image/jpeg", "MPO": "image/jpeg", "TIFF": "image/tiff"}


def extract_image(
    data: bytes,
    filename: str,
    *,
    limits: Limits | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Extracted:
    limits = limits or Limits()
    if not (limits.ocr and ocr.available()):
        raise NoTextError(filename)
    texts: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "TIFF"])
            frames = min(getattr(image, "n_frames", 1), limits.ocr_max_pages)
            total = getattr(image, "n_frames", 1)
            mime = MIMES.get(image.format or "", "image/png")
            for index in range(frames):
                image.seek(index)
                width, height = image.size
                if width * height > limits.max_image_pixels:
                    raise ImageTooLargeError(filename, limits.max_image_pixels)
                texts.append(_read(image))
                if progress is not None:
                    progress(index + 1, frames)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageTooLargeError(filename, limits.max_image_pixels) from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
            raise CorruptedFileError(filename, "l'image") from exc
    blocks = [Block(p, page=n) for n, text in enumerate(texts, start=1) for p in paragraphs(text)]
    meta: dict[str, object] = {"ocr_pages": list(range(1, frames + 1))}
    if total > frames:
        meta["pages_without_text"] = list(range(frames + 1, total + 1))
    if not blocks:
        raise NoTextError(filename, ocr_tried=True)
    return Extracted(title=stem_title(filename), mime=mime, blocks=blocks, pages=total, meta=meta)


def _read(frame: Image.Image) -> str:
    """One frame upright (a phone's EXIF orientation), in grey, at most `ocr.MAX_PIXELS`."""
    import pytesseract

    image = ImageOps.exif_transpose(frame).convert("L")
    pixels = image.width * image.height
    if pixels > ocr.MAX_PIXELS:
        ratio = math.sqrt(ocr.MAX_PIXELS / pixels)
        image = image.resize((int(image.width * ratio), int(image.height * ratio)))
    try:
        return ocr.read_image(image)
    except (pytesseract.TesseractError, RuntimeError) as exc:  # RuntimeError: its timeout
        log.warning("OCR failed on an image: %s", exc)
        return ""
