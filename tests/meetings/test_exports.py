"""Transcript exports carry speakers and the AI mention; SRT and VTT parse back."""

from __future__ import annotations

import html
import io
import zipfile
from datetime import timedelta

import srt
import webvtt

from civia.db.base import utcnow
from civia.meetings import exports
from civia.meetings.meetings import segments

from .conftest import add_meeting

TEXTS = [("Le maire", "Bonjour à tous."), ("", "Le budget est adopté <à l'unanimité>.")]


def test_srt_parses_back_with_speakers_and_mention(meeting_db) -> None:
    db, personas = meeting_db
    meeting = add_meeting(db, personas["agent"], TEXTS)
    content, mime, name = exports.export(meeting, segments(db, meeting), "srt", author="Agent")
    assert mime.startswith("application/x-subrip") and name == "transcription-conseil-municipal.srt"
    cues = list(srt.parse(content.decode("utf-8")))
    assert [c.content for c in cues[:2]] == ["Le maire : Bonjour à tous.", TEXTS[1][1]]
    assert cues[1].start == timedelta(seconds=2) and cues[1].end == timedelta(seconds=4)
    assert "intelligence artificielle" in cues[-1].content and cues[-1].start > cues[1].end


def test_vtt_parses_back_with_voices_and_a_note(meeting_db) -> None:
    db, personas = meeting_db
    meeting = add_meeting(db, personas["agent"], TEXTS)
    content, mime, _ = exports.export(meeting, segments(db, meeting), "vtt", author="Agent")
    text = content.decode("utf-8")
    assert mime.startswith("text/vtt") and text.startswith("WEBVTT")
    assert "NOTE Transcription produite automatiquement" in text
    captions = webvtt.from_buffer(io.StringIO(text)).captions
    assert len(captions) == 2
    assert captions[0].start == "00:00:00.000" and captions[1].end == "00:00:04.000"
    assert captions[0].voice == "Le maire" and captions[0].text == "Bonjour à tous."
    # Markup characters are escaped, as WebVTT requires; a player shows them as typed.
    assert "&lt;à l'unanimité&gt;" in captions[1].raw_text
    assert html.unescape(captions[1].text) == "Le budget est adopté <à l'unanimité>."


def test_text_export_marks_the_review(meeting_db) -> None:
    db, personas = meeting_db
    meeting = add_meeting(db, personas["agent"], TEXTS)
    rows = segments(db, meeting)
    draft = exports.to_text(meeting, rows).splitlines()
    assert draft[0] == "Transcription – Conseil municipal" and "Relecture non terminée" in draft[2]
    assert "[00:00:00] Le maire : Bonjour à tous." in draft
    meeting.reviewed_at = utcnow()
    reviewed = exports.to_text(meeting, rows, reviewer="Agent")
    assert "relue par un agent. Relue par Agent le" in reviewed


def test_docx_and_odt_hold_the_transcript_and_metadata(meeting_db) -> None:
    db, personas = meeting_db
    meeting = add_meeting(db, personas["agent"], TEXTS)
    rows = segments(db, meeting)
    docx, _, name = exports.export(meeting, rows, "docx", author="Agent")
    assert name.endswith(".docx")
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = z.read("word/document.xml").decode()
        assert "Le maire : Bonjour à tous." in body and "intelligence artificielle" in body
    odt, _, _ = exports.export(meeting, rows, "odt", author="Agent")
    with zipfile.ZipFile(io.BytesIO(odt)) as z:
        assert "Le maire : Bonjour à tous." in z.read("content.xml").decode()
