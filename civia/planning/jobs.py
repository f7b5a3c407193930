"""Background jobs of the planning area: the local model proposes groups of free-text survey
answers (pilotage then confirms them). The model only names the groups and says which answers
go together; sizes and the anonymity threshold are Civia's (`themes.from_model`)."""

from __future__ import annotations

import asyncio
from typing import Any

from civia.accounts.models import User
from civia.chat.gateway import CallResult, Gateway, call_context
from civia.jobs.registry import register
from civia.jobs.worker import JobContext, JobError
from civia.planning import survey, themes
from civia.providers.base import ChatMessage, ChatRequest, ProviderError

KIND = "planning.survey_themes"
QUEUE = "redaction"  # one model call, like an assistant's draft
MAX_TOKENS = 400


async def _ask(gateway: Gateway, user: User, target: Any, items: list[themes.Item]) -> str:
    request = ChatRequest(
        messages=[
            ChatMessage("system", themes.INSTRUCTIONS),
            ChatMessage("user", themes.prompt(items)),
        ],
        max_tokens=MAX_TOKENS,
        temperature=0.1,
        json_schema=themes.SCHEMA,
    )
    result = CallResult()
    async for _chunk in gateway.stream(call_context(user, source="web"), target, request, result):
        pass
    return result.text


@register(KIND, queue=QUEUE, resumable=False, label="Regroupement des réponses d'une enquête")
def propose(ctx: JobContext) -> dict[str, Any]:
    gateway = Gateway(ctx.settings, ctx.sessions, ctx.registries.call_guards)
    with ctx.sessions() as db:
        user = db.get(User, ctx.user_id) if ctx.user_id else None
        found = survey.get(db, ctx.tenant_id, int(ctx.payload["survey_id"]))
        if user is None or found is None:
            raise JobError("Cette enquête a été supprimée.")
        items = themes.items_of(db, found)
        if len({i.answer for i in items}) < survey.MIN_GROUP:
            raise JobError(
                f"Moins de {survey.MIN_GROUP} réponses libres : rien à regrouper sans risquer "
                "de reconnaître quelqu'un."
            )
        try:
            target = gateway.resolve(db, user.tenant_id)
        except ProviderError as exc:
            raise JobError(exc.message_fr) from None
    ctx.progress(0.1, "Le modèle lit les réponses libres")
    try:
        text = asyncio.run(_ask(gateway, user, target, items))
    except ProviderError as exc:
        raise JobError(exc.message_fr) from None
    try:
        groups = themes.from_model(text, items)
    except themes.ThemeError as exc:
        raise JobError(str(exc)) from None
    with ctx.sessions() as db:
        user = db.get(User, ctx.user_id)
        found = survey.get(db, ctx.tenant_id, int(ctx.payload["survey_id"]))
        if user is None or found is None:
            raise JobError("Cette enquête a été supprimée.")
        saved = themes.save(db, user=user, survey=found, groups=groups, method="modele")
        db.commit()
    return {"url": f"/pilotage/enquetes/{found.id}#regroupements", "groups": saved}
