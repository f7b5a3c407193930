"""The streamed upload: the limit is enforced while the body arrives, fields come first."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from starlette.requests import Request

from civia.meetings import upload

BOUNDARY = b"civia"


def _request(pieces: list[bytes], received: list[int], length: int | None = None) -> Request:
    headers = [(b"content-type", b"multipart/form-data; boundary=" + BOUNDARY)]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    queue = list(pieces)

    async def receive() -> dict[str, object]:
        body = queue.pop(0) if queue else b""
        received.append(len(body))
        return {"type": "http.request", "body": body, "more_body": bool(queue)}

    return Request({"type": "http", "method": "POST", "headers": headers}, receive)


def _field(name: str, value: str) -> bytes:
    return (
        b"--" + BOUNDARY + b"\r\nContent-Disposition: form-data; name=\"" + name.encode()
        + b"\"\r\n\r\n" + value.encode() + b"\r\n"
    )  # fmt: skip


def _file_head(filename: str = "r.ogg") -> bytes:
    return (
        b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="audio"; filename="'
        + filename.encode() + b'"\r\nContent-Type: audio/ogg\r\n\r\n'
    )  # fmt: skip


def _receive(request: Request, tmp_path: Path, checked: list[dict[str, str]], max_bytes: int):
    return asyncio.run(
        upload.receive(
            request,
            directory=tmp_path,
            max_bytes=max_bytes,
            file_field="audio",
            before_file=lambda fields: checked.append(dict(fields)),
        )
    )


def test_fields_then_file_land_on_disk(tmp_path: Path) -> None:
    checked: list[dict[str, str]] = []
    body = [_field("csrf_token", "jeton") + _field("title", "Réunion"), _file_head("..\\c:/x/é.ogg"),
            b"OggS" * 10, b"\r\n--" + BOUNDARY + b"--\r\n"]  # fmt: skip
    got = _receive(_request(body, []), tmp_path, checked, 1000)
    assert checked == [{"csrf_token": "jeton", "title": "Réunion"}]  # before any file byte
    assert got.fields["title"] == "Réunion" and got.filename == "é.ogg" and got.size == 40
    assert got.path is not None and got.path.read_bytes() == b"OggS" * 10
    assert got.content_type == "audio/ogg"


def test_reading_stops_once_the_limit_is_passed(tmp_path: Path) -> None:
    received: list[int] = []
    body = [_field("csrf_token", "j") + _file_head(), *[b"\x01" * 100_000] * 50]
    with pytest.raises(upload.UploadError) as caught:
        _receive(_request(body, received), tmp_path, [], 250_000)
    assert caught.value.status == 413
    assert len(received) == 4  # the head and three pieces: 300 kB read of 5 MB, then stop
    assert list(tmp_path.iterdir()) == []  # the partial file is gone


def test_a_declared_length_over_the_limit_reads_nothing(tmp_path: Path) -> None:
    received: list[int] = []
    with pytest.raises(upload.UploadError) as caught:
        _receive(_request([b"x"], received, length=4 * 1024**3), tmp_path, [], 10**6)
    assert caught.value.status == 413 and "taille maximale" in caught.value.message_fr
    assert received == []


def test_a_refused_token_stops_before_the_file(tmp_path: Path) -> None:
    def refuse(_fields: dict[str, str]) -> None:
        raise upload.UploadError(403, "non")

    body = [_field("csrf_token", "faux") + _file_head() + b"OggS" * 10]
    with pytest.raises(upload.UploadError):
        asyncio.run(
            upload.receive(
                _request(body, []), directory=tmp_path, max_bytes=1000, file_field="audio",
                before_file=refuse,
            )
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ([_file_head(), b"OggS"], 400),  # the body ends inside the file
        ([_field("x", "y" * (upload.MAX_FIELD_BYTES + 1))], 413),
        ([b"--" + BOUNDARY + b"\r\nnot a header\r\n\r\n"], 400),
    ],
)
def test_truncated_or_malformed_bodies(tmp_path: Path, body: list[bytes], status: int) -> None:
    with pytest.raises(upload.UploadError) as caught:
        _receive(_request(body, []), tmp_path, [], 1000)
    assert caught.value.status == status
    assert list(tmp_path.iterdir()) == []
