"""The erasure of a person cited in others' texts reaches meetings (titles, segments, speakers,
condensed parts) and chats with documents (their label and the passages an answer quotes), on
SQLite and PostgreSQL; another collectivité's texts are untouched."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from civia.chat.models import Conversation, Message
from civia.documents.models import AnswerSources, DocumentChat
from civia.governance import citizen_erasure
from civia.jobs import queue
from civia.meetings.models import Meeting, MeetingSegment, MinutesPart
from civia.plugins.registries import Governance
from civia.privacy.mentions import Subject

from .conftest import add_meeting

JEANNE = Subject(last_name="Dupont", first_names="Jeanne", civility="madame")
ERASED = "[personne effacée]"


def _meeting(db, owner, audio: Path | None = None) -> Meeting:
    meeting = add_meeting(
        db, owner,
        [("Le maire", "Bonjour à tous."),
         ("Jeanne Dupont", "Je suis Jeanne Dupont, j'habite rue des Lilas."),
         ("Le maire", "Merci Mme Dupont.")],
        audio=audio,
    )  # fmt: skip
    meeting.title = "Commission logement : dossier de Mme Dupont"
    job = queue.enqueue(db, tenant_id=owner.tenant_id, user_id=owner.id, kind="meetings.minutes",
                        queue="minutes", payload={"meeting_id": meeting.id, "name": meeting.title})  # fmt: skip
    db.add(MinutesPart(meeting_id=meeting.id, job_id=job.id, level=1, position=0,
                       text="Mme Jeanne Dupont demande un logement adapté."))  # fmt: skip
    db.flush()
    return meeting


def _document_chat(db, owner) -> tuple[Conversation, Message]:
    conv = Conversation(tenant_id=owner.tenant_id, user_id=owner.id, title="Questions")
    db.add(conv)
    db.flush()
    db.add(DocumentChat(conversation_id=conv.id, tenant_id=owner.tenant_id,
                        label="Document : note-jeanne-dupont.txt"))  # fmt: skip
    question = Message(conversation_id=conv.id, role="user", content="Où habite Mme Dupont ?")
    answer = Message(conversation_id=conv.id, role="assistant", content="Rue des Lilas [1].")
    db.add_all([question, answer])
    db.flush()
    db.add(AnswerSources(message_id=answer.id, found=True, sources=[
        {"cited": True, "number": 1, "document_id": None, "ordinal": 0,
         "title": "Note Jeanne Dupont", "where": "page 1",
         "quote": "Mme Jeanne Dupont, 12 rue des Lilas, demande…", "url": "/documents/1"},
    ]))  # fmt: skip
    db.flush()
    return conv, answer


def test_a_person_in_a_meeting_and_a_document_chat_is_found_and_redacted(
    meeting_db, tmp_path: Path, hooks: Governance
) -> None:
    db, personas = meeting_db
    audio = tmp_path / "r.ogg"
    audio.write_bytes(b"OggS" + b"\0" * 100)
    mine = _meeting(db, personas["agent"], audio)
    theirs = _meeting(db, personas["carol"])  # Autreville
    conv, answer = _document_chat(db, personas["agent"])
    _document_chat(db, personas["carol"])
    dpo = personas["dpo"]

    found = citizen_erasure.search(db, dpo=dpo, subject=JEANNE, hooks=hooks)
    segs = [s.id for s in db.scalars(select(MeetingSegment).where(
        MeetingSegment.meeting_id == mine.id).order_by(MeetingSegment.position))]  # fmt: skip
    part = db.scalar(select(MinutesPart.id).where(MinutesPart.meeting_id == mine.id))
    refs = {f.ref for f in found.items}
    assert {
        f"meetings|meeting:{mine.id}:title",
        f"meetings|segment:{segs[1]}:text", f"meetings|segment:{segs[1]}:speaker",
        f"meetings|segment:{segs[2]}:text", f"meetings|minutes:{part}:text",
        f"document_chats|docchat:{conv.id}:label",
        f"document_chats|sources:{answer.id}:sources",
    } <= refs  # fmt: skip
    assert any(r.startswith("jobs|job:") for r in refs)  # the minutes job's payload
    assert any(r.startswith("conversations|message:") for r in refs)  # the question
    assert not any(f"meeting:{theirs.id}:" in r for r in refs)
    segment = next(f for f in found.items if f.key == f"segment:{segs[1]}:text")
    assert segment.owner == "Agent (agent)"
    assert segment.where == f"Réunion n° {mine.id}, passage n° 2 (00:00:02) : texte"
    assert all("Dupont" not in f.where for f in found.items)

    version = mine.version
    counts = citizen_erasure.erase(db, dpo=dpo, subject=JEANNE, refs=sorted(refs), hooks=hooks)
    assert counts["meetings"] == 5 and counts["document_chats"] == 3
    db.expire_all()
    texts = [(s.speaker, s.text) for s in db.scalars(select(MeetingSegment).where(
        MeetingSegment.meeting_id == mine.id).order_by(MeetingSegment.position))]  # fmt: skip
    assert texts == [
        ("Le maire", "Bonjour à tous."),
        (ERASED, f"Je suis {ERASED}, j'habite rue des Lilas."),
        ("Le maire", f"Merci {ERASED}."),
    ]
    meeting = db.get(Meeting, mine.id)
    assert meeting.title == f"Commission logement : dossier de {ERASED}"
    assert meeting.version == version + 1  # an editor left open cannot save the name back
    assert meeting.audio_file == "" and not audio.exists()  # the recording still said it
    assert db.get(MinutesPart, part).text == f"{ERASED} demande un logement adapté."
    assert db.get(DocumentChat, conv.id).label == f"Document : note-{ERASED}.txt"
    sources = db.get(AnswerSources, answer.id).sources
    assert sources[0]["quote"] == f"{ERASED}, 12 rue des Lilas, demande…"
    assert sources[0]["number"] == 1 and sources[0]["url"] == "/documents/1"
    asked = db.scalars(select(Message.content).where(Message.conversation_id == conv.id))
    assert "Dupont" not in " ".join(asked)

    # Autreville's meeting and chat are as they were.
    other = db.get(Meeting, theirs.id)
    assert other.title == "Commission logement : dossier de Mme Dupont"
    assert "Jeanne Dupont" in " ".join(db.scalars(
        select(MeetingSegment.text).where(MeetingSegment.meeting_id == theirs.id)))  # fmt: skip
    carol_chat = db.scalar(
        select(DocumentChat).where(DocumentChat.tenant_id == personas.other_tenant.id)
    )
    assert carol_chat.label == "Document : note-jeanne-dupont.txt"
    assert citizen_erasure.search(db, dpo=dpo, subject=JEANNE, hooks=hooks).items == []


def test_a_forged_key_of_another_tenant_changes_nothing(meeting_db, hooks: Governance) -> None:
    db, personas = meeting_db
    theirs = _meeting(db, personas["carol"])
    conv, answer = _document_chat(db, personas["carol"])
    segment = db.scalar(select(MeetingSegment.id).where(MeetingSegment.meeting_id == theirs.id))
    refs = [f"meetings|meeting:{theirs.id}:title", f"meetings|segment:{segment}:speaker",
            f"document_chats|docchat:{conv.id}:label",
            f"document_chats|sources:{answer.id}:sources"]  # fmt: skip
    assert (
        citizen_erasure.erase(db, dpo=personas["dpo"], subject=JEANNE, refs=refs, hooks=hooks) == {}
    )
    assert "Dupont" in db.get(Meeting, theirs.id).title
