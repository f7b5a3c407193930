"""The streaming multipart receiver: files go to disk as they arrive, refused at the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from civia.documents.errors import EmptyFileError, FileTooLargeError, UnsupportedFormatError
from civia.documents.upload import TooManyFilesError, UploadReceiver, UploadRefused, clean_filename

BOUNDARY = "----civia"


def body(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    out = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (
            f'; filename="{filename}"' if filename is not None else ""
        )
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode()
        if filename is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def receiver(tmp_path: Path, **kw: object) -> UploadReceiver:
    options = {"data_dir": tmp_path, "max_bytes": 1000, "max_files": 3,
               "csrf_ok": lambda v: v == "jeton", "csrf_in_header": False, **kw}  # fmt: skip
    return UploadReceiver(f"multipart/form-data; boundary={BOUNDARY}", **options)  # type: ignore[arg-type]


def feed(rx: UploadReceiver, data: bytes, piece: int = 7) -> None:
    for start in range(0, len(data), piece):
        rx.feed(data[start : start + piece])
    rx.finish()


def test_files_are_written_as_they_arrive_and_hashed(tmp_path: Path) -> None:
    import hashlib

    rx = receiver(tmp_path)
    feed(rx, body([("csrf_token", None, b"jeton"), ("files", "note.txt", b"Bonjour " * 50)]))
    (received,) = rx.files
    assert received.filename == "note.txt" and received.error is None and received.incoming
    assert received.incoming.path.read_bytes() == b"Bonjour " * 50
    assert received.incoming.sha256 == hashlib.sha256(b"Bonjour " * 50).hexdigest()


def test_over_limit_stops_writing_at_the_limit(tmp_path: Path) -> None:
    rx = receiver(tmp_path)
    rx.feed(body([("csrf_token", None, b"jeton")])[: -len(f"--{BOUNDARY}--\r\n")])
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="gros.pdf"\r\n\r\n'
    )
    rx.feed(head.encode())
    for _ in range(10):
        rx.feed(b"x" * 500)  # 5,000 bytes for a 1,000-byte limit
        on_disk = [p.stat().st_size for p in tmp_path.glob("documents/incoming/*")]
        assert all(size <= 1000 for size in on_disk)  # never more than the limit on disk
    rx.feed(f"\r\n--{BOUNDARY}--\r\n".encode())
    rx.finish()
    (received,) = rx.files
    assert isinstance(received.error, FileTooLargeError) and received.incoming is None
    assert not list(tmp_path.glob("documents/incoming/*"))  # discarded at once


def test_refusals_per_file(tmp_path: Path) -> None:
    rx = receiver(tmp_path, max_files=2)
    feed(rx, body([("csrf_token", None, b"jeton"), ("files", "vide.txt", b""),
                   ("files", "virus.exe", b"MZ"), ("files", "trop.txt", b"Un de trop.")]))  # fmt: skip
    errors = [type(r.error) for r in rx.files]
    assert errors == [EmptyFileError, UnsupportedFormatError, TooManyFilesError]


def test_csrf_must_come_before_the_first_file(tmp_path: Path) -> None:
    rx = receiver(tmp_path)
    with pytest.raises(UploadRefused) as refused:
        feed(rx, body([("files", "a.txt", b"Texte."), ("csrf_token", None, b"jeton")]))
    assert refused.value.status == 403
    assert not list(tmp_path.glob("documents/incoming/*"))
    with pytest.raises(UploadRefused):
        feed(receiver(tmp_path), body([("csrf_token", None, b"faux")]))
    with pytest.raises(UploadRefused) as wrong:
        UploadReceiver("application/json", data_dir=tmp_path, max_bytes=1, max_files=1,
                       csrf_ok=lambda v: True, csrf_in_header=True)  # fmt: skip
    assert wrong.value.status == 415


def test_filenames_are_cleaned() -> None:
    assert clean_filename("C:\\Users\\agent\\Bureau\\arrêté n°12.pdf") == "arrêté n°12.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("a\x00b\n.txt") == "ab.txt"
    assert clean_filename("") == "document"


def test_a_flood_of_parts_is_refused(tmp_path: Path) -> None:
    parts = [("csrf_token", None, b"jeton")] + [(f"champ{i}", None, b"x") for i in range(100)]
    with pytest.raises(UploadRefused) as refused:
        feed(receiver(tmp_path), body(parts))
    assert refused.value.status == 413
