"""Correcting a transcript: edits, version check, double submit, split, merge, rename."""

from __future__ import annotations

import pytest

from civia.meetings import editing
from civia.meetings.meetings import segments

from .conftest import add_meeting

TEXTS = [
    ("", "Bonjour à tous. Nous ouvrons la séance."),
    ("", "Le budget primitif est adopté."),
    ("Marie", "Je propose de reporter le point suivant."),
]


def _edits(rows, **changes):
    return {
        row.id: editing.Edit(changes.get(str(i), row.text), row.speaker)
        for i, row in enumerate(rows)
    }


def test_save_applies_edits_and_bumps_the_version(meeting_db) -> None:
    db, personas = meeting_db
    meeting = add_meeting(db, personas["agent"], TEXTS)
    rows = segments(db, meeting)
    edits = _edits(rows, **{"1": "Le budget primitif est adopté à l'unanimité."})
    edits[rows[0].id] = editing.Edit("Bonjour à tous.", "Le maire")
    message = editing.save(db, meeting=meeting, version=1, edits=edits)
    db.commit()
    assert message == "Transcription enregistrée." and meeting.version == 2
    rows = segments(db, meeting)
    assert rows[0].speaker == "Le maire" and rows[0].text == "Bonjour à tous."
    assert rows[1].text.endswith("à l'unanimité.")


def test_stale_version_is_a_conflict_but_a_double_submit_is_not(meeting_db) -> None:
    db, personas = meeting_db
    meeting = add_meeting(db, personas["agent"], TEXTS)
    rows = segments(db, meeting)
    edits = _edits(rows, **{"0": "Bonjour à toutes et à tous."})
    editing.save(db, meeting=meeting, version=1, edits=edits)
    db.commit()
    # The same form sent twice (double click): already saved, nothing lost, no error.
    assert editing.save(db, meeting=meeting, version=1, edits=edits) == (
        "Transcription déjà enregistrée."
    )
    # Another tab, still on version 1, with different text: refused, nothing changed.
    other = _edits(segments(db, meeting), **{"2": "Texte d'un autre onglet."})
    with pytest.raises(editing.Conflict):
        editing.save(db, meeting=meeting, version=1, edits=other)
    db.rollback()
    db.refresh(meeting)
    assert meeting.version == 2
    assert segments(db, meeting)[2].text == TEXTS[2][1]


def test_split_at_the_caret_then_merge_back(meeting_db) -> None:
    db, personas = meeting_db
    meeting = add_meeting(db, personas["agent"], TEXTS)
    rows = segments(db, meeting)
    cut = rows[0].text.index("Nous")
    message = editing.save(
        db,
        meeting=meeting,
        version=1,
        edits=_edits(rows),
        action=f"split-{rows[0].id}",
        split_at=cut,
    )
    db.commit()
    assert message == "Segment coupé en deux."
    rows = segments(db, meeting)
    assert [r.text for r in rows[:2]] == ["Bonjour à tous.", "Nous ouvrons la séance."]
    assert rows[0].start == 0.0 and 0.0 < rows[0].end == rows[1].start < 2.0
    assert [r.position for r in rows] == [0, 1, 2, 3]
    editing.save(db, meeting=meeting, version=2, edits=_edits(rows), action=f"merge-{rows[0].id}")
    db.commit()
    rows = segments(db, meeting)
    assert rows[0].text == TEXTS[0][1] and rows[0].end == 2.0 and len(rows) == 3


def test_split_without_caret_cuts_at_the_sentence_end_nearest_the_middle(meeting_db) -> None:
    db, personas = meeting_db
    meeting = add_meeting(db, personas["agent"], TEXTS)
    rows = segments(db, meeting)
    editing.save(db, meeting=meeting, version=1, edits=_edits(rows), action=f"split-{rows[0].id}")
    assert segments(db, meeting)[1].text == "Nous ouvrons la séance."


def test_rename_a_speaker_everywhere(meeting_db) -> None:
    db, personas = meeting_db
    meeting = add_meeting(db, personas["agent"], [*TEXTS, ("Marie", "D'accord.")])
    rows = segments(db, meeting)
    message = editing.save(
        db,
        meeting=meeting,
        version=1,
        edits=_edits(rows),
        action="rename",
        rename=("Marie", "Marie Dupont, adjointe"),
    )
    assert "2 segment(s)" in message
    assert [r.speaker for r in segments(db, meeting)] == ["", "", *["Marie Dupont, adjointe"] * 2]
    # Unnamed segments can be named all at once too.
    editing.save(db, meeting=meeting, version=2, edits={}, action="rename", rename=("", "Le maire"))
    assert editing.speakers(segments(db, meeting)) == ["Le maire", "Marie Dupont, adjointe"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "rename", "rename": ("Paul", "Jean")}, "Aucun segment"),
        ({"action": "rename", "rename": ("Marie", "  ")}, "nouveau nom"),
        ({"action": "merge-LAST"}, "dernier segment"),
        ({"action": "split-999999"}, "n'existe plus"),
        ({"action": "supprimer"}, "Action inconnue"),
    ],
)
def test_bad_actions_give_french_messages(meeting_db, kwargs, message) -> None:
    db, personas = meeting_db
    meeting = add_meeting(db, personas["agent"], TEXTS)
    rows = segments(db, meeting)
    if kwargs["action"] == "merge-LAST":
        kwargs = {"action": f"merge-{rows[-1].id}"}
    with pytest.raises(editing.EditError, match=message):
        editing.save(db, meeting=meeting, version=1, edits=_edits(rows), **kwargs)


def test_overlong_text_is_refused(meeting_db) -> None:
    db, personas = meeting_db
    meeting = add_meeting(db, personas["agent"], TEXTS)
    rows = segments(db, meeting)
    edits = {rows[0].id: editing.Edit("x" * (editing.MAX_TEXT + 1), "")}
    with pytest.raises(editing.EditError, match="dépasse"):
        editing.save(db, meeting=meeting, version=1, edits=edits)


def test_parse_edits_reads_text_and_speaker_fields() -> None:
    form = {"t-3": "  Bonjour   à tous ", "s-3": " Le  maire ", "t-x": "?", "version": "2"}
    assert editing.parse_edits(form) == {3: editing.Edit("Bonjour à tous", "Le maire")}
