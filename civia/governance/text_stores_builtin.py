"""The text stores Civia has had from the start: conversations, assistant runs, saved prompts,
incidents and the comité's comments (see `text_stores` for the contract).

`where` never repeats a title or any other free text (it could hold the very name being
erased): it says what the item is, its number and date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from civia.assistants.models import AssistantRun, SavedPrompt
from civia.db.models import Conversation, Message
from civia.governance.models import Incident, UseCase, UseCaseComment, UseCaseVote
from civia.governance.text_stores import (
    Item,
    Redact,
    json_strings,
    like_any,
    redact_json,
    register_text_store,
)

ROLE_LABELS = {"user": "message de l'agent", "assistant": "réponse du modèle", "system": "consigne"}


def _day(row: Any) -> str:
    return row.created_at.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Fields:
    """A table whose text columns are searched and redacted in place."""

    model: Any  # a mapped class with an integer `id`
    prefix: str
    fields: dict[str, str]  # column → French label
    json_fields: frozenset[str] = frozenset()

    def texts(self, row: Any) -> Iterable[tuple[str, str, str]]:
        """(key, label, text) of each non-empty field of `row`."""
        for name, label in self.fields.items():
            value = getattr(row, name)
            text = json_strings(value) if name in self.json_fields else (value or "")
            if text:
                yield f"{self.prefix}:{row.id}:{name}", label, text

    def filter(self, anchors: Sequence[str]) -> Any:
        return or_(*(like_any(getattr(self.model, n), anchors) for n in self.fields))

    def redact(self, db: Session, keys: Sequence[str], redact: Redact, allowed: Any) -> int:
        wanted: dict[int, set[str]] = {}
        for key in keys:
            prefix, ident, name = [*key.split(":"), "", ""][:3]
            if prefix == self.prefix and ident.isdigit() and name in self.fields:
                wanted.setdefault(int(ident), set()).add(name)
        if not wanted:
            return 0
        rows = db.scalars(select(self.model).where(self.model.id.in_(wanted), allowed))
        total = 0
        for row in rows:
            for name in wanted[row.id]:
                value = getattr(row, name)
                if name in self.json_fields:
                    new, count = redact_json(value, redact)
                else:
                    new, count = redact(value or "")
                if count:
                    setattr(row, name, new)
                    total += count
        db.flush()
        return total


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
    },
    json_fields=frozenset({"inputs", "data"}),
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


register_text_store("conversations", "Conversations", _conversations, _redact_conversations)
register_text_store("runs", "Résultats des assistants", _runs, _simple(RUNS))
register_text_store("prompts", "Prompts enregistrés", _prompts, _simple(PROMPTS))
register_text_store("incidents", "Signalements d'incidents", _incidents, _simple(INCIDENTS))
register_text_store("comments", "Commentaires et votes du comité", _comments, _comments_redactor)
