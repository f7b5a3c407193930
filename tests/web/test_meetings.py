"""Meeting pages over HTTP: upload (limits and bad files), the owner-only pages, the recording
with Range, the editor's saves (409 on a stale version), exports, deletion."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civia.jobs.models import Job
from civia.meetings.models import Meeting, MeetingSegment
from tests.conftest import Personas, login_as, page_text
from tests.meetings.conftest import CLIP, add_meeting, needs_clip, needs_ffmpeg, write_wav


def _upload(client: TestClient, headers: dict[str, str], name: str, data: bytes, **fields: str):
    form = {"title": "Conseil municipal", "language": "fr", **fields}
    return client.post(
        "/reunions",
        data=form,
        files={"audio": (name, data, "audio/ogg")},
        headers={**headers, "Accept": "application/json"},
    )


def _audio_dir(client: TestClient) -> Path:
    return client.app.state.settings.data_dir / "reunions"  # type: ignore[attr-defined]


def _leftovers(client: TestClient) -> list[Path]:
    root = _audio_dir(client)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _meeting_of(client: TestClient, personas: Personas, login: str, audio: Path | None = None):
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        meeting = add_meeting(
            db, personas[login], [("", "Bonjour à tous."), ("", "Le budget est adopté.")],
            audio=audio,
        )  # fmt: skip
        db.commit()
        return meeting.id


@needs_ffmpeg
@needs_clip
def test_upload_stores_the_recording_and_queues_its_transcription(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "agent")
    resp = _upload(client, headers, CLIP.name, CLIP.read_bytes(), meeting_date="2026-03-12")
    assert resp.status_code == 201, resp.text
    url = resp.json()["url"]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        meeting = db.get(Meeting, resp.json()["id"])
        job = db.get(Job, meeting.job_id)
        assert job.kind == "meetings.transcribe" and job.queue == "transcription"
        assert Path(meeting.audio_file).read_bytes() == CLIP.read_bytes()
        assert meeting.meeting_date == "2026-03-12" and meeting.language == "fr"
        assert meeting.audio_mime == "audio/ogg"
    page = page_text(client.get(url))
    assert "Transcription de réunion" in page and "<progress" in page
    assert "Vous pouvez quitter cette page" in page
    busy = client.post(f"{url}/transcription", data={"version": "1"}, headers=headers)
    assert busy.status_code == 409 and "en cours" in page_text(busy)
    assert "Conseil municipal" in page_text(client.get("/reunions"))


@needs_ffmpeg
def test_the_form_without_javascript_redirects(client: TestClient, tmp_path: Path) -> None:
    csrf = login_as(client, "agent")["X-CSRF-Token"]
    wav = write_wav(tmp_path / "r.wav", [1000, -1000] * 8000)
    resp = client.post(
        "/reunions",
        data={"csrf_token": csrf, "title": "", "language": "fr"},
        files={"audio": ("point presse.wav", wav.read_bytes(), "audio/wav")},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"].startswith("/reunions/")
    assert "point presse" in page_text(client.get(resp.headers["location"]))


@needs_ffmpeg
@pytest.mark.parametrize(
    ("name", "make", "status", "message"),
    [
        ("notes.mp3", lambda clip: b"Ordre du jour : budget.\n" * 40, 415, "n'est pas un enregistrement"),
        ("vide.ogg", lambda clip: b"", 422, "vide"),
        ("abime.ogg", lambda clip: b"\x00" * 256 + clip[256:], 415, "en-tête corrompu"),
    ],
)  # fmt: skip
def test_bad_files_are_refused_in_french_and_nothing_is_kept(
    client: TestClient, name: str, make, status: int, message: str
) -> None:
    headers = login_as(client, "agent")
    clip = CLIP.read_bytes() if CLIP.exists() else b"OggS" * 200
    resp = _upload(client, headers, name, make(clip))
    assert resp.status_code == status and message in resp.json()["detail"]
    assert _leftovers(client) == []


@needs_ffmpeg
def test_unsupported_codec_is_refused(client: TestClient, tmp_path: Path) -> None:
    """A WAV whose header names a codec ffmpeg cannot decode (format tag 0x1234)."""
    wav = write_wav(tmp_path / "r.wav", [0, 100] * 4000).read_bytes()
    odd = wav[:20] + (0x1234).to_bytes(2, "little") + wav[22:]
    resp = _upload(client, login_as(client, "agent"), "codec.wav", odd)
    assert resp.status_code == 415 and "codec" in resp.json()["detail"]


def test_a_declared_4_gb_upload_is_refused_before_reading(client: TestClient) -> None:
    headers = login_as(client, "agent")
    body = iter([b"--x\r\n"])  # a few bytes stand for the 4 GB announced
    resp = client.post(
        "/reunions",
        content=body,
        headers={
            **headers,
            "Accept": "application/json",
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(4 * 1024**3),
        },
    )
    assert resp.status_code == 413 and "taille maximale" in resp.json()["detail"]
    assert _leftovers(client) == []


def test_an_upload_growing_past_the_limit_stops_at_the_limit(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No Content-Length (chunked): the count is checked as the file arrives."""
    settings = client.app.state.settings  # type: ignore[attr-defined]
    monkeypatch.setattr(settings, "max_audio_mb", 1)
    headers = login_as(client, "agent")

    def body():
        yield (
            b'--x\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            + headers["X-CSRF-Token"].encode()
            + b'\r\n--x\r\nContent-Disposition: form-data; name="audio"; filename="long.ogg"\r\n'
            b"Content-Type: audio/ogg\r\n\r\n"
        )
        for _ in range(8):  # 8 MB in 1 MB pieces
            yield b"\x01" * 1_000_000
        yield b"\r\n--x--\r\n"

    resp = client.post(
        "/reunions",
        content=body(),
        headers={"Accept": "application/json", "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert resp.status_code == 413 and "1 Mo" in resp.json()["detail"]
    assert _leftovers(client) == []  # (tests/meetings/test_upload.py: reading stops there)


@needs_ffmpeg
@needs_clip
def test_csrf_is_checked_before_the_file_is_written(client: TestClient) -> None:
    login_as(client, "agent")
    resp = client.post(
        "/reunions",
        data={"title": "x", "csrf_token": "faux"},
        files={"audio": (CLIP.name, CLIP.read_bytes(), "audio/ogg")},
    )
    assert resp.status_code == 403 and _leftovers(client) == []


@needs_ffmpeg
@needs_clip
def test_bad_fields_keep_what_was_typed(client: TestClient) -> None:
    csrf = login_as(client, "agent")["X-CSRF-Token"]
    resp = client.post(
        "/reunions",
        data={"csrf_token": csrf, "title": "Commission voirie", "language": "xx"},
        files={"audio": (CLIP.name, CLIP.read_bytes(), "audio/ogg")},
    )
    assert resp.status_code == 422 and "Langue inconnue" in page_text(resp)
    assert 'value="Commission voirie"' in resp.text and _leftovers(client) == []
    none = client.post("/reunions", data={"csrf_token": csrf, "title": "Sans fichier"})
    assert none.status_code == 415  # not even a file form
    empty = client.post(
        "/reunions",
        data={"csrf_token": csrf, "title": "Sans fichier"},
        files={"other": ("", b"", "application/octet-stream")},
    )
    assert empty.status_code == 422


def test_other_people_get_404_on_every_meeting_route(
    client: TestClient, personas: Personas, tmp_path: Path
) -> None:
    audio = tmp_path / "r.ogg"
    shutil.copy(CLIP, audio) if CLIP.exists() else audio.write_bytes(b"OggS")
    meeting_id = _meeting_of(client, personas, "agent", audio)
    routes = [
        ("GET", f"/reunions/{meeting_id}"),
        ("GET", f"/reunions/{meeting_id}/audio"),
        ("GET", f"/reunions/{meeting_id}/export/srt"),
        ("POST", f"/reunions/{meeting_id}/transcription"),
        ("POST", f"/reunions/{meeting_id}/audio/supprimer"),
        ("POST", f"/reunions/{meeting_id}/supprimer"),
    ]
    for login in ("bob", "referent", "admin", "dpo", "carol", "olivia"):
        client.cookies.clear()
        headers = login_as(client, login)
        for method, path in routes:
            resp = client.request(method, path, headers=headers, data={"version": "1"})
            assert resp.status_code == 404, (login, method, path)
    client.cookies.clear()
    for method, path in [*routes, ("GET", "/reunions"), ("POST", "/reunions")]:
        resp = client.request(method, path, follow_redirects=False)
        assert resp.status_code in (303, 401), (method, path)
    assert audio.exists()


def test_the_recording_is_served_with_ranges(
    client: TestClient, personas: Personas, tmp_path: Path
) -> None:
    audio = tmp_path / "r.ogg"
    audio.write_bytes(bytes(range(256)) * 40)
    meeting_id = _meeting_of(client, personas, "agent", audio)
    login_as(client, "agent")
    resp = client.get(f"/reunions/{meeting_id}/audio", headers={"Range": "bytes=100-199"})
    assert resp.status_code == 206 and resp.content == audio.read_bytes()[100:200]
    assert resp.headers["content-range"] == "bytes 100-199/10240"
    assert resp.headers["content-type"] == "audio/ogg"
    whole = client.get(f"/reunions/{meeting_id}/audio")
    assert whole.status_code == 200 and whole.headers["accept-ranges"] == "bytes"


def _form(page: str) -> dict[str, str]:
    fields = dict(
        re.findall(r'<input type="hidden" name="(csrf_token|version)" value="([^"]*)"', page)
    )
    for sid, text in re.findall(
        r'<textarea id="t-(\d+)" name="t-\d+"[^>]*>([^<]*)</textarea>', page
    ):
        fields[f"t-{sid}"] = text
    for sid, speaker in re.findall(r'<input id="s-(\d+)" name="s-\d+"[^>]*value="([^"]*)"', page):
        fields[f"s-{sid}"] = speaker
    return fields


def test_editor_saves_renames_and_refuses_a_stale_version(
    client: TestClient, personas: Personas
) -> None:
    meeting_id = _meeting_of(client, personas, "agent")
    login_as(client, "agent")
    form = _form(client.get(f"/reunions/{meeting_id}").text)
    first = next(k for k in form if k.startswith("t-"))
    form[first] = "Bonjour à toutes et à tous."
    saved = client.post(
        f"/reunions/{meeting_id}/transcription",
        data={**form, "action": "save"},
        headers={"Accept": "application/json"},
    )
    assert saved.status_code == 200 and saved.json()["version"] == 2
    renamed = client.post(
        f"/reunions/{meeting_id}/transcription",
        data={
            **form,
            "version": "2",
            "action": "rename",
            "rename_from": "",
            "rename_to": "Le maire",
        },
        follow_redirects=False,
    )
    assert renamed.status_code == 303 and "renomm" in renamed.headers["location"]
    # A tab still on version 1 with other text: 409, its text shown back, nothing saved.
    form[first] = "Texte d'un onglet resté ouvert."
    stale = client.post(f"/reunions/{meeting_id}/transcription", data={**form, "action": "save"})
    assert stale.status_code == 409 and "modifiée entre-temps" in page_text(stale)
    assert "Texte d'un onglet resté ouvert." in page_text(stale)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        rows = db.query(MeetingSegment).order_by(MeetingSegment.position).all()
        assert rows[0].text == "Bonjour à toutes et à tous."
        assert {r.speaker for r in rows} == {"Le maire"}
    no_csrf = {k: v for k, v in form.items() if k != "csrf_token"}
    assert client.post(f"/reunions/{meeting_id}/transcription", data=no_csrf).status_code == 403


def test_review_then_exports_and_deletion(
    client: TestClient, personas: Personas, tmp_path: Path
) -> None:
    audio = tmp_path / "r.ogg"
    audio.write_bytes(b"OggS" * 50)
    meeting_id = _meeting_of(client, personas, "agent", audio)
    login_as(client, "agent")
    form = _form(client.get(f"/reunions/{meeting_id}").text)
    resp = client.post(f"/reunions/{meeting_id}/transcription", data={**form, "action": "review"})
    assert "Relecture terminée. L'enregistrement audio a été supprimé." in page_text(resp)
    assert not audio.exists()
    assert client.get(f"/reunions/{meeting_id}/audio").status_code == 404
    srt_file = client.get(f"/reunions/{meeting_id}/export/srt")
    assert srt_file.status_code == 200 and "Relue par Agent" in srt_file.text
    assert (
        'filename="transcription-conseil-municipal.srt"' in srt_file.headers["content-disposition"]
    )
    assert client.get(f"/reunions/{meeting_id}/export/pdf").status_code == 404
    headers = login_as(client, "agent")
    gone = client.post(f"/reunions/{meeting_id}/supprimer", headers=headers, follow_redirects=False)
    assert gone.status_code == 303 and client.get(f"/reunions/{meeting_id}").status_code == 404


def test_short_transcript_goes_to_the_assistant_with_speakers(
    client: TestClient, personas: Personas
) -> None:
    meeting_id = _meeting_of(client, personas, "agent")
    login_as(client, "agent")
    form = _form(client.get(f"/reunions/{meeting_id}").text)
    sid = next(k for k in form if k.startswith("s-"))
    form[sid] = "Le maire"
    resp = client.post(
        f"/reunions/{meeting_id}/transcription",
        data={**form, "action": "minutes"},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"].startswith("/resultats/")
    result = page_text(client.get(resp.headers["location"]))
    assert "Compte rendu de réunion" in result
    assert "Le maire : Bonjour à tous." in result  # the notes sent, with the speaker label
    assert f"/reunions/{meeting_id}" and "Ouvrir le dernier compte rendu" in page_text(
        client.get(f"/reunions/{meeting_id}")
    )


def test_long_transcript_is_condensed_in_a_job(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client.app.state.settings, "minutes_direct_chars", 20)  # type: ignore[attr-defined]
    meeting_id = _meeting_of(client, personas, "agent")
    login_as(client, "agent")
    form = _form(client.get(f"/reunions/{meeting_id}").text)
    resp = client.post(f"/reunions/{meeting_id}/transcription", data={**form, "action": "minutes"})
    assert resp.status_code == 200
    page = page_text(resp)
    assert "résumée partie par partie" in page and "Préparation du compte rendu" in page
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        job = db.get(Job, db.get(Meeting, meeting_id).minutes_job_id)
        assert job.kind == "meetings.minutes" and job.status == "queued"


def test_suspended_minutes_assistant_is_refused_and_the_corrections_kept(
    client: TestClient, personas: Personas
) -> None:
    from civia.governance import usecases

    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        usecases.suspend_assistant(
            db, tenant_id=personas.tenant.id, actor=personas["comite"],
            assistant_id="compte-rendu", reason="Incident",
        )  # fmt: skip
        db.commit()
    meeting_id = _meeting_of(client, personas, "agent")
    login_as(client, "agent")
    form = _form(client.get(f"/reunions/{meeting_id}").text)
    first = next(k for k in form if k.startswith("t-"))
    form[first] = "Correction gardée malgré le refus."
    resp = client.post(f"/reunions/{meeting_id}/transcription", data={**form, "action": "minutes"})
    assert resp.status_code == 403 and "suspendu par le comité" in page_text(resp)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        first_row = db.query(MeetingSegment).order_by(MeetingSegment.position).first()
        assert first_row.text == "Correction gardée malgré le refus."
        assert db.get(Meeting, meeting_id).minutes_run_id is None
