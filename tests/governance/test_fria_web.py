"""Attaching and downloading the Art. 27 assessment over HTTP: limits, types, rights, tenants."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.audit.models import AuditEntry
from civia.db.engine import session_scope
from civia.governance import usecases
from civia.governance.models import FriaFile
from civia.settings import Settings
from tests.conftest import Personas, page_text
from tests.governance import fria_files
from tests.governance.conftest import session, sign_in, text_of, user
from tests.governance.test_usecases import full_card

LIMIT = 100_000


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"fria_max_mb": LIMIT / 1_000_000})


def _case(client: TestClient, personas: Personas, **overrides: object) -> int:
    with session_scope(session(client)) as db:
        case = usecases.create(
            db, actor=user(db, "referent"), card=full_card(personas, **overrides)
        )
        return case.id


def _upload(client: TestClient, case_id: int, headers: dict[str, str], name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        f"/gouvernance/cas-usage/{case_id}/analyse-impact",
        files={"fichier": (name, data, "application/octet-stream")},
        headers=headers,
        follow_redirects=False,
    )


def _stored(client: TestClient) -> list[FriaFile]:
    with session_scope(session(client)) as db:
        rows = db.scalars(select(FriaFile)).all()
        db.expunge_all()
        return list(rows)


def test_upload_then_the_comite_downloads(client: TestClient, personas: Personas) -> None:
    case_id = _case(client, personas, risk_class="high")
    headers = sign_in(client, "referent")
    pdf = fria_files.pdf()
    resp = _upload(client, case_id, headers, "AIPD aides sociales – été.pdf", pdf)
    assert resp.status_code == 303, page_text(resp)
    page = text_of(client.get(f"/gouvernance/cas-usage/{case_id}"))
    assert "AIPD aides sociales – été.pdf" in page and "1 (en cours)" in page
    assert "l'analyse d'impact sur les droits fondamentaux manque" not in page

    sign_in(client, "comite")
    got = client.get(f"/gouvernance/cas-usage/{case_id}/analyse-impact/1")
    assert got.status_code == 200 and got.content == pdf
    assert got.headers["content-type"] == "application/pdf"
    assert (
        "filename*=UTF-8''AIPD%20aides%20sociales%20%E2%80%93%20%C3%A9t%C3%A9.pdf"
        in (got.headers["content-disposition"])
    )
    assert client.get(f"/gouvernance/cas-usage/{case_id}/analyse-impact/2").status_code == 404
    with session_scope(session(client)) as db:
        actions = db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["usecase.fria_attached", "export.downloaded"]


def test_a_new_version_replaces_the_current_one(client: TestClient, personas: Personas) -> None:
    case_id = _case(client, personas)
    headers = sign_in(client, "referent")
    first = fria_files.docx()  # built once: the zip's timestamps change every second
    assert _upload(client, case_id, headers, "v1.docx", first).status_code == 303
    resp = _upload(client, case_id, headers, "v1.docx", first)
    assert resp.status_code == 409 and "déjà la version en cours" in page_text(resp)
    assert _upload(client, case_id, headers, "v2.odt", fria_files.odt()).status_code == 303
    page = text_of(client.get(f"/gouvernance/cas-usage/{case_id}"))
    assert "v2.odt (version 2, OpenDocument (ODT))" in page and "v1.docx" in page
    assert [r.version for r in _stored(client)] == [1, 2]


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("notes.txt", b"du texte", 415, "Format non accepté (« notes.txt »)"),
        ("faux.pdf", b"<html>pas un pdf</html>", 415, "n'est pas un PDF valide"),
        ("vide.odt", b"", 422, "est vide"),
    ],
)
def test_bad_files_keep_the_page_and_say_why(
    client: TestClient, personas: Personas, name: str, data: bytes, status: int, message: str
) -> None:
    case_id = _case(client, personas)
    resp = _upload(client, case_id, sign_in(client, "referent"), name, data)
    assert resp.status_code == status
    page = page_text(resp)
    assert message in page and 'role="alert"' in page and 'aria-invalid="true"' in page
    assert "Joindre l'analyse d'impact" in page  # the form is shown again
    assert _stored(client) == []


def test_a_missing_file_is_a_422(client: TestClient, personas: Personas) -> None:
    case_id = _case(client, personas)
    headers = sign_in(client, "referent")
    resp = client.post(
        f"/gouvernance/cas-usage/{case_id}/analyse-impact",
        data={"x": "1"},
        headers=headers,
        follow_redirects=False,
    )
    assert resp.status_code == 422 and "Choisissez le fichier" in page_text(resp)


def test_oversized_bodies_are_cut_off_while_reading(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    case_id = _case(client, personas)
    headers = sign_in(client, "referent")
    big = fria_files.pdf() + b"%" * (LIMIT + 200_000)
    resp = _upload(client, case_id, headers, "grand.pdf", big)  # Content-Length declared
    assert resp.status_code == 413 and "taille maximale (100 Ko)" in page_text(resp)
    assert "Rien n'a été enregistré" in page_text(resp)

    def chunked() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        boundary = b"--xyz\r\n"
        yield boundary + b'Content-Disposition: form-data; name="fichier"; filename="g.pdf"\r\n'
        yield b"Content-Type: application/pdf\r\n\r\n"
        for _ in range(100):
            yield b"%" * 10_000
        yield b"\r\n--xyz--\r\n"

    resp = client.post(
        f"/gouvernance/cas-usage/{case_id}/analyse-impact",
        content=chunked(),
        headers={**headers, "Content-Type": "multipart/form-data; boundary=xyz"},
        follow_redirects=False,
    )
    assert resp.status_code == 413
    assert _stored(client) == [] and not (Path(settings.data_dir) / "fria").exists()


def test_rights_and_tenants(client: TestClient, personas: Personas) -> None:
    case_id = _case(client, personas)
    assert (
        _upload(client, case_id, sign_in(client, "comite"), "a.pdf", fria_files.pdf()).status_code
        == 303
    )
    path = f"/gouvernance/cas-usage/{case_id}/analyse-impact"
    for login, status in (("agent", 403), ("pilotage", 403), ("dpo", 403), ("olivia", 404)):
        resp = _upload(client, case_id, sign_in(client, login), "b.pdf", fria_files.pdf("b"))
        assert resp.status_code == status, login
    for login, status in (("agent", 403), ("pilotage", 200), ("dpo", 200), ("olivia", 404)):
        sign_in(client, login)
        assert client.get(f"{path}/1").status_code == status, login
    sign_in(client, "referent")  # no CSRF token: refused before anything is stored
    resp = client.post(path, files={"fichier": ("c.pdf", fria_files.pdf("c"))})
    assert resp.status_code == 403
    assert [r.version for r in _stored(client)] == [1]
