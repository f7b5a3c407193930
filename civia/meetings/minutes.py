"""From a corrected transcript to the compte-rendu assistant's run.

The local model has 4,096 tokens of context and the compte-rendu answer takes up to 1,024 of
them, so about 8,000 characters of transcript fit (`minutes_direct_chars`). A shorter
transcript goes to the assistant as is. A longer one (a 2-hour council meeting is ~100,000
characters) is condensed first, in a background job: cut into parts that fit, each part turned
into short factual notes by the model (speakers, topics, decisions, actions with owner and due
date, open questions), and again on the joined notes while they are still too long; the
assistant then writes the minutes from the notes. Each condensed part is stored as it is done,
so a restart resumes there. The run's inputs say that the notes were condensed, and from how
many parts: the agent sees what the minutes rest on.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants import launch, runs
from civia.assistants.access import find
from civia.assistants.models import AssistantRun
from civia.assistants.spec import AssistantSpec
from civia.chat.gateway import CallContext, CallResult, Gateway, call_context
from civia.jobs import queue, registry
from civia.jobs.worker import JobContext, JobError
from civia.meetings.exports import clock
from civia.meetings.meetings import segments
from civia.meetings.models import Meeting, MeetingSegment, MinutesPart
from civia.providers.base import ChatMessage, ChatRequest, ProviderError

ASSISTANT_ID = "compte-rendu"
KIND = "meetings.minutes"
PART_MAX_TOKENS = 300
PART_FIRST_TOKEN_TIMEOUT_S = 900.0
PART_TIMEOUT_S = 1800.0
CONDENSE_FR = (
    "Tu prépares le compte rendu d'une réunion d'une collectivité territoriale. On te donne un "
    "extrait de la transcription. Écris des notes brèves et factuelles en français, sous forme "
    "de liste : qui parle de quoi, les décisions prises, les actions (qui, quoi, échéance), les "
    "questions restées ouvertes. Garde les noms des intervenants. N'invente rien, n'ajoute ni "
    "introduction ni conclusion."
)
MSG_EMPTY = "La transcription est vide : il n'y a rien à résumer."


@dataclass(frozen=True)
class Piece:
    """A stretch of transcript (or of notes) with the time range it covers."""

    start: float
    end: float
    text: str

    @property
    def header(self) -> str:
        return f"({clock(self.start)} – {clock(self.end)})"


def spec_for(db: Session, user: User) -> AssistantSpec:
    spec = find(db, user, ASSISTANT_ID)
    if spec is None:
        raise JobError("L'assistant « Compte rendu de réunion » n'est pas disponible.")
    return spec


def transcript_pieces(rows: list[MeetingSegment]) -> list[Piece]:
    """One piece per turn of speech: consecutive segments of one speaker are joined."""
    pieces: list[Piece] = []
    current: MeetingSegment | None = None
    for row in rows:
        if current is not None and pieces and row.speaker == current.speaker:
            last = pieces[-1]
            pieces[-1] = Piece(last.start, row.end, f"{last.text} {row.text}")
        else:
            label = f"{row.speaker} : " if row.speaker else ""
            pieces.append(Piece(row.start, row.end, f"{label}{row.text}"))
        current = row
    return pieces


def notes_of(pieces: list[Piece]) -> str:
    return "\n".join(piece.text for piece in pieces)


def group(pieces: list[Piece], limit: int) -> list[Piece]:
    """Pack pieces in order into groups of at most `limit` characters (a longer piece is cut)."""
    out: list[Piece] = []
    for piece in pieces:
        for start in range(0, len(piece.text), limit):
            text = piece.text[start : start + limit]
            if out and len(out[-1].text) + 1 + len(text) <= limit:
                last = out[-1]
                out[-1] = Piece(last.start, piece.end, f"{last.text}\n{text}")
            else:
                out.append(Piece(piece.start, piece.end, text))
    return out


def start(db: Session, *, user: User, meeting: Meeting, limit: int) -> tuple[str, int]:
    """("run", id) when the transcript fits the assistant; ("job", id) when it is condensed
    first. Either way the meeting remembers it."""
    rows = segments(db, meeting)
    pieces = transcript_pieces(rows)
    if not pieces:
        raise JobError(MSG_EMPTY)
    notes = notes_of(pieces)
    if len(notes) <= limit:
        run = create_run(db, user=user, meeting=meeting, notes=notes)
        return "run", run.id
    job = queue.enqueue(
        db,
        tenant_id=user.tenant_id,
        user_id=user.id,
        kind=KIND,
        queue="transcription",
        payload={"meeting_id": meeting.id, "name": meeting.title},
        max_attempts=3,
    )
    meeting.minutes_job_id = job.id
    return "job", job.id


def create_run(db: Session, *, user: User, meeting: Meeting, notes: str) -> AssistantRun:
    spec = find(db, user, ASSISTANT_ID)
    if spec is None:
        raise JobError("L'assistant « Compte rendu de réunion » n'est pas disponible.")
    raw = {"titre": meeting.title[:200], "date": meeting.meeting_date, "notes": notes}
    run = runs.create(db, user=user, spec=spec, raw=raw)
    launch.enqueue(db, run)
    meeting.minutes_run_id = run.id
    return run


async def _condense(
    gateway: Gateway, call: CallContext, target: Any, piece: Piece, max_tokens: int
) -> str:
    request = ChatRequest(
        messages=[ChatMessage("system", CONDENSE_FR), ChatMessage("user", piece.text)],
        max_tokens=min(PART_MAX_TOKENS, max_tokens),
        temperature=0.2,
    )
    result = CallResult()
    async for _chunk in gateway.stream(call, target, request, result):
        pass
    return result.text.strip()


@registry.register(KIND, queue="transcription", label="Préparation du compte rendu")
def condense(ctx: JobContext) -> dict[str, Any]:
    meeting_id = int(ctx.payload["meeting_id"])
    limit = ctx.settings.minutes_direct_chars
    # A background job has no one waiting on a spinner: on a loaded 2-core machine a part's
    # prompt (~2,300 tokens) can take minutes before its first token.
    patient = ctx.settings.model_copy(
        update={
            "provider_first_token_timeout_s": max(
                ctx.settings.provider_first_token_timeout_s, PART_FIRST_TOKEN_TIMEOUT_S
            ),
            "provider_timeout_s": max(ctx.settings.provider_timeout_s, PART_TIMEOUT_S),
        }
    )
    gateway = Gateway(patient, ctx.sessions, ctx.registries.call_guards)
    with ctx.sessions() as db:
        meeting = db.get(Meeting, meeting_id)
        user = db.get(User, ctx.user_id) if ctx.user_id else None
        if meeting is None or user is None:
            raise JobError("Cette réunion a été supprimée.")
        spec = spec_for(db, user)
        pieces = group(transcript_pieces(segments(db, meeting)), limit)
        done = {
            (p.level, p.position): p.text
            for p in db.scalars(select(MinutesPart).where(MinutesPart.job_id == ctx.job_id))
        }
        try:
            target = gateway.resolve(db, user.tenant_id)
        except ProviderError as exc:
            raise JobError(exc.message_fr) from None
    call = call_context(user, source="web", assistant=spec)
    level, parts_in = 1, len(pieces)
    while True:
        condensed: list[Piece] = []
        for position, piece in enumerate(pieces):
            ctx.progress(
                min(0.95, 0.9 * position / len(pieces) / level),
                f"Résumé de la partie {position + 1} sur {len(pieces)}",
            )
            text = done.get((level, position))
            if text is None:
                try:
                    text = asyncio.run(
                        _condense(gateway, call, target, piece, ctx.settings.max_tokens)
                    )
                except ProviderError as exc:
                    raise JobError(exc.message_fr) from None
                with ctx.sessions() as db:
                    db.add(
                        MinutesPart(
                            meeting_id=meeting_id,
                            job_id=ctx.job_id,
                            level=level,
                            position=position,
                            text=text,
                        )
                    )
                    db.commit()
            condensed.append(Piece(piece.start, piece.end, f"Partie {piece.header} :\n{text}"))
        joined = "\n\n".join(piece.text for piece in condensed)
        if len(joined) <= limit or len(condensed) == 1:
            break
        level, pieces = level + 1, group(condensed, limit)
    notes = (
        f"Notes condensées automatiquement à partir de la transcription ({parts_in} parties) :"
        f"\n\n{joined[: runs_limit(spec)]}"
    )
    with ctx.sessions() as db:
        meeting = db.get(Meeting, meeting_id)
        user = db.get(User, ctx.user_id)
        if meeting is None or user is None:
            raise JobError("Cette réunion a été supprimée.")
        run = create_run(db, user=user, meeting=meeting, notes=notes)
        db.commit()
        return {"url": f"/resultats/{run.id}", "parts": parts_in, "levels": level}


def runs_limit(spec: AssistantSpec) -> int:
    """The assistant's own limit on its notes field (the form's max_length)."""
    field = next((f for f in spec.fields if f.name == "notes"), None)
    return (field.max_length if field and field.max_length else 60_000) - 200
