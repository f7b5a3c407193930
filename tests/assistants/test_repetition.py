"""Loops of the small model: found on the words, retried once, the copies removed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from civia.assistants import repetition
from civia.assistants.catalogue import get
from civia.assistants.runner import LOOPED_FR, NO_REPEAT, RunResult, run
from civia.chat.gateway import CallContext, CallResult, Resolved
from civia.providers.base import ChatChunk, ChatRequest

LOOP = (
    "Nous avons bien reçu votre signalement concernant le lampadaire de la rue Haute.\n\n"
    "Les services techniques interviendront dans les meilleurs délais.\n\n"
    "Nous avons bien reçu votre signalement concernant le lampadaire de la rue Haute."
)


def test_two_items_that_only_open_alike_are_not_a_repetition() -> None:
    assert not repetition.repeats(
        "Quels sont les types de déchets acceptés ?", "Quels sont les types de déchets refusés ?"
    )
    assert repetition.repeats(
        "Considérant que la fête du village a lieu sur la place de la Mairie",
        "considérant que la fête du village a lieu sur la place de la mairie ;",
    )


def test_a_copy_that_adds_words_keeps_the_longer_in_the_first_place() -> None:
    items = [
        "Considérant que la fête du village a lieu sur la place",
        "Considérant la sécurité des piétons et des riverains",
        "Considérant que la fête du village a lieu sur la place et attire du monde",
    ]
    kept, removed = repetition.dedupe(items)
    assert removed == 1 and kept == [items[2], items[1]]


def test_a_repeated_paragraph_is_found_and_removed() -> None:
    assert repetition.repeated_parts(LOOP)
    text, removed = repetition.drop_repeated_paragraphs(LOOP)
    assert removed == 1 and text.count("Nous avons bien reçu") == 1
    assert not repetition.repeated_parts(text)


def test_two_answers_alike_in_a_list_are_a_loop_an_answer_and_its_source_are_not() -> None:
    same = "La déchetterie est ouverte du mardi au samedi de 9 h à 12 h."
    faq = {"questions": [{"question": "Quand ?", "reponse": same, "source": same}]}
    assert not repetition.looped(faq)
    faq["questions"].append({"question": "Horaires ?", "reponse": same, "source": ""})
    assert repetition.looped(faq)


class Scripted:
    """Answers the runner's calls in turn and keeps the requests (a Gateway's `stream`)."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.requests: list[ChatRequest] = []

    async def stream(
        self, ctx: CallContext, target: Resolved, request: ChatRequest, result: CallResult
    ) -> AsyncIterator[ChatChunk]:
        self.requests.append(request)
        result.text = self.answers[len(self.requests) - 1]
        yield ChatChunk(text=result.text)


def _run(assistant: str, values: dict[str, str], gateway: Scripted) -> RunResult:
    spec = get(assistant)
    assert spec is not None
    ctx = CallContext(tenant_id=1, user_id=None, service_id=None, source="test")

    async def go() -> RunResult:
        final = RunResult()
        async for item in run(spec, values, context={}, gateway=gateway,  # type: ignore[arg-type]
                              ctx=ctx, target=None):  # type: ignore[arg-type]  # fmt: skip
            if isinstance(item, RunResult):
                final = item
        return final

    return asyncio.run(go())


TEXT = {"texte": "Bonjour", "registre": "courrier usager", "longueur": "équivalente"}


def test_a_text_that_loops_is_asked_once_more_without_repeating() -> None:
    fine = "Nous avons bien reçu votre signalement ; les services techniques interviendront."
    gateway = Scripted(LOOP, fine)
    result = _run("reformulation", TEXT, gateway)
    assert len(gateway.requests) == 2 and result.retries == 1
    first, second = gateway.requests
    assert NO_REPEAT in second.messages[0].content and NO_REPEAT not in first.messages[0].content
    assert (second.repeat_penalty or 1.0) > (first.repeat_penalty or 1.0)
    assert result.markdown.strip() == fine and LOOPED_FR not in result.warning


def test_a_text_that_loops_again_is_shown_without_its_copies_and_said_so() -> None:
    gateway = Scripted(LOOP, LOOP)
    result = _run("reformulation", TEXT, gateway)
    assert len(gateway.requests) == 2
    assert result.markdown.count("Nous avons bien reçu") == 1 and LOOPED_FR in result.warning


def test_a_text_that_repeats_what_the_input_repeats_is_left_as_it_is() -> None:
    gateway = Scripted(LOOP)
    result = _run("reformulation", {**TEXT, "texte": LOOP}, gateway)
    assert len(gateway.requests) == 1 and result.retries == 0
    assert result.markdown.strip() == LOOP and result.warning == ""


def test_a_text_without_loop_is_asked_once() -> None:
    gateway = Scripted("Un texte sans répétition aucune, tout simplement.")
    result = _run("reformulation", TEXT, gateway)
    assert len(gateway.requests) == 1 and result.retries == 0


def test_structured_answers_alike_are_asked_once_more() -> None:
    texte = "La déchetterie est ouverte du mardi au samedi. Les pneus sont refusés."
    same = "La déchetterie est ouverte du mardi au samedi."
    looped = {"questions": [
        {"question": "Quand est-elle ouverte ?", "reponse": same, "source": ""},
        {"question": "Est-elle ouverte le lundi ?", "reponse": same, "source": ""},
    ]}  # fmt: skip
    fine = {"questions": [
        looped["questions"][0],
        {"question": "Les pneus sont-ils acceptés ?", "reponse": "Non, ils sont refusés.",
         "source": ""},
    ]}  # fmt: skip
    gateway = Scripted(json.dumps(looped), json.dumps(fine))
    result = _run("faq", {"sujet": "Déchetterie", "texte": texte}, gateway)
    assert len(gateway.requests) == 2 and result.retries == 1
    assert NO_REPEAT in gateway.requests[1].messages[0].content
    assert result.data is not None
    assert [q["question"] for q in result.data["questions"]] == [
        "Quand est-elle ouverte ?",
        "Les pneus sont-ils acceptés ?",
    ]
