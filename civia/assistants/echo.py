"""What a small model copies of its own instructions into a text answer: a sentence that takes
RUN words in a row from the prompt's fixed text (« Après la vidange, les personnes en fauteuil
pourront entrer plus facilement. », from an example about works, in a notice about a swimming
pool), a label of the prompt (« Texte d'origine : ») followed by a text it makes up, or a first
line that announces the answer (« Voici le texte reformulé : »). Only what the agent's inputs do
not give counts: words the agent wrote, or that the prompt quotes from the inputs, are never an
echo. Checked on the words (case, accents and punctuation ignored)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from civia.assistants import repetition

RUN = 6  # words in a row: fewer (« la médiathèque sera fermée du ») may come back by chance
SENTENCE = re.compile(r"(?<=[.!?])[ \t]+|\n")
# « Voici le texte reformulé : », « Traduction en français : »: the line speaks of the answer
# itself (« Voici les horaires de la mairie : » opens a list, and stays)
PREAMBLE = re.compile(
    r"(?:(?:voici|ci-dessous)\b[^\n]*?)?\b(?:texte|version|reformul|tradu|corrig|réécri)[^\n]*:",
    re.I,
)
PREAMBLE_WORDS = 30
RULE = re.compile(r"\s*(?:-{3,}|\*{3,}|_{3,})?\s*")  # a blank line or a Markdown rule after it


def _plain(text: str) -> str:
    return " " + " ".join(repetition.words(text)) + " "


def _echoes(sentence: str, fixed: str, given: str, vocabulary: set[str]) -> bool:
    """RUN words in a row of the prompt that the inputs do not give, most of them words the
    inputs never use: a correction of the agent's text may be the prompt's example answer word
    for word when the text is the example's (« Les enfants sont allés à la piscine »)."""
    found = repetition.words(sentence)
    for start in range(len(found) - RUN + 1):
        words = found[start : start + RUN]
        run = " " + " ".join(words) + " "
        if run in fixed and run not in given and sum(w in vocabulary for w in words) < RUN / 2:
            return True
    return False


def _labels(prompt: str, given: str) -> set[str]:
    """The prompt's own lines ending with a colon (« Texte d'origine : »), not in the inputs."""
    found = set()
    for line in prompt.splitlines():
        plain = _plain(line)
        if line.strip().endswith(":") and plain.strip() and plain not in given:
            found.add(plain)
    return found


def strip(text: str, prompt: str, inputs: Iterable[str]) -> tuple[str, int]:
    """`text` without the sentences that copy RUN words of `prompt` `inputs` do not give, and cut
    before a line that repeats one of the prompt's labels (what follows is a made-up « original »),
    without a first line announcing the answer; with how many sentences or cut ends were removed
    (the announcement is not counted: the agent loses nothing with it)."""
    given = _plain("\n".join(inputs))
    vocabulary = set(given.split())
    fixed = _plain(prompt)
    labels = _labels(prompt, given)
    kept: list[str] = []
    removed = 0
    lines = text.strip("\n").split("\n")
    first = lines[0].strip()
    if (
        PREAMBLE.fullmatch(first)
        and len(repetition.words(first)) <= PREAMBLE_WORDS
        and _plain(first) not in given
    ):
        lines = lines[1:]  # not counted: nothing of the answer is lost
        while lines and RULE.fullmatch(lines[0]):
            lines = lines[1:]
    for number, line in enumerate(lines):
        if number and _plain(line) in labels:  # the model goes on with the prompt
            removed += 1
            break
        parts = [p for p in SENTENCE.split(line) if p.strip()]
        echoed = [p for p in parts if _echoes(p, fixed, given, vocabulary)]
        removed += len(echoed)
        if not echoed:
            kept.append(line)
        elif len(echoed) < len(parts):
            kept.append(" ".join(p.strip() for p in parts if p not in echoed))
    if not removed and len(lines) == len(text.strip("\n").split("\n")):
        return text, 0
    return "\n".join(kept).strip() + "\n", removed
