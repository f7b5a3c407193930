"""Deterministic post-processing named by an assistant's spec (`output.checks`): code that
completes and checks what the model returned, so a spec stays strict data. A check may also
ask the model once more for what its answer left out (`follow_up`: the same request with other
values), and say how to combine the two answers (`merge`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from civia.assistants import arretes, faq, letters, replies, triage
from civia.assistants.forms import hours, minutes, slides, social, swot
from civia.assistants.spec import AssistantSpec

Check = Callable[[dict[str, Any], dict[str, str], dict[str, Any]], tuple[dict[str, Any], list[str]]]
CHECKS: dict[str, Check] = {
    "letter": letters.finish,
    "arrete": arretes.finish,
    "faq": faq.finish,
    "triage": triage.finish,
    "reply": replies.finish,
    "minutes": minutes.finish,
    "swot": swot.finish,
    "slides": slides.finish,
    "social": social.finish,
}
# checks of a text answer (output.kind « text »): the text to show and the notes
TextCheck = Callable[[str, dict[str, str], dict[str, Any]], tuple[str, list[str]]]
TEXT_CHECKS: dict[str, TextCheck] = {"hours": hours.finish}
# (the values of a second request, {} when none is needed; how to combine the two answers)
FollowUp = Callable[[dict[str, Any], dict[str, str], dict[str, Any]], dict[str, str]]
Merge = Callable[[dict[str, Any], dict[str, Any], dict[str, str], dict[str, Any]], dict[str, Any]]
FOLLOW_UPS: dict[str, tuple[FollowUp, Merge]] = {"letter": (letters.follow_up, letters.merge)}


def apply(
    spec: AssistantSpec, data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The data to render and the notes for the agent (none when the spec names no check)."""
    check = CHECKS.get(spec.output.checks)
    return check(data, values, context) if check else (data, [])


def apply_text(
    spec: AssistantSpec, text: str, values: dict[str, str], context: dict[str, Any]
) -> tuple[str, list[str]]:
    """A text answer to show and the notes for the agent (none when the spec names no check)."""
    check = TEXT_CHECKS.get(spec.output.checks)
    return check(text, values, context) if check else (text, [])


def follow_up(
    spec: AssistantSpec, data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> dict[str, str]:
    """Values replacing some of `values` in one more request for what the valid answer left
    out ({} if nothing)."""
    pair = FOLLOW_UPS.get(spec.output.checks)
    return pair[0](data, values, context) if pair else {}


def merge(
    spec: AssistantSpec,
    first: dict[str, Any],
    more: dict[str, Any],
    values: dict[str, str],
    context: dict[str, Any],
) -> dict[str, Any]:
    pair = FOLLOW_UPS.get(spec.output.checks)
    return pair[1](first, more, values, context) if pair else first
