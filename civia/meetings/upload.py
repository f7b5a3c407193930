"""Receive a recording from a multipart form without letting it fill the disk.

Starlette's `request.form()` spools a whole upload to a temporary file before the route sees
it, so a 4 GB file would be on disk before any size check. Here the body is parsed as it
arrives (python-multipart's streaming parser): a declared Content-Length over the limit is
refused before reading, and the byte count is checked on every piece written, so at most
`max_bytes` ever reach the disk. The form's small fields (CSRF token, title, language) must come
before the file, as browsers send them in document order; `before_file` checks them before the
first byte of the file is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

MAX_FIELD_BYTES = 10_000
MAX_FIELDS = 20
_SLACK = 64 * 1024  # multipart boundaries and the small fields around the file


class UploadError(Exception):
    """A refused upload: `status` for the response, `message_fr` for the agent."""

    def __init__(self, status: int, message_fr: str) -> None:
        super().__init__(message_fr)
        self.status = status
        self.message_fr = message_fr


def too_large(max_bytes: int) -> UploadError:
    return UploadError(
        413,
        f"L'enregistrement dépasse la taille maximale autorisée ({max_bytes // 1_000_000} Mo). "
        "Découpez-le ou compressez-le (MP3, OGG) puis déposez-le à nouveau.",
    )


@dataclass
class Received:
    fields: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    filename: str = ""
    content_type: str = ""
    size: int = 0


@dataclass
class _Part:
    headers: dict[str, bytes] = field(default_factory=dict)
    name: str = ""
    is_file: bool = False
    data: bytearray = field(default_factory=bytearray)


class _Collector:
    """The parser's callbacks: small fields in memory, the one file straight to disk."""

    def __init__(
        self,
        *,
        directory: Path,
        max_bytes: int,
        file_field: str,
        before_file: Callable[[dict[str, str]], None],
    ) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.file_field = file_field
        self.before_file = before_file
        self.received = Received()
        self.part = _Part()
        self._header_field = b""
        self._header_value = b""
        self._out: IO[bytes] | None = None

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": self.header_field,
            "on_header_value": self.header_value,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self.part = _Part()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def header_end(self) -> None:
        self.part.headers[self._header_field.decode("latin-1").lower()] = self._header_value
        self._header_field = self._header_value = b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.part.headers.get("content-disposition", b""))
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        self.part.is_file = b"filename" in options
        if not self.part.is_file:
            if len(self.received.fields) >= MAX_FIELDS:
                raise UploadError(422, "Le formulaire contient trop de champs.")
            return
        if self.part.name != self.file_field or self.received.path is not None:
            raise UploadError(422, "Déposez un seul fichier, dans le champ prévu.")
        self.before_file(self.received.fields)
        self.received.filename = Path(
            options[b"filename"].decode("utf-8", "replace").replace("\\", "/")
        ).name[:255]
        self.received.content_type = (
            self.part.headers.get("content-type", b"").decode("latin-1").strip()[:100]
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        self.received.path = self.directory / f".depot-{uuid.uuid4().hex}.part"
        self._out = self.received.path.open("wb")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self._out is None:
            if len(self.part.data) + end - start > MAX_FIELD_BYTES:
                raise UploadError(413, "Un champ du formulaire est trop long.")
            self.part.data += data[start:end]
            return
        self.received.size += end - start
        if self.received.size > self.max_bytes:
            raise too_large(self.max_bytes)
        self._out.write(data[start:end])

    def part_end(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        elif not self.part.is_file:
            self.received.fields[self.part.name] = self.part.data.decode("utf-8", "replace")

    def discard(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        if self.received.path is not None:
            self.received.path.unlink(missing_ok=True)
            self.received.path = None


async def receive(
    request: Request,
    *,
    directory: Path,
    max_bytes: int,
    file_field: str,
    before_file: Callable[[dict[str, str]], None],
) -> Received:
    """Parse the request's multipart body; the file lands in `directory` under a temporary
    name (the caller moves or deletes it). Raises `UploadError` (nothing left on disk)."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise UploadError(415, "Envoyez le formulaire de dépôt (multipart/form-data).")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes + _SLACK:
        raise too_large(max_bytes)
    collector = _Collector(
        directory=directory, max_bytes=max_bytes, file_field=file_field, before_file=before_file
    )
    parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
        if collector._out is not None:  # the body ended inside the file: a truncated upload
            raise UploadError(400, "Le dépôt a été interrompu avant la fin : réessayez.")
    except MultipartParseError as exc:
        collector.discard()
        raise UploadError(400, "Le formulaire de dépôt est mal formé : réessayez.") from exc
    except BaseException:
        collector.discard()
        raise
    return collector.received
