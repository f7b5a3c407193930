"""Deterministic post-processing named by an assistant's spec (`output.checks`): code that
completes and checks what the model returned, so a spec stays strict data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from civia.assistants import arretes, faq, letters, triage
from civia.assistants.spec import AssistantSpec

Check = Callable[[dict[str, Any], dict[str, str], dict[str, Any]], tuple[dict[str, Any], list[str]]]
CHECKS: dict[str, Check] = {
    "letter": letters.finish,
    "arrete": arretes.finish,
    "faq": faq.finish,
    "triage": triage.finish,
}


def apply(
    spec: AssistantSpec, data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The data to render and the notes for the agent (none when the spec names no check)."""
    check = CHECKS.get(spec.output.checks)
    return check(data, values, context) if check else (data, [])
