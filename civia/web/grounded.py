"""The web side of chat with documents: what the streaming route needs for a grounded
conversation (the prompt, the « not found » short-cut, the answer with clickable citations and
its list of sources). The logic itself lives in `civia.documents.chat`."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from typing import Any

from fastapi import HTTPException, Request
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.chat.models import Conversation, Message, MessageStatus
from civia.db.engine import session_scope
from civia.documents import chat as doc_chat
from civia.documents import collections as doc_collections
from civia.web.markdown import render as md
from civia.web.render import templates
from civia.web.sse import event as sse

_CITATION = re.compile(r"\[(\d{1,2})\]")


NOT_READABLE_FR = "Ce document ou cette collection n'existe pas, ou vous n'y avez pas accès."


def new_scope(
    db: Session, user: User, *, collection_id: int | None, document_id: int | None
) -> dict[str, Any]:
    """For the new-conversation page: the collection or document asked for (404 when not
    readable), or the readable collections to pick from."""
    if collection_id is None and document_id is None:
        return {"label": "", "choices": doc_collections.visible(db, user)}
    try:
        label = doc_chat.scope_label(db, user, collection_id=collection_id, document_id=document_id)
    except doc_chat.ScopeNotFound:
        raise HTTPException(404, NOT_READABLE_FR) from None
    return {"label": label, "collection_id": collection_id, "document_id": document_id}


def attach(
    db: Session,
    user: User,
    conv: Conversation,
    *,
    collection_id: int | None,
    document_id: int | None,
) -> None:
    if collection_id is None and document_id is None:
        return
    try:
        doc_chat.attach(db, user, conv, collection_id=collection_id, document_id=document_id)
    except doc_chat.ScopeNotFound:
        raise HTTPException(404, NOT_READABLE_FR) from None


def prepare(
    db: Session, user: User, conv: Conversation, answer: Message, instructions: str
) -> doc_chat.Prepared | None:
    """The grounded prompt for `answer`, or None when the conversation is not grounded."""
    scope = doc_chat.scope_of(db, conv.id)
    if scope is None:
        return None
    from civia.providers.resolve import embedder_for
    from civia.usage.metered import metered

    embedder = metered(db, embedder_for(db, user.tenant_id), user)  # the query's vector: a call
    return doc_chat.prepare(
        db, user, conv, scope, answer=answer, instructions=instructions, embedder=embedder
    )


def answer_html(text: str, sources: list[dict[str, Any]]) -> str:
    """The answer's Markdown as HTML, each [n] a link to its passage."""
    by_number = {s["number"]: s for s in sources}

    def link(match: re.Match[str]) -> str:
        source = by_number.get(int(match.group(1)))
        if source is None:
            return match.group()
        label = html.escape(f"Source {source['number']} : {source['title']} {source['where']}")
        href = html.escape(source["url"])
        return f'<a class="cite" href="{href}" aria-label="{label}">[{source["number"]}]</a>'

    return _CITATION.sub(link, md(text))


def sources_html(found: bool, sources: list[dict[str, Any]]) -> str:
    return templates.get_template("documents/_sources.html").render(found=found, sources=sources)


def finish(
    request: Request, message_id: int, text: str, prepared: doc_chat.Prepared
) -> dict[str, str]:
    """Store the sources shown with a finished answer; return the `done` event's extra data."""
    found, shown = doc_chat.shown_sources(text, prepared.grounding)
    explicit = bool(doc_chat.cited(text, prepared.grounding))
    with session_scope(request.app.state.sessions) as db:
        doc_chat.save_sources(
            db, message_id, found=found, sources=shown, cited=explicit, answer=text
        )
    sources = [doc_chat.source_dict(s, cited=explicit, answer=text) for s in shown]
    return {"html": answer_html(text, sources), "sources": sources_html(found, sources)}


def not_found(request: Request, answer_id: int, reply: str) -> AsyncIterator[str]:
    """Nothing relevant in the documents (or nothing to search for): answer so at once,
    without a model call."""
    with session_scope(request.app.state.sessions) as db:
        msg = db.get(Message, answer_id)
        if msg is not None:
            msg.content, msg.status, msg.error = reply, MessageStatus.OK, ""
        doc_chat.save_sources(db, answer_id, found=False, sources=[])

    async def events() -> AsyncIterator[str]:
        yield sse("token", {"t": reply})
        yield sse(
            "done",
            {
                "status": MessageStatus.OK,
                "html": md(reply),
                "error": "",
                "masked": "",
                "sources": sources_html(False, []),
            },
        )

    return events()


def history_view(db: Session, conv: Conversation) -> dict[str, Any]:
    """What the conversation page shows for a grounded conversation (scope, sources)."""
    scope = doc_chat.scope_of(db, conv.id)
    if scope is None:
        return {"label": "", "answers": {}}
    rows = doc_chat.sources_for(db, [m.id for m in conv.messages if m.role == "assistant"])
    answers = {
        mid: {
            "html": answer_html(next(m.content for m in conv.messages if m.id == mid), row.sources),
            "sources": sources_html(row.found, row.sources),
        }
        for mid, row in rows.items()
    }
    return {"label": scope.label, "answers": answers}
