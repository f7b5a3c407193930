"""The streamed multipart receiver: files on disk as they arrive, hashed, limited per file and
in number, text fields collected, and nothing left behind half-written."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from civia.web.deps import CsrfFailed
from civia.web.uploads import stream
from civia.web.uploads.limit import BodyLimit, UploadRefused
from civia.web.uploads.stream import Receiver, clean_filename, csrf
from tests.web.uploads.test_limit import CHUNK, LIMIT, B, _client, _scope


def _field(name: str, value: bytes) -> bytes:
    head = f'--{B}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
    return head.encode() + value + b"\r\n"


def _file_head(filename: str, name: str = "files", mime: str = "text/plain") -> bytes:
    head = f'--{B}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
    return (head + f"Content-Type: {mime}; charset=utf-8\r\n\r\n").encode()


def _file(filename: str, data: bytes, **kw: str) -> bytes:
    return _file_head(filename, **kw) + data + b"\r\n"


END = f"--{B}--\r\n".encode()


def _receiver(tmp_path: Path, checked: list[dict[str, str]], **kw: Any) -> Receiver:
    options: dict[str, Any] = {"max_file_bytes": 1000, "max_files": 3, **kw}
    return Receiver(directory=tmp_path / "in", check=lambda f: checked.append(dict(f)), **options)


def _read(receiver: Receiver, pieces: list[bytes], scope: Scope | None = None) -> None:
    request = Request(scope or _scope(), _client(pieces, []))
    asyncio.run(receiver.read(request))


def _split(data: bytes, size: int = 7) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def _on_disk(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "in").glob("*")) if (tmp_path / "in").exists() else []


def test_files_go_to_disk_hashed_and_text_fields_are_collected(tmp_path: Path) -> None:
    checked: list[dict[str, str]] = []
    rx = _receiver(tmp_path, checked)
    text = "Délibération n°12".encode()
    body = _field("csrf_token", b"jeton") + _field("titre", text)
    body += _file("C:\\Bureau\\note é.txt", b"Bonjour " * 50) + _field("apres", b"1") + END
    _read(rx, _split(body))
    assert checked == [{"csrf_token": "jeton", "titre": "Délibération n°12"}]  # before the file
    assert rx.fields == {"csrf_token": "jeton", "titre": "Délibération n°12", "apres": "1"}
    (received,) = rx.files
    assert (received.name, received.filename, received.mime) == (
        "files",
        "note é.txt",
        "text/plain",
    )
    assert received.error == "" and received.size == 400 and received.path is not None
    assert received.path.read_bytes() == b"Bonjour " * 50
    assert received.sha256 == hashlib.sha256(b"Bonjour " * 50).hexdigest()


def test_a_file_over_its_limit_never_passes_it_on_disk_and_is_dropped(tmp_path: Path) -> None:
    sizes: list[int] = []
    rx = _receiver(tmp_path, [])
    pieces = [_field("csrf_token", b"j") + _file_head("gros.txt")] + [b"x" * 300] * 10
    pieces += [b"\r\n" + _file("petit.txt", b"Petit.") + END]

    def watch() -> None:
        sizes.extend(p.stat().st_size for p in _on_disk(tmp_path))

    asyncio.run(rx.read(Request(_scope(), _client(pieces, [], watch))))
    assert sizes and max(sizes) <= 1000  # never more than the limit on disk
    big, small = rx.files
    assert big.error == "too_large" and big.path is None
    assert small.error == "" and small.path is not None and _on_disk(tmp_path) == [small.path]


def test_too_many_files_and_refused_formats_are_not_written(tmp_path: Path) -> None:
    rx = _receiver(tmp_path, [], max_files=2, accept=lambda name, _mime: name.endswith(".txt"))
    body = b"".join(_file(n, b"Texte.") for n in ("a.txt", "virus.exe", "c.txt")) + END
    _read(rx, [body])
    assert [(f.filename, f.error) for f in rx.files] == [
        ("a.txt", ""), ("virus.exe", "unsupported"), ("c.txt", "too_many")
    ]  # fmt: skip
    assert len(_on_disk(tmp_path)) == 1


def test_an_empty_file_input_is_no_file(tmp_path: Path) -> None:
    checked: list[dict[str, str]] = []
    rx = _receiver(tmp_path, checked)
    _read(rx, [_field("csrf_token", b"j") + _file("", b"") + END])
    assert rx.files == [] and checked == [{"csrf_token": "j", "files": ""}]  # checked at the end


def test_a_refused_check_stops_before_the_first_file_byte(tmp_path: Path) -> None:
    def refuse(_fields: dict[str, str]) -> None:
        raise CsrfFailed

    def receiver() -> Receiver:
        return Receiver(directory=tmp_path / "in", max_file_bytes=1000, max_files=1, check=refuse)

    with pytest.raises(CsrfFailed):
        _read(receiver(), [_file("a.txt", b"Texte.") + _field("csrf_token", b"j") + END])
    assert _on_disk(tmp_path) == []
    with pytest.raises(CsrfFailed):  # a request without a body is an empty form
        _read(receiver(), [b""], {**_scope(), "headers": []})
    with pytest.raises(UploadRefused) as wrong:  # a body of another kind: not an upload
        json = [(b"content-type", b"application/json")]
        _read(receiver(), [b"{}"], {**_scope(), "headers": json})
    assert wrong.value.status_code == 415


def test_a_body_cut_off_by_the_limit_leaves_no_partial_file(tmp_path: Path) -> None:
    rx = _receiver(tmp_path, [], max_file_bytes=10**6)
    pieces = [_field("csrf_token", b"j") + _file_head("long.txt")] + [b"x" * CHUNK] * 100
    seen: list[Path] = []

    async def app(scope: Scope, receive: Receive, _send: Send) -> None:
        await rx.read(Request(scope, receive))

    async def send(_message: Message) -> None:
        return None

    client = _client(pieces, [], lambda: seen.extend(_on_disk(tmp_path)))
    with pytest.raises(UploadRefused) as refused:
        asyncio.run(BodyLimit(app, limits=[LIMIT])(_scope(), client, send))
    assert refused.value.status_code == 413
    assert seen and _on_disk(tmp_path) == []  # the file was being written, then removed


@pytest.mark.parametrize(
    ("pieces", "status"),
    [
        ([_file_head("a.txt"), b"debut"], 400),  # the body ends inside the file
        ([_field("x", b"y" * 10_001)], 413),
        ([f"--{B}\r\nnot a header\r\n\r\n".encode()], 400),
        ([b"".join(_field(f"champ{i}", b"x") for i in range(60)) + END], 413),  # a flood
    ],
)
def test_truncated_malformed_or_flooding_bodies(
    tmp_path: Path, pieces: list[bytes], status: int
) -> None:
    with pytest.raises(UploadRefused) as refused:
        _read(_receiver(tmp_path, []), pieces)
    assert refused.value.status_code == status
    assert _on_disk(tmp_path) == []


def test_csrf_from_the_header_or_else_the_field() -> None:
    session = SimpleNamespace(csrf_token="jeton")

    def check(headers: list[tuple[bytes, bytes]], fields: dict[str, str]) -> bool:
        request = Request({"type": "http", "headers": headers})
        try:
            csrf(request, session)(fields)  # type: ignore[arg-type]
        except CsrfFailed:
            return False
        return True

    assert check([], {"csrf_token": "jeton"})
    assert check([(b"x-csrf-token", b"jeton")], {})
    assert not check([(b"x-csrf-token", b"faux")], {"csrf_token": "jeton"})
    assert not check([], {"csrf_token": "faux"}) and not check([], {})


def test_filenames_are_cleaned() -> None:
    assert clean_filename("C:\\Users\\agent\\Bureau\\arrêté n°12.pdf") == "arrêté n°12.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("a\x00b\n.txt") == "ab.txt"
    assert clean_filename("") == "document"


def test_a_full_disk_refuses_the_upload_in_french_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is written to /dev/full (ENOSPC, as on a full disk): 507 with a French
    message, the partial file removed, nothing passed on."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plein.part").symlink_to("/dev/full")
    monkeypatch.setattr(stream.uuid, "uuid4", lambda: SimpleNamespace(hex="plein"))
    rx = _receiver(tmp_path, [], max_file_bytes=10**6)
    with pytest.raises(UploadRefused) as refused:
        _read(rx, [_field("csrf_token", b"j"), _file("gros.txt", b"x" * 100_000), END])
    assert refused.value.status_code == 507
    assert "espace disque" in refused.value.message
    assert _on_disk(tmp_path) == [] and rx.files[0].path is None
