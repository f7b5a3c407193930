"""Deterministic post-processing named by an assistant's spec (`output.checks`): code that
completes and checks what the model returned, so a spec stays strict data. A check may also
ask the model once more for what its answer left out (`follow_up`: the same request with other
values), and say how to combine the two answers (`merge`).

A check reads the answer typed as the built-in assistant it was written for: the types in that
assistant's output schema are the check's contract (a key may be missing or added, a list longer,
a value outside the built-in's choices). A référent's assistant may name a check with fields
typed otherwise: its answer is then shown as the model gave it, with a note, instead of failing
the run."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from civia.assistants import arretes, catalogue, faq, letters, replies, triage
from civia.assistants.forms import (
    carried,
    hours,
    minutes,
    rewrite,
    slides,
    social,
    swot,
    weekdays,
)
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


def _translation(
    text: str, values: dict[str, str], context: dict[str, Any]
) -> tuple[str, list[str]]:
    """A translation's times on the 24-hour clock, then its numbers, dates and days of the week
    checked against the source."""
    notes: list[str] = []
    for check in (hours.finish, carried.finish, weekdays.finish):
        text, more = check(text, values, context)
        notes += more
    return text, notes


TEXT_CHECKS: dict[str, TextCheck] = {"hours": _translation, "rewrite": rewrite.finish}
# (the values of a second request, {} when none is needed; how to combine the two answers)
FollowUp = Callable[[dict[str, Any], dict[str, str], dict[str, Any]], dict[str, str]]
Merge = Callable[[dict[str, Any], dict[str, Any], dict[str, str], dict[str, Any]], dict[str, Any]]
FOLLOW_UPS: dict[str, tuple[FollowUp, Merge]] = {"letter": (letters.follow_up, letters.merge)}
# the same for a text answer: (values of a second request on it, which text to keep)
TextFollowUp = Callable[[str, dict[str, str], dict[str, Any]], dict[str, str]]
TextMerge = Callable[[str, str, dict[str, str], dict[str, Any]], str]
TEXT_FOLLOW_UPS: dict[str, tuple[TextFollowUp, TextMerge]] = {
    "rewrite": (rewrite.follow_up, rewrite.merge)
}


log = logging.getLogger(__name__)
SHAPE_FR = (
    "La vérification automatique « {check} » n'a pas été appliquée : les champs de cette réponse "
    "n'ont pas la forme qu'elle attend. Relisez le texte avec attention."
)


def _types(schema: Any) -> Any:
    """Only the types of a schema: `type`, `properties` and `items`, all the way down."""
    if not isinstance(schema, dict):
        return {}
    kept: dict[str, Any] = {k: schema[k] for k in ("type",) if k in schema}
    if isinstance(schema.get("properties"), dict):
        kept["properties"] = {k: _types(v) for k, v in schema["properties"].items()}
    if "items" in schema:
        kept["items"] = _types(schema["items"])
    return kept


@lru_cache
def _contract(check: str) -> Draft202012Validator | None:
    """The types of the output of the built-in assistant the check was written for."""
    for spec in catalogue.builtins().values():
        if spec.output.checks == check and spec.output.json_schema:
            return Draft202012Validator(_types(spec.output.json_schema))
    return None


def clash(check: str, schema: dict[str, Any]) -> str:
    """Where an output schema types a field otherwise than the check's built-in (« publications
    › éléments »), or "" when the check can read its answers. For the builder, at save time."""
    contract = _contract(check)
    return _clash(contract.schema, _types(schema), []) if contract is not None else ""


def _clash(ours: dict[str, Any], theirs: dict[str, Any], path: list[str]) -> str:
    def kinds(node: dict[str, Any]) -> set[str]:
        kind = node.get("type")
        return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()

    if kinds(ours) and kinds(theirs) and not kinds(ours) & kinds(theirs):
        return " › ".join(path) or "la réponse entière"
    mine, yours = ours.get("properties") or {}, theirs.get("properties") or {}
    for key in mine.keys() & yours.keys():
        if found := _clash(mine[key], yours[key], [*path, key]):
            return found
    if "items" in ours and "items" in theirs:
        return _clash(ours["items"], theirs["items"], [*path, "éléments"])
    return ""


def fits(spec: AssistantSpec, data: dict[str, Any]) -> bool:
    """Is the answer shaped as the check expects? (Always, for the built-in assistant itself.)"""
    contract = _contract(spec.output.checks)
    return contract is None or contract.is_valid(data)


def apply(
    spec: AssistantSpec, data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The data to render and the notes for the agent (none when the spec names no check)."""
    check = CHECKS.get(spec.output.checks)
    if check is None:
        return data, []
    if not fits(spec, data):
        log.warning("check %r skipped for %r: answer not shaped as expected", spec.output.checks,
                    spec.id)  # fmt: skip
        return data, [SHAPE_FR.format(check=spec.output.checks)]
    return check(data, values, context)


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
    return pair[0](data, values, context) if pair and fits(spec, data) else {}


def merge(
    spec: AssistantSpec,
    first: dict[str, Any],
    more: dict[str, Any],
    values: dict[str, str],
    context: dict[str, Any],
) -> dict[str, Any]:
    pair = FOLLOW_UPS.get(spec.output.checks)
    return pair[1](first, more, values, context) if pair and fits(spec, more) else first


def follow_up_text(
    spec: AssistantSpec, text: str, values: dict[str, str], context: dict[str, Any]
) -> dict[str, str]:
    """Values replacing some of `values` in one more request on a text answer ({} if none)."""
    pair = TEXT_FOLLOW_UPS.get(spec.output.checks)
    return pair[0](text, values, context) if pair else {}


def merge_text(
    spec: AssistantSpec, first: str, second: str, values: dict[str, str], context: dict[str, Any]
) -> str:
    pair = TEXT_FOLLOW_UPS.get(spec.output.checks)
    return pair[1](first, second, values, context) if pair else first
