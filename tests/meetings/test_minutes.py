"""Minutes from a transcript: speaker turns, packing into parts that fit the model, and the
condensing job (real local model; resumes from the parts it already stored)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.assistants.models import AssistantRun
from civia.db.engine import session_scope
from civia.jobs import queue
from civia.jobs.models import Job
from civia.jobs.worker import Worker
from civia.meetings import minutes
from civia.meetings.models import Meeting, MeetingSegment, MinutesPart
from tests.conftest import Personas

from .conftest import add_meeting

TURNS = [
    ("Le maire", "Bonjour à tous, la séance est ouverte."),
    ("Le maire", "Premier point : le budget primitif."),
    ("Marie Dupont", "Je propose d'adopter le budget. Le vote aura lieu le 15 avril."),
    ("", "Le budget est adopté à l'unanimité."),
    ("Paul Martin", "Je me charge de publier la délibération avant vendredi."),
]


def _rows(texts):
    return [
        MeetingSegment(position=i, start=10.0 * i, end=10.0 * i + 9, text=t, speaker=s)
        for i, (s, t) in enumerate(texts)
    ]


def test_turns_join_consecutive_segments_of_one_speaker() -> None:
    pieces = minutes.transcript_pieces(_rows(TURNS))
    assert [p.text for p in pieces][:2] == [
        "Le maire : Bonjour à tous, la séance est ouverte. Premier point : le budget primitif.",
        "Marie Dupont : Je propose d'adopter le budget. Le vote aura lieu le 15 avril.",
    ]
    assert (pieces[0].start, pieces[0].end) == (0.0, 19.0)
    assert pieces[2].text == "Le budget est adopté à l'unanimité."


def test_group_packs_in_order_within_the_limit() -> None:
    pieces = minutes.transcript_pieces(_rows(TURNS))
    groups = minutes.group(pieces, 120)
    assert all(len(g.text) <= 120 for g in groups)
    assert "\n".join(g.text for g in groups).replace("\n", "") == "".join(
        p.text for p in pieces
    ).replace("\n", "")
    assert groups[0].header == "(00:00:00 – 00:00:19)"
    assert len(minutes.group(pieces, 10_000)) == 1


def _meeting(client: TestClient, personas: Personas) -> int:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        return add_meeting(db, personas["agent"], TURNS).id


def _enqueue(client: TestClient, personas: Personas, meeting_id: int) -> int:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        meeting = db.get(Meeting, meeting_id)
        kind, job_id = minutes.start(db, user=personas["agent"], meeting=meeting, limit=150)
        assert kind == "job"
        return job_id


def _run(client: TestClient) -> None:
    app = client.app
    Worker(app.state.sessions, app.state.settings, {}).run_once("transcription")  # type: ignore[attr-defined]


def test_a_restarted_job_reuses_the_parts_already_condensed(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every part stored by a previous attempt: no model call is needed to finish."""
    monkeypatch.setattr(client.app.state.settings, "minutes_direct_chars", 150)  # type: ignore[attr-defined]
    meeting_id = _meeting(client, personas)
    job_id = _enqueue(client, personas, meeting_id)
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        meeting = db.get(Meeting, meeting_id)
        parts = minutes.group(minutes.transcript_pieces(minutes.segments(db, meeting)), 150)
        for position in range(len(parts)):
            db.add(MinutesPart(meeting_id=meeting_id, job_id=job_id, level=1, position=position,
                               text=f"- note {position}"))  # fmt: skip
    _run(client)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        job = db.get(Job, job_id)
        assert job.status == "done", job.error
        run = db.get(AssistantRun, db.get(Meeting, meeting_id).minutes_run_id)
        assert job.result["url"] == f"/resultats/{run.id}" and run.assistant_id == "compte-rendu"
        notes = run.inputs["notes"]
        assert notes.startswith(
            f"Notes condensées automatiquement à partir de la transcription ({len(parts)} parties)"
        )
        assert "Partie (00:00:00 – " in notes and f"- note {len(parts) - 1}" in notes
        assert run.status == "pending"  # the result page streams the minutes from here


@pytest.mark.model
def test_condensing_job_calls_the_local_model_part_by_part(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client.app.state.settings, "minutes_direct_chars", 150)  # type: ignore[attr-defined]
    meeting_id = _meeting(client, personas)
    job_id = _enqueue(client, personas, meeting_id)
    _run(client)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        job = db.get(Job, job_id)
        assert job.status == "done", job.error
        stored = list(db.scalars(select(MinutesPart).where(MinutesPart.job_id == job_id)))
        assert len(stored) >= 2 and all(part.text for part in stored)
        assert job.result["parts"] == len([p for p in stored if p.level == 1])
        assert queue.describe(job)["percent"] == 100
