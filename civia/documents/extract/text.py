"""Plain text and Markdown, in any common encoding (UTF-8, UTF-16, Windows-1252...)."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from civia.documents.errors import CorruptedFileError
from civia.documents.extract.base import Block, Extracted, HeadingTracker, clean, stem_title

# French documents come in a few encodings only; restricting the detector avoids exotic
# guesses on short texts (Windows-1250 instead of Windows-1252 for "è", for instance).
_ENCODINGS = ["utf_8", "utf_16", "cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850"]
_ATX = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")


def decode(data: bytes, filename: str) -> str:
    """Decode bytes as text: UTF-8 (with or without BOM) first, else the detected encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=_ENCODINGS).best()
    if best is None:
        raise CorruptedFileError(filename, "le fichier texte")
    return str(best)


def paragraphs(text: str) -> list[str]:
    return [clean(p) for p in re.split(r"\n\s*\n", text) if clean(p)]


def extract_text(data: bytes, filename: str, *, markdown: bool = False) -> Extracted:
    text = decode(data, filename).replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise CorruptedFileError(filename, "le fichier texte")
    mime = "text/markdown" if markdown else "text/plain"
    if not markdown:
        return Extracted(
            title=stem_title(filename),
            mime=mime,
            blocks=[Block(p) for p in paragraphs(text)],
        )
    return _markdown(text, filename)


def _markdown(text: str, filename: str) -> Extracted:
    tracker = HeadingTracker()
    blocks: list[Block] = []
    title = ""
    buffer: list[str] = []
    in_code = False

    def flush() -> None:
        for para in paragraphs("\n".join(buffer)):
            blocks.append(Block(para, tracker.path))
        buffer.clear()

    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        match = None if in_code else _ATX.match(line)
        setext = (
            not in_code
            and index + 1 < len(lines)
            and line.strip()
            and _SETEXT.match(lines[index + 1])
            and not (buffer and buffer[-1].strip())
        )
        if match or setext:
            flush()
            level = len(match.group(1)) if match else (1 if lines[index + 1][0] == "=" else 2)
            heading = clean(match.group(2) if match else line)
            title = title or heading
            tracker.push(level, heading)
            blocks.append(Block(heading, tracker.path, kind="heading"))
            continue
        if not in_code and _SETEXT.match(line) and blocks and blocks[-1].kind == "heading":
            continue
        buffer.append(line)
    flush()
    return Extracted(title=title or stem_title(filename), mime="text/markdown", blocks=blocks)
