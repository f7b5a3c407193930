"""Run an assistant: form values → prompt → model → (validated JSON →) Markdown draft.

Structured outputs hold on small models through constrained decoding (a JSON-schema grammar on
llama.cpp, `response_format` on OpenAI-compatible servers), then validation, then one repair
attempt that shows the model its error; a clear French message if it still fails.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from civia.assistants.spec import JINJA, AssistantSpec
from civia.chat.gateway import CallContext, CallResult, Gateway, Resolved
from civia.providers.base import ChatChunk, ChatMessage, ChatRequest, ProviderError


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


def build_messages(
    spec: AssistantSpec, values: dict[str, str], context: dict[str, Any]
) -> list[ChatMessage]:
    system = spec.instructions
    if spec.output.kind == "structured":
        system += "\nRéponds uniquement par un objet JSON conforme au schéma demandé, en français."
    if spec.prompt:
        user = JINJA.from_string(spec.prompt).render(**values, context=context)
    else:
        user = values.get("message", "")
    return [ChatMessage("system", system), ChatMessage("user", user.strip())]


def schema_errors(spec: AssistantSpec, raw: str) -> tuple[dict[str, Any] | None, str]:
    """Parse and validate; return (data, "") or (None, a short English reason for the model)."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} at character {exc.pos}"
    validator = Draft202012Validator(spec.output.json_schema or {})
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.path) or "(racine)"
        return None, f"schema violation at {where}: {first.message}"
    return data, ""


def render_markdown(
    spec: AssistantSpec, data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> str:
    template = JINJA.from_string(spec.output.template)
    return template.render(**data, inputs=values, context=context).strip() + "\n"


async def run(
    spec: AssistantSpec,
    values: dict[str, str],
    *,
    context: dict[str, Any],
    gateway: Gateway,
    ctx: CallContext,
    target: Resolved,
    max_tokens: int | None = None,
) -> AsyncIterator[ChatChunk | RunResult]:
    """Yield text chunks while generating, then the final RunResult (always last)."""
    messages = build_messages(spec, values, context)
    result = RunResult()
    schema = spec.output.json_schema if spec.output.kind == "structured" else None
    for attempt in (1, 2):
        result.attempts = attempt
        request = ChatRequest(
            messages=messages,
            max_tokens=max_tokens or spec.max_tokens,
            temperature=spec.temperature,
            json_schema=schema,
        )
        call = CallResult()
        async for chunk in gateway.stream(ctx, target, request, call):
            yield chunk
        result.raw = call.text
        for key, value in call.usage.items():
            result.usage[key] = result.usage.get(key, 0) + value
        if schema is None:
            result.markdown = call.text.strip() + "\n"
            break
        data, problem = schema_errors(spec, call.text)
        if data is not None:
            result.data = data
            result.markdown = render_markdown(spec, data, values, context)
            break
        if attempt == 2:
            raise StructuredOutputError(f"structured output still invalid: {problem}")
        if call.finish_reason == "length":  # cut off: a repair of the same length would be too
            ask = (
                "Ta réponse a été coupée car elle était trop longue. Recommence en beaucoup plus "
                "court : renvoie uniquement l'objet JSON complet, avec des textes brefs."
            )
            messages = [*messages]
        else:
            ask = (
                f"Ta réponse est invalide ({problem}). Renvoie uniquement l'objet JSON corrigé, "
                "complet et conforme au schéma."
            )
            messages = [*messages, ChatMessage("assistant", call.text)]
        messages.append(ChatMessage("user", ask))
    yield result
