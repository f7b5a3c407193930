"""Hostile "recordings": playlists and other files that make ffmpeg open further files or URLs.

An uploaded text file named `notes.mp3` holding an ffconcat script or an HLS playlist used to be
probed and decoded by ffmpeg's auto-detection, which followed it to another user's recording
(issue 11). Every such file must now be refused by the probe, by the conversion and by the
decoder, whether the path inside is relative (a recording beside the upload) or absolute.
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civia.meetings.models import Meeting
from civia.providers import audio
from civia.providers.audio import ACCEPTED_DEMUXERS, audio_chunks, probe_audio, to_canonical
from civia.providers.speech import TranscriptionError
from tests.conftest import Personas, login_as

from .conftest import needs_ffmpeg, write_wav

pytestmark = needs_ffmpeg


def _tone(path: Path, seconds: float = 2.0) -> Path:
    """A tone recording at `path`: WAV, or Ogg/Opus (as browsers record) for a `.ogg` name."""
    rate = audio.SAMPLE_RATE
    count = int(seconds * rate)
    wav = write_wav(path.with_suffix(".wav"), [int(8000 * math.sin(i / 3.6)) for i in range(count)])
    if path.suffix == ".wav":
        return wav
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(wav), "-c:a", "libopus", str(path)], check=True
    )
    wav.unlink()
    return path


def _playlists(victim: Path) -> dict[str, str]:
    """Each playlist-like format ffmpeg auto-detects, pointing at `victim` (a recording)."""
    absolute, relative = str(victim.resolve()), victim.name
    hls = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:5\n#EXTINF:2.0,\n{}\n#EXT-X-ENDLIST\n"
    mpd = (
        '<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" '
        'mediaPresentationDuration="PT2S" minBufferTime="PT1S" '
        'profiles="urn:mpeg:dash:profile:isoff-on-demand:2011"><Period><AdaptationSet>'
        '<Representation id="a" bandwidth="256000" mimeType="audio/wav">'
        "<BaseURL>{}</BaseURL></Representation></AdaptationSet></Period></MPD>\n"
    )
    return {
        "ffconcat-relative": f"ffconcat version 1.0\nfile {relative}\n",
        "ffconcat-absolute": f"ffconcat version 1.0\nfile {absolute}\n",
        "ffconcat-file-url": f"ffconcat version 1.0\nfile file:{absolute}\n",
        "hls-relative": hls.format(relative),
        "hls-absolute": hls.format(absolute),
        "hls-file-url": hls.format(f"file://{absolute}"),
        "hls-http": hls.format("http://127.0.0.1:9/secret.wav"),
        "dash-relative": mpd.format(relative),
        "dash-file-url": mpd.format(f"file://{absolute}"),
        "sdp": "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\n"
        "m=audio 5004 RTP/AVP 0\n",
    }


PLAYLIST_KINDS = sorted(_playlists(Path("/x/victim.ogg")))


@pytest.fixture
def victim_beside(tmp_path: Path) -> Path:
    """Another user's recording in the same folder as the hostile upload (the old layout)."""
    return _tone(tmp_path / "15.ogg")


def test_the_victim_itself_is_a_valid_recording(victim_beside: Path) -> None:
    """Guards the tests below: they would pass vacuously if the victim could not be read."""
    assert probe_audio(victim_beside).duration == pytest.approx(2.0, abs=0.05)


@pytest.mark.parametrize("kind", PLAYLIST_KINDS)
def test_probe_refuses_every_playlist(victim_beside: Path, kind: str) -> None:
    upload = victim_beside.parent / "notes.mp3"
    upload.write_text(_playlists(victim_beside)[kind], encoding="utf-8")
    with pytest.raises(TranscriptionError) as caught:
        probe_audio(upload)
    assert caught.value.code == "not_audio"


@pytest.mark.parametrize("kind", PLAYLIST_KINDS)
def test_conversion_and_decoding_read_nothing(victim_beside: Path, kind: str) -> None:
    """Even a caller that skipped the probe gets nothing out of a playlist."""
    upload = victim_beside.parent / "notes.mp3"
    upload.write_text(_playlists(victim_beside)[kind], encoding="utf-8")
    target = victim_beside.parent / "out" / audio.CANONICAL_NAME
    target.parent.mkdir()
    with pytest.raises(TranscriptionError):
        to_canonical(upload, target)
    assert not target.exists() and not list(target.parent.iterdir())
    with pytest.raises(TranscriptionError), audio_chunks(upload, normalize=False) as chunks:
        assert sum(len(samples) for _, samples in chunks) == 0


def test_no_playlist_or_sequence_demuxer_is_ever_accepted() -> None:
    opening_other_files = {
        "concat", "hls", "dash", "imf", "image2", "image2pipe", "sdp", "rtsp", "rtp",
        "webm_dash_manifest", "ffmetadata", "lavfi", "tee", "mpjpeg", "tedcaptions",
    }  # fmt: skip
    assert not opening_other_files & set(ACCEPTED_DEMUXERS)


def test_an_accepted_recording_becomes_one_canonical_flac(tmp_path: Path) -> None:
    source = _tone(tmp_path / "conseil.wav", seconds=1.5)
    target = to_canonical(source, tmp_path / audio.CANONICAL_NAME)
    info = probe_audio(target)
    assert info.codec == "flac" and info.format_name == "flac"
    assert info.duration == pytest.approx(1.5, abs=0.05)
    assert not (tmp_path / (audio.CANONICAL_NAME + ".part")).exists()


def _upload(client: TestClient, headers: dict[str, str], data: bytes):
    return client.post(
        "/reunions",
        data={"title": "Notes", "language": "fr"},
        files={"audio": ("notes.mp3", data, "audio/mpeg")},
        headers={**headers, "Accept": "application/json"},
    )


@pytest.mark.parametrize("kind", ["ffconcat-relative", "hls-relative", "hls-file-url"])
def test_upload_of_a_playlist_is_refused_and_leaves_nothing(
    client: TestClient, personas: Personas, kind: str
) -> None:
    """The reported attack: a référent's upload pointing at the agent's recording (same
    collectivité, relative path) or at another collectivité's (absolute path)."""
    settings = client.app.state.settings  # type: ignore[attr-defined]
    folder = settings.data_dir / "reunions" / str(personas["agent"].tenant_id)
    folder.mkdir(parents=True)
    victim = _tone(folder / "15.ogg")
    headers = login_as(client, "referent")
    resp = _upload(client, headers, _playlists(victim)[kind].encode())
    assert resp.status_code == 415, resp.text
    assert "n'est pas un enregistrement audio" in resp.json()["detail"]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.query(Meeting).count() == 0
    left = [p for p in (settings.data_dir / "reunions").rglob("*") if p != victim]
    assert left == [folder], left  # no file and no empty upload folder remains


def test_each_upload_gets_its_own_folder(client: TestClient, tmp_path: Path) -> None:
    headers = login_as(client, "agent")
    wav = _tone(tmp_path / "a.wav", seconds=0.5).read_bytes()
    ids = [_upload(client, headers, wav).json()["id"] for _ in range(2)]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        paths = [Path(db.get(Meeting, i).audio_file) for i in ids]
    assert paths[0].parent != paths[1].parent
    assert all(list(p.parent.iterdir()) == [p] for p in paths)
