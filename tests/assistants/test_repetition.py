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


def test_only_exact_copies_are_removed_from_a_list() -> None:
    items = [
        "Considérant que la fête du village a lieu sur la place",
        "Considérant la sécurité des piétons et des riverains",
        "considérant que la fête du village a lieu sur la place ;",
        "Considérant que la fête du village a lieu sur la place et attire du monde",
        "Vu le code.",
        "Vu le code.",  # too short to call a loop
    ]
    kept, removed = repetition.dedupe(items)
    assert removed == 1 and kept == [items[0], items[1], items[3], items[4], items[5]]


def test_formulas_and_reminders_are_not_loops() -> None:
    """A vote line after each point of a report, a short sentence said twice, social posts that
    open alike: legitimate repetitions, no retry and nothing removed."""
    minutes = "\n\n".join(
        f"Point {n} : {subject}.\n\nLe conseil municipal, après en avoir délibéré, approuve à "
        "l'unanimité."
        for n, subject in enumerate(("budget", "voirie", "cantine"), 1)
    )
    assert not repetition.repeated_parts(minutes)
    assert repetition.drop_repeated_paragraphs(minutes) == (minutes, 0)
    reminder = (
        "Les inscriptions à la cantine se font en ligne sur le portail famille avant le 30 juin. "
        "Le service reste joignable par téléphone. Rappel : les inscriptions à la cantine se font "
        "en ligne sur le portail famille avant le 30 juin."
    )
    assert not repetition.repeated_parts(reminder)  # a long sentence twice: a reminder
    posts = {"variantes": [
        {"texte": "La fête de la musique revient le 21 juin dans toute la ville ! Venez nombreux."},
        {"texte": "La fête de la musique revient le 21 juin dans toute la ville ! Programme en ligne."},
    ]}  # fmt: skip
    assert not repetition.looped(posts)


def test_a_long_report_is_checked_in_one_pass() -> None:
    """Every sentence different, 60,000 characters (a compte-rendu's longest input): no pair of
    sentences is compared (the check ran 3.7 s on such a text when it compared pairs)."""
    text = " ".join(
        f"La phrase numéro {n} du compte rendu de la séance dit une chose nouvelle."
        for n in range(1000)
    )
    assert len(text) > 60_000 and not repetition.repeated_parts(text)
    looping = (
        text
        + " "
        + " ".join(
            [
                "Le compte rendu de la séance du conseil municipal est approuvé sans observation ce jour."
            ]
            * 3
        )
    )
    assert len(repetition.repeated_parts(looping)) == 2


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

    def __init__(self, *answers: str | tuple[str, str]) -> None:
        self.answers = [a if isinstance(a, tuple) else (a, "stop") for a in answers]
        self.requests: list[ChatRequest] = []

    async def stream(
        self, ctx: CallContext, target: Resolved, request: ChatRequest, result: CallResult
    ) -> AsyncIterator[ChatChunk]:
        self.requests.append(request)
        result.text, result.finish_reason = self.answers[len(self.requests) - 1]
        yield ChatChunk(text=result.text)


def _run(
    assistant: str, values: dict[str, str], gateway: Scripted, streamed: list[str] | None = None
) -> RunResult:
    spec = get(assistant)
    assert spec is not None
    ctx = CallContext(tenant_id=1, user_id=None, service_id=None, source="test")

    async def go() -> RunResult:
        final = RunResult()
        async for item in run(spec, values, context={}, gateway=gateway,  # type: ignore[arg-type]
                              ctx=ctx, target=None):  # type: ignore[arg-type]  # fmt: skip
            if isinstance(item, RunResult):
                final = item
            elif streamed is not None and isinstance(item, ChatChunk):
                streamed.append(item.text)
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


def test_the_retry_is_not_streamed_after_the_loop() -> None:
    """What the agent sees live (and keeps on « Arrêter ») is one answer, not the loop followed
    by a second answer starting over."""
    fine = "Nous avons bien reçu votre signalement ; les services techniques interviendront."
    streamed: list[str] = []
    result = _run("reformulation", TEXT, Scripted(LOOP, fine), streamed)
    assert "".join(streamed) == LOOP and result.markdown.strip() == fine


def test_a_retry_cut_short_does_not_replace_a_complete_answer() -> None:
    gateway = Scripted(LOOP, ("Nous avons bien reçu votre", "length"))
    result = _run("reformulation", TEXT, gateway)
    assert len(gateway.requests) == 2 and not result.truncated
    assert result.markdown.count("Nous avons bien reçu votre signalement") == 1
