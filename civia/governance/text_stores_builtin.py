"""The text stores of the core: conversations, assistant runs, saved prompts, incidents, the
comité's comments and background jobs (see `text_stores` for the contract).

`where` never repeats a title or any other free text (it could hold the very name being
erased): it says what the item is, its number and date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.assistants.models import AssistantRun, SavedPrompt
from civia.chat.models import Conversation, Message
from civia.governance.models import Incident, UseCase, UseCaseComment, UseCaseVote
from civia.jobs.models import Job
from civia.plugins.text_stores import Fields, Item, Redact, TextStore

ROLE_LABELS = {"user": "message de l'agent", "assistant": "réponse du modèle", "system": "consigne"}


def _day(row: Any) -> str:
    return row.created_at.strftime("%d/%m/%Y")


# --- conversations: titles and messages

CONVERSATIONS = Fields(Conversation, "conversation", {"title": "titre"})
MESSAGES = Fields(Message, "message", {"content": "texte"})


def _conversations(db: Session, tenant_id: int, anchors: Sequence[str]) -> Iterable[Item]:
    for conv in db.scalars(
        select(Conversation).where(
            Conversation.tenant_id == tenant_id, CONVERSATIONS.filter(anchors)
        )
    ):
        for key, _label, text in CONVERSATIONS.texts(conv):
            yield Item(key, f"Conversation n° {conv.id} : son titre", conv.user_id, text)
    rows = db.execute(
        select(Message, Conversation.user_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.tenant_id == tenant_id, MESSAGES.filter(anchors))
        .order_by(Message.id)
    )
    for message, owner in rows:
        role = ROLE_LABELS.get(message.role, message.role)
        where = f"Conversation n° {message.conversation_id} : {role} du {_day(message)}"
        for key, _label, text in MESSAGES.texts(message):
            yield Item(key, where, owner, text)


def _redact_conversations(db: Session, tenant_id: int, keys: Sequence[str], redact: Redact) -> int:
    mine = Conversation.tenant_id == tenant_id
    in_tenant = Message.conversation_id.in_(select(Conversation.id).where(mine))
    return CONVERSATIONS.redact(db, keys, redact, mine) + MESSAGES.redact(
        db, keys, redact, in_tenant
    )


# --- assistant runs: inputs, outputs, drafts, final texts

RUNS = Fields(
    AssistantRun,
    "run",
    {
        "inputs": "saisies",
        "raw_output": "sortie brute du modèle",
        "data": "résultat structuré",
        "draft": "brouillon",
        "final_text": "texte validé",
        "comment": "commentaire",
        "attachments": "pièces lues (fichiers, tableaux, passages)",
        "warning": "avertissement",
        "error": "message d'erreur",
    },
    json_fields=frozenset({"inputs", "data", "attachments"}),
)


def _runs(db: Session, tenant_id: int, anchors: Sequence[str]) -> Iterable[Item]:
    stmt = select(AssistantRun).where(AssistantRun.tenant_id == tenant_id, RUNS.filter(anchors))
    for run in db.scalars(stmt.order_by(AssistantRun.id)):
        for key, label, text in RUNS.texts(run):
            where = (
                f"Résultat n° {run.id} de l'assistant « {run.assistant_id} » du {_day(run)} : "
                + label
            )
            yield Item(key, where, run.user_id, text)


# --- saved prompts, incidents, the comité's comments and vote comments

PROMPTS = Fields(SavedPrompt, "prompt", {"title": "titre", "body": "texte"})
INCIDENTS = Fields(
    Incident,
    "incident",
    {"description": "description", "excerpt": "extrait signalé", "resolution": "suite donnée"},
)
COMMENTS = Fields(UseCaseComment, "comment", {"body": "texte"})
VOTES = Fields(UseCaseVote, "vote", {"comment": "commentaire"})


def _prompts(db: Session, tenant_id: int, anchors: Sequence[str]) -> Iterable[Item]:
    stmt = select(SavedPrompt).where(SavedPrompt.tenant_id == tenant_id, PROMPTS.filter(anchors))
    for prompt in db.scalars(stmt.order_by(SavedPrompt.id)):
        for key, label, text in PROMPTS.texts(prompt):
            yield Item(key, f"Prompt enregistré n° {prompt.id} : {label}", prompt.user_id, text)


def _incidents(db: Session, tenant_id: int, anchors: Sequence[str]) -> Iterable[Item]:
    stmt = select(Incident).where(Incident.tenant_id == tenant_id, INCIDENTS.filter(anchors))
    for incident in db.scalars(stmt.order_by(Incident.id)):
        for key, label, text in INCIDENTS.texts(incident):
            where = f"Signalement n° {incident.id} du {_day(incident)} : {label}"
            yield Item(key, where, incident.reporter_id, text)


def _comments(db: Session, tenant_id: int, anchors: Sequence[str]) -> Iterable[Item]:
    cases = select(UseCase.id).where(UseCase.tenant_id == tenant_id)
    for fields, owner in ((COMMENTS, "author_id"), (VOTES, "voter_id")):
        model = fields.model
        stmt = select(model).where(model.use_case_id.in_(cases), fields.filter(anchors))
        for row in db.scalars(stmt.order_by(model.id)):
            for key, _label, text in fields.texts(row):
                kind = "Commentaire" if model is UseCaseComment else "Vote commenté"
                where = f"{kind} sur le cas d'usage n° {row.use_case_id} du {_day(row)}"
                yield Item(key, where, getattr(row, owner), text)


# --- background jobs: their payload names what they work on (a meeting's title, a file name)

JOBS = Fields(
    Job,
    "job",
    {"payload": "paramètres", "message": "étape", "error": "message d'erreur", "result": "bilan"},
    json_fields=frozenset({"payload", "result"}),
)


def _jobs(db: Session, tenant_id: int, anchors: Sequence[str]) -> Iterable[Item]:
    stmt = select(Job).where(Job.tenant_id == tenant_id, JOBS.filter(anchors))
    for job in db.scalars(stmt.order_by(Job.id)):
        for key, label, text in JOBS.texts(job):
            where = f"Traitement n° {job.id} ({job.kind}) du {_day(job)} : {label}"
            yield Item(key, where, job.user_id, text)


def _in_tenant(model: Any, tenant_id: int) -> Any:
    if model in (UseCaseComment, UseCaseVote):
        return model.use_case_id.in_(select(UseCase.id).where(UseCase.tenant_id == tenant_id))
    return model.tenant_id == tenant_id


def _simple(fields: Fields) -> Any:
    def redactor(db: Session, tenant_id: int, keys: Sequence[str], redact: Redact) -> int:
        return fields.redact(db, keys, redact, _in_tenant(fields.model, tenant_id))

    return redactor


def _comments_redactor(db: Session, tenant_id: int, keys: Sequence[str], redact: Redact) -> int:
    return _simple(COMMENTS)(db, tenant_id, keys, redact) + _simple(VOTES)(
        db, tenant_id, keys, redact
    )


def text_stores() -> list[TextStore]:
    return [
        TextStore("conversations", "Conversations", _conversations, _redact_conversations),
        TextStore("runs", "Résultats des assistants", _runs, _simple(RUNS)),
        TextStore("prompts", "Prompts enregistrés", _prompts, _simple(PROMPTS)),
        TextStore("incidents", "Signalements d'incidents", _incidents, _simple(INCIDENTS)),
        TextStore("comments", "Commentaires et votes du comité", _comments, _comments_redactor),
        TextStore("jobs", "Traitements en arrière-plan", _jobs, _simple(JOBS)),
    ]
