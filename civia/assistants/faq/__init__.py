"""The FAQ's sources, selected rather than retyped: a numbered extract of a collection
(« [2] ») is kept for the template to link; any other source (a « [2] » too when no collection
was given: the small model numbers a text's articles or sentences) becomes the sentence of the
agent's text that best supports the answer (or two sentences in a row), copied verbatim. An
answer no sentence of the text supports is one the model made up (« La durée peut varier
selon… » from a one-sentence text), what the instructions forbid: it is removed and its
question named to the agent, unless no answer has support, when all are kept marked
« [source à vérifier] ». A question asked again is removed (the small model loops); two
questions with the same answer are kept, and the agent is told."""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Any

from civia.assistants import facts, repetition

TO_CHECK = "[source à vérifier]"
EXTRACT = re.compile(r"^\s*\[\d+\](?:\s*[,;]?\s*\[\d+\])*\s*$")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
MIN_SHARE = 0.5  # of the answer's (or the model's source's) words found in the sentence


def _words(text: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return {w for w in re.findall(r"[a-z0-9]+", plain) if len(w) >= 4 or w.isdigit()}


def sentences(text: str) -> list[str]:
    return [s.strip(" -•\t") for s in SENTENCE.split(text) if len(_words(s)) >= 2]


def select(text: str, answer: str, hint: str) -> str | None:
    """The sentence of `text` that best covers the answer's and the model's source's words, if
    it holds at least half of the words of one of them; else two sentences in a row that do
    (an answer drawn from both)."""
    found = sentences(text)
    return _best(found, answer, hint) or _best(
        [f"{a} {b}" for a, b in itertools.pairwise(found)], answer, hint
    )


def numbers(text: str) -> set[str]:
    """The numbers of a text, in figures or in words (« trois mois » and « 3 mois » alike)."""
    words = re.findall(r"\w+", text.lower())
    written = {str(facts.WRITTEN[w]) for w in words if w in facts.WRITTEN}
    return set(re.findall(r"\d+", text)) | written


def _best(candidates: list[str], answer: str, hint: str) -> str | None:
    """The candidate that best covers the words, among those that give every number of the
    answer (a passage about objects found « kept a year and a day » does not support « three
    months »)."""
    answer_words, hint_words = _words(answer), _words(hint)
    figures = numbers(answer)
    best, best_score = None, 0.0
    for sentence in (c for c in candidates if figures <= numbers(c)):
        words = _words(sentence)
        support = len(words & answer_words) / len(answer_words) if answer_words else 0.0
        pointed = len(words & hint_words) / len(hint_words) if hint_words else 0.0
        if max(support, pointed) >= MIN_SHARE and support + pointed > best_score:
            best, best_score = sentence, support + pointed
    return best


def finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    text = values.get("texte", "")
    extracts = bool(values.get("collection"))  # « [2] » links only to a collection's extract
    questions: list[dict[str, Any]] = []
    repeated = 0
    asked: set[tuple[str, ...]] = set()
    for item in data.get("questions") or []:
        question = repetition.words(str(item.get("question", "")))
        if question and question in asked:  # the small model loops: the same question again
            repeated += 1
            continue
        asked.add(question)
        source = str(item.get("source", ""))
        if not (extracts and EXTRACT.match(source)):
            found = select(text, str(item.get("reponse", "")), source) if text else None
            source = f"« {found.replace('|', '/')} »" if found else TO_CHECK
        questions.append({**item, "source": source})
    made_up = [q for q in questions if q["source"] == TO_CHECK]
    if text and len(made_up) < len(questions):  # the others have their sentence: kept
        questions = [q for q in questions if q["source"] != TO_CHECK]
    unsupported = sum(q["source"] == TO_CHECK for q in questions)
    notes = []
    if repeated:
        notes.append(f"{repeated} question(s) posée(s) deux fois : retirée(s).")
    if made_up and not unsupported:
        named = ", ".join(f"« {q.get('question', '')} »" for q in made_up)
        notes.append(
            f"{len(made_up)} question(s) retirée(s), aucune phrase du texte ne justifiant leur "
            f"réponse : {named}. Si le texte y répond, ajoutez-les."
        )
    answers = [str(q.get("reponse", "")) for q in questions]
    if repetition.dedupe(answers)[1]:
        notes.append("Deux questions ont la même réponse mot pour mot : vérifiez-les.")
    if unsupported:
        notes.append(
            f"{unsupported} réponse(s) sans passage du texte qui la justifie : source marquée "
            f"{TO_CHECK}, vérifiez la réponse."
        )
    return {**data, "questions": questions}, notes
