"""Recordings go when the review ends (by default), at the latest after 7 days; transcripts
follow the assistant results' period; a user's meetings are in their export and erasure."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from civia.db.base import utcnow
from civia.governance import dsr, retention
from civia.governance.models import GovernanceSettings
from civia.jobs import queue
from civia.meetings import meetings
from civia.meetings.models import Meeting, MeetingSegment, MinutesPart
from civia.plugins.registries import Governance

from .conftest import add_meeting


def _recording(tmp_path: Path, name: str = "r.ogg") -> Path:
    path = tmp_path / name
    path.write_bytes(b"OggS" + b"\0" * 100)
    return path


def _age(db, meeting: Meeting, days: int) -> None:
    past = utcnow() - timedelta(days=days)
    db.execute(
        update(Meeting).where(Meeting.id == meeting.id).values(created_at=past, updated_at=past)
    )
    db.flush()


def test_ending_the_review_deletes_the_recording_by_default(meeting_db, tmp_path: Path) -> None:
    db, personas = meeting_db
    audio = _recording(tmp_path)
    meeting = add_meeting(db, personas["agent"], [("", "Bonjour.")], audio=audio)
    assert meetings.finish_review(db, meeting=meeting, user=personas["agent"]) is True
    assert not audio.exists() and meeting.audio_file == "" and meeting.audio_deleted_at
    assert meeting.reviewed_by == personas["agent"].id and meeting.reviewed_at
    assert len(meetings.segments(db, meeting)) == 1  # the transcript stays


def test_keep_policy_keeps_the_recording_after_review(meeting_db, tmp_path: Path) -> None:
    db, personas = meeting_db
    db.add(GovernanceSettings(tenant_id=personas.tenant.id, audio_policy="keep"))
    audio = _recording(tmp_path)
    meeting = add_meeting(db, personas["agent"], [("", "Bonjour.")], audio=audio)
    assert meetings.finish_review(db, meeting=meeting, user=personas["agent"]) is False
    assert audio.exists()


def test_sweep_deletes_unreviewed_recordings_after_seven_days(
    meeting_db, tmp_path: Path, hooks: Governance
) -> None:
    db, personas = meeting_db
    old, recent = _recording(tmp_path, "old.ogg"), _recording(tmp_path, "new.ogg")
    foreign = _recording(tmp_path, "foreign.ogg")
    stale = add_meeting(db, personas["agent"], [("", "a")], audio=old)
    add_meeting(db, personas["agent"], [("", "b")], audio=recent)
    kept = add_meeting(db, personas["carol"], [("", "c")], audio=foreign)
    db.add(GovernanceSettings(tenant_id=personas.other_tenant.id, audio_policy="keep"))
    _age(db, stale, 8)
    _age(db, kept, 400)
    report = retention.sweep(db, hooks=hooks)
    assert report["demoville"] == {"audio": 1}
    assert not old.exists() and recent.exists() and foreign.exists()
    assert report["autreville"] == {}  # "keep" without a period: kept
    assert db.get(Meeting, stale.id).audio_file == ""


def test_transcripts_follow_the_results_period(meeting_db, hooks: Governance) -> None:
    db, personas = meeting_db
    db.add(GovernanceSettings(tenant_id=personas.tenant.id, runs_days=30))
    old = add_meeting(db, personas["agent"], [("", "ancien")])
    new = add_meeting(db, personas["agent"], [("", "récent")])
    _age(db, old, 31)
    report = retention.sweep(db, hooks=hooks)
    assert report["demoville"] == {"transcripts": 1}
    assert db.get(Meeting, old.id) is None and db.get(Meeting, new.id) is not None
    assert [s.text for s in db.scalars(select(MeetingSegment))] == ["récent"]


def test_export_and_erasure_include_meetings(meeting_db, tmp_path: Path, hooks: Governance) -> None:
    db, personas = meeting_db
    audio = _recording(tmp_path)
    add_meeting(db, personas["agent"], [("Le maire", "Bonjour.")], audio=audio)
    add_meeting(db, personas["bob"], [("", "Autre service.")])
    data = dsr.export_user(db, personas["agent"], hooks=hooks)
    assert data["reunions"][0]["titre"] == "Conseil municipal"
    assert data["reunions"][0]["segments"] == [
        {"debut": 0.0, "fin": 2.0, "intervenant": "Le maire", "texte": "Bonjour."}
    ]
    counts = dsr.erase_user(db, dpo=personas["dpo"], person=personas["agent"], hooks=hooks)
    assert counts["reunions"] == 1 and not audio.exists()
    assert [m.user_id for m in db.scalars(select(Meeting))] == [personas["bob"].id]


def test_export_has_the_minutes_and_erasure_unnames_the_reviewer(
    meeting_db, hooks: Governance
) -> None:
    db, personas = meeting_db
    agent, bob = personas["agent"], personas["bob"]
    meeting = add_meeting(db, agent, [("", "Bonjour.")])
    job = queue.enqueue(db, tenant_id=agent.tenant_id, user_id=agent.id,
                        kind="meetings.minutes", queue="minutes", payload={})  # fmt: skip
    db.add(MinutesPart(meeting_id=meeting.id, job_id=job.id, level=1, position=0,
                       text="Le conseil a voté le budget."))  # fmt: skip
    meetings.finish_review(db, meeting=meeting, user=agent)
    reviewed_by_bob = add_meeting(db, agent, [("", "Suite.")])
    reviewed_by_bob.reviewed_by = bob.id
    db.flush()
    exported = dsr.export_user(db, agent, hooks=hooks)["reunions"][0]
    assert exported["parties_condensees"] == ["Le conseil a voté le budget."]
    assert exported["relue_le"] and exported["compte_rendu_resultat"] is None
    dsr.erase_user(db, dpo=personas["dpo"], person=bob, hooks=hooks)
    db.refresh(reviewed_by_bob)
    assert reviewed_by_bob.reviewed_by is None  # nobody needs to know Bob reviewed it
