"""The collectivité's own routing rules as its admin writes them (form « Règles de tri »):
per service, words (« mot, mot », profile key `routage`) and example requests (one per line,
`routage_exemples`), added to the defaults of rules.yaml."""

from __future__ import annotations

from typing import Any

WORDS_KEY = "routage"
EXAMPLES_KEY = "routage_exemples"
MAX_WORDS_CHARS = 1000
MAX_EXAMPLES = 20
MAX_EXAMPLE_CHARS = 300


class RoutingError(ValueError):
    """A French message for the admin."""


def parse_words(text: str) -> str:
    """The words as stored: « mot, mot », blanks and repeats removed."""
    text = text.strip()
    if len(text) > MAX_WORDS_CHARS:
        raise RoutingError(f"Les mots font {len(text)} caractères ; maximum {MAX_WORDS_CHARS}.")
    words = [w.strip() for w in text.replace("\n", ",").split(",")]
    return ", ".join(dict.fromkeys(w for w in words if w))


def parse_examples(text: str) -> list[str]:
    """One example per non-empty line, repeats removed."""
    lines = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    if len(lines) > MAX_EXAMPLES:
        raise RoutingError(f"{len(lines)} exemples ; maximum {MAX_EXAMPLES} par service.")
    long = next((n for n, line in enumerate(lines, 1) if len(line) > MAX_EXAMPLE_CHARS), None)
    if long is not None:
        raise RoutingError(
            f"L'exemple {long} fait {len(lines[long - 1])} caractères ; "
            f"maximum {MAX_EXAMPLE_CHARS}. Un exemple est une demande courte."
        )
    return lines


def own_words(profile: dict[str, Any] | None) -> dict[str, str]:
    found = (profile or {}).get(WORDS_KEY)
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def own_examples(profile: dict[str, Any] | None) -> dict[str, list[str]]:
    found = (profile or {}).get(EXAMPLES_KEY)
    if not isinstance(found, dict):
        return {}
    return {str(k): [str(e) for e in v] for k, v in found.items() if isinstance(v, list)}
