"""Transcript exports: plain text, SRT (`srt`), WebVTT (`webvtt-py`), and DOCX/ODT through the
assistants' renderers. Each carries the speaker labels and the AI-assistance mention."""

from __future__ import annotations

import io
from datetime import timedelta

import srt
import webvtt

from civia.accounts.models import Tenant
from civia.assistants.context import letterhead, primary_colour
from civia.assistants.document import Heading, OfficialDocument, Paragraph, Provenance
from civia.assistants.renderers import render as render_document
from civia.assistants.renderers import slugify
from civia.dates import date_fr
from civia.meetings.models import Meeting, MeetingSegment

MENTION = (
    "Transcription produite automatiquement par une intelligence artificielle (reconnaissance "
    "vocale) et relue par un agent."
)
FORMATS = {  # format → label shown to users
    "txt": "Texte brut (TXT)",
    "srt": "Sous-titres (SRT)",
    "vtt": "Sous-titres web (VTT)",
    "docx": "Word (DOCX)",
    "odt": "OpenDocument (ODT)",
}
_MIME = {
    "txt": "text/plain; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
}


def clock(seconds: float) -> str:
    """« 01:02:03 » (hours always shown: meetings run long)."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def mention(meeting: Meeting, reviewer: str) -> str:
    if meeting.reviewed_at and reviewer:
        return f"{MENTION} Relue par {reviewer} le {date_fr(meeting.reviewed_at)}."
    return f"{MENTION.removesuffix(' et relue par un agent.')}. Relecture non terminée."


def _line(row: MeetingSegment) -> str:
    return f"{row.speaker} : {row.text}" if row.speaker else row.text


def to_text(meeting: Meeting, rows: list[MeetingSegment], reviewer: str = "") -> str:
    head = [f"Transcription – {meeting.title}"]
    if meeting.meeting_date:
        head.append(f"Date : {meeting.meeting_date}")
    head.append(mention(meeting, reviewer))
    body = [f"[{clock(row.start)}] {_line(row)}" for row in rows]
    return "\n".join([*head, "", *body]) + "\n"


def to_srt(meeting: Meeting, rows: list[MeetingSegment], reviewer: str = "") -> str:
    subtitles = [
        srt.Subtitle(
            index=index,
            start=timedelta(seconds=row.start),
            end=timedelta(seconds=max(row.end, row.start + 0.1)),
            content=_line(row),
        )
        for index, row in enumerate(rows, start=1)
    ]
    # SRT has no comments: the mention is a last cue, after the speech.
    last = max((row.end for row in rows), default=0.0)
    subtitles.append(
        srt.Subtitle(
            index=len(subtitles) + 1,
            start=timedelta(seconds=last + 0.5),
            end=timedelta(seconds=last + 5.5),
            content=mention(meeting, reviewer),
        )
    )
    return str(srt.compose(subtitles, reindex=False))


def to_vtt(meeting: Meeting, rows: list[MeetingSegment], reviewer: str = "") -> str:
    vtt = webvtt.WebVTT()
    for row in rows:
        text = row.text.replace("<", "&lt;").replace(">", "&gt;")
        voice = row.speaker.replace(">", "")
        vtt.captions.append(
            webvtt.Caption(
                _vtt_time(row.start),
                _vtt_time(max(row.end, row.start + 0.1)),
                f"<v {voice}>{text}" if voice else text,
            )
        )
    out = io.StringIO()
    vtt.write(out)
    body = out.getvalue().removeprefix("WEBVTT").lstrip("\n")
    note = mention(meeting, reviewer).replace("-->", "->")
    return f"WEBVTT - {meeting.title.replace('-->', '->')}\n\nNOTE {note}\n\n{body}"


def _vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    return (
        f"{millis // 3_600_000:02d}:{millis % 3_600_000 // 60_000:02d}:"
        f"{millis % 60_000 // 1000:02d}.{millis % 1000:03d}"
    )


def to_document(
    meeting: Meeting,
    rows: list[MeetingSegment],
    *,
    author: str,
    reviewer: str = "",
    tenant: Tenant | None = None,
) -> OfficialDocument:
    blocks: list[Heading | Paragraph] = [Heading(text=f"Transcription – {meeting.title}")]
    if meeting.meeting_date:
        blocks.append(Paragraph(text=f"Date : {meeting.meeting_date}"))
    blocks += [Paragraph(text=f"[{clock(row.start)}] {_line(row)}") for row in rows]
    return OfficialDocument(
        title=f"Transcription – {meeting.title}"[:200],
        blocks=list(blocks),
        provenance=Provenance(
            assistant_id="transcription",
            assistant_name="Transcription de réunion",
            author=author,
            validated_by=reviewer if meeting.reviewed_at else "",
            validated_at=meeting.reviewed_at,
            model=meeting.model,
            transparency=MENTION,
        ),
        letterhead=letterhead(tenant) if tenant is not None else None,
        primary_colour=primary_colour(tenant) if tenant is not None else "000091",
    )


def export(
    meeting: Meeting,
    rows: list[MeetingSegment],
    fmt: str,
    *,
    author: str,
    reviewer: str = "",
    tenant: Tenant | None = None,
) -> tuple[bytes, str, str]:
    """(content, mime type, file name) of the transcript in `fmt` (a key of FORMATS); the
    documents carry the collectivité's branding."""
    if fmt in ("docx", "odt"):
        doc = to_document(meeting, rows, author=author, reviewer=reviewer, tenant=tenant)
        return render_document(doc, fmt)
    text = {"txt": to_text, "srt": to_srt, "vtt": to_vtt}[fmt](meeting, rows, reviewer)
    name = f"transcription-{slugify(meeting.title) or meeting.id}.{fmt}"
    return text.encode("utf-8"), _MIME[fmt], name
