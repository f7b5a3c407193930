"""Correcting a transcript: text and speaker per segment, split, merge, rename a speaker
everywhere. Every save says which version it started from; a save from an older version is
refused (409) unless it changes nothing (a double submit), so concurrent edits never overwrite
each other silently."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from civia.db.base import utcnow
from civia.db.engine import affected
from civia.meetings.meetings import segments
from civia.meetings.models import Meeting, MeetingSegment

MAX_TEXT = 10_000
MAX_SPEAKER = 100
CONFLICT_FR = (
    "Cette transcription a été modifiée entre-temps (dans un autre onglet ou par un autre "
    "enregistrement). Vos modifications n'ont pas été enregistrées mais restent affichées : "
    "copiez-les, rechargez la page, puis reportez-les."
)
_FIELD = re.compile(r"^([ts])-(\d+)$")


class Conflict(Exception):
    message_fr = CONFLICT_FR


class EditError(ValueError):
    """A French message for the agent."""


@dataclass(frozen=True)
class Edit:
    text: str
    speaker: str


def parse_edits(form: Mapping[str, str]) -> dict[int, Edit]:
    """`t-<id>` (text) and `s-<id>` (speaker) fields → edits per segment id."""
    texts: dict[int, str] = {}
    speakers: dict[int, str] = {}
    for key, value in form.items():
        match = _FIELD.match(key)
        if match:
            target = texts if match.group(1) == "t" else speakers
            target[int(match.group(2))] = value
    return {
        sid: Edit(" ".join(text.split()), " ".join(speakers.get(sid, "").split()))
        for sid, text in texts.items()
    }


def speakers(rows: list[MeetingSegment]) -> list[str]:
    return sorted({row.speaker for row in rows if row.speaker}, key=str.casefold)


def _unchanged(rows: dict[int, MeetingSegment], edits: dict[int, Edit]) -> bool:
    return all(
        sid in rows and rows[sid].text == edit.text and rows[sid].speaker == edit.speaker
        for sid, edit in edits.items()
    )


def save(
    db: Session,
    *,
    meeting: Meeting,
    version: int,
    edits: dict[int, Edit],
    action: str = "save",
    split_at: int | None = None,
    rename: tuple[str, str] | None = None,
) -> str:
    """Apply the edits, then `action` ("save", "split-<id>", "merge-<id>", "rename").
    Returns a French confirmation. Raises Conflict or EditError: the caller rolls back, so
    nothing is half-saved."""
    ordered = segments(db, meeting)
    rows = {row.id: row for row in ordered}
    for edit in edits.values():
        if len(edit.text) > MAX_TEXT:
            raise EditError(f"Un segment dépasse {MAX_TEXT} caractères : coupez-le.")
        if len(edit.speaker) > MAX_SPEAKER:
            raise EditError(f"Un nom d'intervenant dépasse {MAX_SPEAKER} caractères.")
    if version != meeting.version:
        if action == "save" and _unchanged(rows, edits):
            return "Transcription déjà enregistrée."
        raise Conflict
    won = affected(
        db.execute(
            update(Meeting)
            .where(Meeting.id == meeting.id, Meeting.version == version)
            .values(version=version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    )
    if not won:  # another save committed between our read and this update
        raise Conflict
    meeting.version = version + 1
    for sid, edit in edits.items():
        if sid in rows:
            rows[sid].text, rows[sid].speaker = edit.text, edit.speaker
    message = "Transcription enregistrée."
    if action.startswith("split-"):
        message = _split(db, ordered, _target(rows, action), split_at)
    elif action.startswith("merge-"):
        message = _merge(db, ordered, _target(rows, action))
    elif action == "rename" and rename is not None:
        message = _rename(ordered, *rename)
    elif action not in ("save", "rename"):
        raise EditError("Action inconnue.")
    for position, row in enumerate(ordered):
        row.position = position
    db.flush()
    return message


def _target(rows: dict[int, MeetingSegment], action: str) -> MeetingSegment:
    sid = action.partition("-")[2]
    if not sid.isdigit() or int(sid) not in rows:
        raise EditError("Ce segment n'existe plus : rechargez la page.")
    return rows[int(sid)]


def _cut_point(text: str, split_at: int | None) -> int:
    if split_at is not None and 0 < split_at < len(text):
        return split_at
    middle = len(text) // 2  # no caret (no JavaScript): the sentence end nearest the middle
    ends = [m.end() for m in re.finditer(r"[.!?…]\s", text)] or [
        m.end() for m in re.finditer(r"\s", text)
    ]
    return min(ends, key=lambda end: abs(end - middle)) if ends else middle


def _split(
    db: Session, ordered: list[MeetingSegment], row: MeetingSegment, split_at: int | None
) -> str:
    cut = _cut_point(row.text, split_at)
    left, right = row.text[:cut].strip(), row.text[cut:].strip()
    if not left or not right:
        raise EditError("Placez le curseur dans le texte, là où couper le segment.")
    moment = row.start + (row.end - row.start) * cut / max(len(row.text), 1)
    added = MeetingSegment(
        meeting_id=row.meeting_id,
        position=row.position + 1,
        start=round(moment, 3),
        end=row.end,
        text=right,
        speaker=row.speaker,
    )
    row.text, row.end = left, round(moment, 3)
    db.add(added)
    ordered.insert(ordered.index(row) + 1, added)
    return "Segment coupé en deux."


def _merge(db: Session, ordered: list[MeetingSegment], row: MeetingSegment) -> str:
    index = ordered.index(row)
    if index + 1 >= len(ordered):
        raise EditError("Le dernier segment n'a pas de suivant avec lequel fusionner.")
    following = ordered.pop(index + 1)
    row.text = f"{row.text} {following.text}".strip()
    row.end = max(row.end, following.end)
    row.speaker = row.speaker or following.speaker
    db.delete(following)
    return "Segments fusionnés."


def _rename(ordered: list[MeetingSegment], old: str, new: str) -> str:
    old, new = " ".join(old.split()), " ".join(new.split())
    if not new:
        raise EditError("Indiquez le nouveau nom de l'intervenant.")
    if len(new) > MAX_SPEAKER:
        raise EditError(f"Un nom d'intervenant dépasse {MAX_SPEAKER} caractères.")
    changed = 0
    for row in ordered:
        if row.speaker == old:
            row.speaker, changed = new, changed + 1
    if not changed:
        raise EditError(f"Aucun segment n'a l'intervenant « {old or 'sans nom'} ».")
    return f"« {old or 'Sans nom'} » renommé en « {new} » dans {changed} segment(s)."
