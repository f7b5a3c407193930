"""A letter that leaves out a fact of the request is asked for once more: the same request with
only the missing facts, whose paragraphs are kept when they carry them; the agent is told if
they are still missing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from civia.assistants.catalogue import get
from civia.assistants.inputs import validate_inputs
from civia.assistants.letters import follow_up, merge
from civia.assistants.runner import RunResult, run
from civia.chat.gateway import CallContext, CallResult, Resolved
from civia.providers.base import ChatChunk, ChatRequest

CONTEXT = {"collectivite": "Commune de Démoville", "signataire": "Le Maire"}
FAITS = "Terrasse de 18 m² accordée du 1er avril au 31 octobre. Redevance de 270 euros."
FIRST = {"paragraphes": ["Nous vous accordons une terrasse de 18 m² du 1er avril au 31 octobre."]}
MORE = {"paragraphes": ["La redevance d'occupation s'élève à 270 euros pour la saison."]}


def _values() -> dict[str, str]:
    spec = get("courrier")
    assert spec is not None
    return validate_inputs(
        spec, {"destinataire": "Mme Jeanne Martin", "objet": "Terrasse", "faits": FAITS}
    )


class Scripted:
    """Answers the runner's calls in turn and keeps the requests (a Gateway's `stream`)."""

    def __init__(self, *answers: dict[str, Any]) -> None:
        self.answers = [json.dumps(a, ensure_ascii=False) for a in answers]
        self.requests: list[ChatRequest] = []

    async def stream(
        self, ctx: CallContext, target: Resolved, request: ChatRequest, result: CallResult
    ) -> AsyncIterator[ChatChunk]:
        self.requests.append(request)
        result.text = self.answers[len(self.requests) - 1]
        yield ChatChunk(text=result.text)


def _run(gateway: Scripted) -> RunResult:
    spec = get("courrier")
    assert spec is not None
    ctx = CallContext(tenant_id=1, user_id=None, service_id=None, source="test")

    async def go() -> RunResult:
        final = RunResult()
        async for item in run(spec, _values(), context=CONTEXT, gateway=gateway,  # type: ignore[arg-type]
                              ctx=ctx, target=None):  # type: ignore[arg-type]  # fmt: skip
            if isinstance(item, RunResult):
                final = item
        return final

    return asyncio.run(go())


def test_a_complete_letter_is_not_asked_again() -> None:
    complete = {"paragraphes": [*FIRST["paragraphes"], *MORE["paragraphes"]]}
    assert follow_up(complete, _values(), CONTEXT) == {}
    gateway = Scripted(complete)
    result = _run(gateway)
    assert len(gateway.requests) == 1 and result.follow_ups == 0


def test_the_missing_fact_is_asked_for_once_and_added() -> None:
    gateway = Scripted(FIRST, MORE)
    result = _run(gateway)
    assert len(gateway.requests) == 2 and result.follow_ups == 1
    first, again = (r.messages[-1].content for r in gateway.requests)
    assert "Terrasse de 18 m²" in first and "Redevance de 270 euros." in first
    assert "Redevance de 270 euros." in again and "Terrasse de 18" not in again
    assert gateway.requests[1].messages[0] == gateway.requests[0].messages[0]  # same system
    assert result.data is not None
    assert result.data["paragraphes"] == [*FIRST["paragraphes"], *MORE["paragraphes"]]
    assert not any("absent" in n for n in result.notes)
    assert result.attempts == 1  # the schema held at the first attempt


def test_a_follow_up_that_still_misses_the_fact_is_dropped_and_the_agent_told() -> None:
    useless = {"paragraphes": ["Nous restons à votre disposition pour toute question."]}
    gateway = Scripted(FIRST, useless)
    result = _run(gateway)
    assert len(gateway.requests) == 2  # bounded: no third call
    assert result.data is not None and result.data["paragraphes"] == FIRST["paragraphes"]
    assert "Fait peut-être absent du courrier : « Redevance de 270 euros. »." in result.notes


def test_merge_keeps_the_first_body_when_nothing_is_gained() -> None:
    assert merge(FIRST, {"paragraphes": []}, _values(), CONTEXT) == FIRST
    merged = merge(FIRST, MORE, _values(), CONTEXT)
    assert merged["paragraphes"][-1] == MORE["paragraphes"][0]
