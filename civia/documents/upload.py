"""Receive a multipart upload as it streams in: each file goes straight to disk, hashed on the
way, and is refused the moment it passes the size limit — before it can fill the disk.

Starlette's own form parser would first spool every file to a temporary file whatever its
size, so the upload route feeds `request.stream()` to `UploadReceiver` instead. The CSRF token
must arrive before any file: as the X-CSRF-Token header, or as a `csrf_token` field placed
before the file input (browsers send fields in document order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.multipart import MultipartParser, parse_options_header

from civia.documents import storage
from civia.documents.errors import (
    DocumentError,
    EmptyFileError,
    FileTooLargeError,
    UnsupportedFormatError,
)
from civia.documents.extract import accepted_name

MAX_FIELD_BYTES = 10_000
MAX_EXTRA_PARTS = 50  # form fields, and files past the limit, before the request is refused


class UploadRefused(Exception):
    """The whole request is refused (`status`, French `message`)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class TooManyFilesError(DocumentError):
    def __init__(self, filename: str, limit: int) -> None:
        super().__init__(
            f"Le fichier « {filename} » n'a pas été reçu : un dépôt compte au plus {limit} "
            "fichiers. Déposez-le avec un autre envoi."
        )


@dataclass
class Received:
    """One file of the upload: on disk (`incoming`) or refused (`error`)."""

    filename: str
    mime: str
    incoming: storage.Incoming | None = None
    error: DocumentError | None = None


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str = ""
    file: Received | None = None
    value: bytearray = field(default_factory=bytearray)


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def clean_filename(raw: str) -> str:
    """The last path component, without control characters, at most 200 characters."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-200:] or "document"


class UploadReceiver:
    """Feed it the request body piece by piece; read `files` and `fields` at the end."""

    def __init__(
        self,
        content_type: str,
        *,
        data_dir: Path,
        max_bytes: int,
        max_files: int,
        csrf_ok: Callable[[str], bool],
        csrf_in_header: bool,
    ) -> None:
        kind, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise UploadRefused(415, "Le dépôt doit être envoyé par le formulaire de Civia.")
        self.data_dir, self.max_bytes, self.max_files = data_dir, max_bytes, max_files
        self.csrf_ok, self.csrf_valid = csrf_ok, csrf_in_header
        self.files: list[Received] = []
        self.fields: dict[str, str] = {}
        self._part = _Part()
        self._field_name = b""
        self._field_value = b""
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_done,
                "on_part_data": self._data,
                "on_part_end": self._end,
            },
        )

    def feed(self, chunk: bytes) -> None:
        self._parser.write(chunk)

    def finish(self) -> None:
        self._parser.finalize()
        if not self.csrf_valid:
            raise UploadRefused(403, "Le formulaire a expiré. Rechargez la page et réessayez.")

    def abort(self) -> None:
        """Delete what was received (the request failed half-way)."""
        for received in self.files:
            if received.incoming is not None:
                received.incoming.discard()

    # -- parser callbacks ------------------------------------------------------------------------
    def _begin(self) -> None:
        if len(self.fields) + len(self.files) > self.max_files + MAX_EXTRA_PARTS:
            raise UploadRefused(413, "Ce dépôt contient beaucoup trop de fichiers ou de champs.")
        self._part = _Part()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field_name += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._field_value += data[start:end]

    def _header_end(self) -> None:
        self._part.headers[self._field_name.lower()] = self._field_value
        self._field_name, self._field_value = b"", b""

    def _headers_done(self) -> None:
        part = self._part
        _, options = parse_options_header(part.headers.get(b"content-disposition", b""))
        part.name = _text(options.get(b"name", b""))
        if b"filename" not in options:
            return
        raw_name = _text(options[b"filename"])
        if not raw_name:  # a file input left empty
            return
        if not self.csrf_valid:
            raise UploadRefused(403, "Le formulaire a expiré. Rechargez la page et réessayez.")
        filename = clean_filename(raw_name)
        mime = _text(part.headers.get(b"content-type", b"")).split(";")[0].strip()
        received = Received(filename, mime)
        if len(self.files) >= self.max_files:
            received.error = TooManyFilesError(filename, self.max_files)
        elif not accepted_name(filename, mime):
            received.error = UnsupportedFormatError(filename)
        else:
            received.incoming = storage.incoming(self.data_dir)
        self.files.append(received)
        part.file = received

    def _data(self, data: bytes, start: int, end: int) -> None:
        part = self._part
        received = part.file
        if received is None:
            if len(part.value) + end - start > MAX_FIELD_BYTES:
                raise UploadRefused(413, "Un champ du formulaire est trop long.")
            part.value += data[start:end]
            return
        if received.incoming is None:  # refused: the rest of it is read and dropped
            return
        if received.incoming.size + end - start > self.max_bytes:
            received.incoming.discard()
            received.incoming = None
            received.error = FileTooLargeError(received.filename, self.max_bytes)
            return
        received.incoming.write(data[start:end])

    def _end(self) -> None:
        part = self._part
        received = part.file
        if received is not None:
            if received.incoming is not None:
                received.incoming.close()
                if received.incoming.size == 0:
                    received.incoming.discard()
                    received.incoming = None
                    received.error = EmptyFileError(received.filename)
            return
        value = _text(bytes(part.value))
        self.fields[part.name] = value
        if part.name == "csrf_token" and self.csrf_ok(value):
            self.csrf_valid = True
