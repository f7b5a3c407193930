"""Multipart forms read as they stream in, each file straight to disk (see `Receiver`).

Starlette's own form parser would first spool every file to a temporary file whatever its
size. `Receiver` parses the body as it arrives instead: each file goes to a temporary file of
`directory`, counted and hashed on the way, the small text fields are kept in memory. The
form's CSRF token must come before the first file (browsers send fields in document order), or
as the X-CSRF-Token header: `check` runs before the first file byte is written. Partial files
are deleted whatever goes wrong; the request's total size is `BodyLimit`'s (limit.py).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from civia.accounts.models import WebSession
from civia.accounts.tokens import same
from civia.web.errors import CsrfFailed
from civia.web.uploads.limit import UploadRefused

MAX_FIELD_BYTES = 10_000
MAX_EXTRA_PARTS = 50  # text fields, and files past the limit, before the request is refused
DISK_FULL_FR = (
    "Le serveur n'a plus assez d'espace disque pour recevoir ce dépôt : rien n'a été "
    "enregistré. Réessayez plus tard et prévenez l'administrateur de Civia."
)


def csrf(request: Request, web_session: WebSession) -> Callable[[dict[str, str]], None]:
    """The form's CSRF check, as `check_csrf` does it: the X-CSRF-Token header when sent, else
    the csrf_token field."""
    sent = request.headers.get("x-csrf-token")

    def check(fields: dict[str, str]) -> None:
        token = fields.get("csrf_token", "") if sent is None else sent
        if not token or not same(token, web_session.csrf_token):
            raise CsrfFailed

    return check


def clean_filename(raw: str) -> str:
    """The last path component, without control characters, at most 200 characters."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-200:] or "document"


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


@dataclass
class File:
    """One file of the form: on disk at `path` unless refused (`error`: "too_large",
    "too_many", "unsupported")."""

    name: str  # of the form field
    filename: str
    mime: str
    path: Path | None = None
    size: int = 0
    error: str = ""
    _hash: Any = field(default_factory=hashlib.sha256, repr=False)
    _out: IO[bytes] | None = field(default=None, repr=False)

    @property
    def sha256(self) -> str:
        return str(self._hash.hexdigest())

    def write(self, data: bytes) -> None:
        assert self._out is not None
        self._out.write(data)
        self._hash.update(data)
        self.size += len(data)

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None

    def discard(self) -> None:
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None


class Receiver:
    """Read a multipart form with `await receiver.read(request)`, then `files` and `fields`.
    Files past `max_files`, over `max_file_bytes` or not `accept`ed are read and dropped, each
    with its `error`; `check(fields)` runs once, before the first file or at the end."""

    def __init__(
        self,
        *,
        directory: Path,
        max_file_bytes: int,
        max_files: int,
        check: Callable[[dict[str, str]], None],
        accept: Callable[[str, str], bool] = lambda _name, _mime: True,
    ) -> None:
        self.directory, self.max_file_bytes, self.max_files = directory, max_file_bytes, max_files
        self.check, self.accept, self.checked = check, accept, False
        self.files: list[File] = []
        self.fields: dict[str, str] = {}
        self._headers: dict[bytes, bytes] = {}
        self._header, self._value = (bytearray(), bytearray()), bytearray()
        self._name, self._open = "", False
        self._file: File | None = None

    async def read(self, request: Request) -> None:
        """Parse the request's body. Raises `UploadRefused` (or what `check` raises), with
        nothing left on disk."""
        content_type = request.headers.get("content-type", "")
        kind, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if not content_type:  # no body at all: an empty form
            self._check()
            return
        if kind != b"multipart/form-data" or not boundary:
            raise UploadRefused(415, "Envoyez le formulaire de dépôt de Civia.")
        parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._begin,
                "on_header_field": lambda data, start, end: self._header[0].extend(data[start:end]),
                "on_header_value": lambda data, start, end: self._header[1].extend(data[start:end]),
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_done,
                "on_part_data": self._data,
                "on_part_end": self._end,
            },
        )
        try:
            async for chunk in request.stream():
                parser.write(chunk)
            parser.finalize()
            if self._open:  # the body ended inside a part: a truncated upload
                raise UploadRefused(400, "Le dépôt a été interrompu avant la fin : réessayez.")
            self._check()
        except MultipartParseError as exc:
            self.discard()
            raise UploadRefused(400, "Le formulaire de dépôt est mal formé : réessayez.") from exc
        except OSError as exc:
            self.discard()
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise UploadRefused(507, DISK_FULL_FR) from exc
            raise
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Delete every file received (the request failed, or the caller gives up)."""
        for received in self.files:
            received.discard()
        with contextlib.suppress(OSError):  # a folder of its own (meetings) goes too; else kept
            self.directory.rmdir()

    def _check(self) -> None:
        if not self.checked:
            self.checked = True
            self.check(self.fields)

    # -- parser callbacks ------------------------------------------------------------------------
    def _begin(self) -> None:
        if len(self.fields) + len(self.files) >= self.max_files + MAX_EXTRA_PARTS:
            raise UploadRefused(
                413, "Ce formulaire contient beaucoup trop de champs ou de fichiers."
            )
        self._headers, self._value, self._file, self._open = {}, bytearray(), None, True

    def _header_end(self) -> None:
        name, value = self._header
        self._headers[bytes(name).lower()] = bytes(value)
        self._header = (bytearray(), bytearray())

    def _headers_done(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = _text(options.get(b"name", b""))
        raw_name = _text(options.get(b"filename", b""))
        if not raw_name:  # a text field, or a file input left empty
            return
        self._check()
        mime = _text(self._headers.get(b"content-type", b"")).split(";")[0].strip()[:100]
        self._file = received = File(self._name, clean_filename(raw_name), mime)
        self.files.append(received)
        if len(self.files) > self.max_files:
            received.error = "too_many"
        elif not self.accept(received.filename, mime):
            received.error = "unsupported"
        else:
            self.directory.mkdir(parents=True, exist_ok=True)
            received.path = self.directory / f"{uuid.uuid4().hex}.part"
            received._out = received.path.open("wb")

    def _data(self, data: bytes, start: int, end: int) -> None:
        received = self._file
        if received is None:
            if len(self._value) + end - start > MAX_FIELD_BYTES:
                raise UploadRefused(413, "Un champ du formulaire est trop long.")
            self._value += data[start:end]
        elif received._out is not None:  # else refused: the rest of it is read and dropped
            if received.size + end - start > self.max_file_bytes:
                received.discard()
                received.error = "too_large"
                return
            received.write(data[start:end])

    def _end(self) -> None:
        self._open = False
        if self._file is None:
            self.fields[self._name] = _text(bytes(self._value))
        else:
            self._file.close()
