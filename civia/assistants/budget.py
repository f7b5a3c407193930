"""Does a run fit in the model's context? Prompt tokens + the answer's max_tokens <= n_ctx.

Checked before the run is saved, with the provider's own tokenizer when it has one (the
embedded llama.cpp model), so that the agent reads how many characters are too many instead of
a generic failure after a long wait. Providers without a known window are not checked here
(their server answers with its own error).
"""

from __future__ import annotations

import math
from typing import Any

from civia.assistants.inputs import InputError
from civia.assistants.runner import build_messages
from civia.assistants.spec import AssistantSpec, FieldKind
from civia.chat.gateway import Resolved


def window(target: Resolved) -> int | None:
    size = getattr(target.chat, "context_window", None)
    return size if isinstance(size, int) and hasattr(target.chat, "count_tokens") else None


def _format(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def check_fits(
    spec: AssistantSpec,
    values: dict[str, str],
    *,
    context: dict[str, Any],
    target: Resolved,
    sources: list[dict[str, Any]] | None = None,
    max_tokens: int | None = None,
) -> None:
    """Raise InputError on the longest text field with the number of characters to remove."""
    n_ctx = window(target)
    if n_ctx is None:
        return
    messages = build_messages(spec, values, context, sources=sources)
    tokens = int(target.chat.count_tokens(messages))  # type: ignore[attr-defined]
    answer = max_tokens or spec.max_tokens
    excess = tokens + answer - n_ctx
    if excess <= 0:
        return
    chars = sum(len(m.content) for m in messages)
    too_many = math.ceil(excess * chars / max(tokens, 1) * 1.05)  # a margin: tokens vary
    texts = [
        f
        for f in spec.fields
        if f.kind in (FieldKind.LONG_TEXT, FieldKind.SHORT_TEXT, FieldKind.FILE)
        and values.get(f.name)
    ]
    longest = max(texts, key=lambda f: len(values.get(f.name, "")), default=None)
    name = longest.name if longest else ""
    label = f"« {longest.label} »" if longest else "Le texte"
    raise InputError(
        {
            name: (
                f"{label} est trop long pour le modèle : retirez environ {_format(too_many)} "
                f"caractères (le modèle lit au plus {_format(n_ctx)} jetons, dont "
                f"{_format(answer)} réservés à sa réponse ; votre demande en compte "
                f"{_format(tokens)})."
            )
        }
    )
