"""Meeting data functions: form values, the type a recording is served with."""

from __future__ import annotations

import pytest

from civia.meetings import meetings


@pytest.mark.parametrize(
    ("declared", "name", "served"),
    [
        ("audio/ogg", "r.ogg", "audio/ogg"),
        ("video/mp4; codecs=avc1", "r.mp4", "video/mp4"),
        ("text/html", "piege.mp3", "audio/mpeg"),  # never served as a page
        ("text/html", "piege.html", "application/octet-stream"),
        ("", "enregistrement.webm", "video/webm"),
    ],
)
def test_recordings_are_only_served_as_audio_or_video(declared, name, served) -> None:
    assert meetings.playback_mime(declared, name) == served


def test_clean_inputs_defaults_the_title_and_checks_fields() -> None:
    values = meetings.clean_inputs(title="  ", meeting_date="", language="en", filename="cm_12.ogg")
    assert values == {"title": "cm 12", "meeting_date": "", "language": "en"}
    with pytest.raises(meetings.MeetingError, match="Date invalide"):
        meetings.clean_inputs(title="x", meeting_date="12/03", language="fr", filename="a.ogg")
    with pytest.raises(meetings.MeetingError, match="200 caractères"):
        meetings.clean_inputs(title="x" * 201, meeting_date="", language="fr", filename="a.ogg")
    assert (
        meetings.clean_inputs(title="x", meeting_date="", language="", filename="a")["language"]
        == ""
    )
