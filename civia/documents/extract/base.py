"""What every extractor returns: blocks of text with their heading path and page."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from civia.documents.errors import CorruptedFileError, SuspiciousArchiveError


@dataclass(frozen=True)
class Limits:
    """Refusal thresholds. The upload size is checked by the caller while receiving the file."""

    max_bytes: int = 100_000_000
    max_unzipped_bytes: int = 300_000_000
    max_zip_members: int = 10_000
    max_chars: int = 5_000_000
    ocr: bool = True  # read scanned PDF pages (no text layer) with tesseract
    ocr_dpi: int = 300
    ocr_max_pages: int = 2_000  # scanned pages or image frames read by OCR; the rest listed
    max_image_pixels: int = 60_000_000  # per image frame, checked before decoding (bombs)


@dataclass
class Block:
    """A paragraph, list item, table row group or heading, in reading order."""

    text: str
    headings: tuple[str, ...] = ()
    page: int | None = None
    kind: str = "text"  # text | table | heading


@dataclass
class Extracted:
    title: str
    mime: str
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    meta: dict[str, object] = field(default_factory=dict)


class HeadingTracker:
    """Keeps the current heading path while walking a document."""

    def __init__(self) -> None:
        self._levels: list[tuple[int, str]] = []

    def push(self, level: int, text: str) -> None:
        self._levels = [(lvl, t) for lvl, t in self._levels if lvl < level]
        self._levels.append((level, text))

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self._levels)


def check_zip(data: bytes, filename: str, limits: Limits) -> zipfile.ZipFile:
    """Open an office file's zip container after making sure it cannot expand beyond limits.

    Declared sizes are checked first (cheap), then every member is actually decompressed with
    a running total, because a crafted archive can lie about its sizes.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptedFileError(filename) from exc
    if len(members) > limits.max_zip_members:
        raise SuspiciousArchiveError(filename, limits.max_unzipped_bytes)
    if sum(member.file_size for member in members) > limits.max_unzipped_bytes:
        raise SuspiciousArchiveError(filename, limits.max_unzipped_bytes)
    total = 0
    try:
        for member in members:
            with archive.open(member) as stream:
                while piece := stream.read(1 << 20):
                    total += len(piece)
                    if total > limits.max_unzipped_bytes:
                        raise SuspiciousArchiveError(filename, limits.max_unzipped_bytes)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise CorruptedFileError(filename) from exc
    return archive


def is_image(data: bytes) -> bool:
    """PNG, JPEG or TIFF, by their magic bytes (the formats `image.py` reads)."""
    return data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


def clean(text: str) -> str:
    """Collapse runs of spaces and strip each line; keep line breaks."""
    lines = (" ".join(line.split()) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def stem_title(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name
