"""The visas of an arrêté, never written by the model: the texts the agent gave, then the
references of the library (visas.yaml) that the request's words call for, else « Vu [visa à
compléter] »."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

TO_COMPLETE = "Vu [visa à compléter]"
ABBREVIATIONS = {
    "cgct": "code général des collectivités territoriales",
    "cgppp": "code général de la propriété des personnes publiques",
}
ARTICLES = {  # the article a visa puts before the text's name
    "code": "le ", "loi": "la ", "décret": "le ", "arrêté": "l'", "ordonnance": "l'",
    "délibération": "la ", "règlement": "le ", "instruction": "l'", "circulaire": "la ",
}  # fmt: skip
ARTICLE_REF = re.compile(r"\b[LRD]\.?\s?\d{3,4}(?:-\d+)+\b")


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    visa: str
    articles: tuple[str, ...] = ()
    mots: tuple[str, ...] = ()


@lru_cache
def library() -> tuple[Reference, ...]:
    data = yaml.safe_load((Path(__file__).parent / "visas.yaml").read_text(encoding="utf-8"))
    return tuple(Reference.model_validate(item) for item in data)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


def _stems(text: str) -> list[str]:
    return [w[:6] for w in re.findall(r"[a-z]+", _plain(text))]


def _articles(text: str) -> set[str]:
    return {re.sub(r"[\s.]", "", a).upper() for a in ARTICLE_REF.findall(text)}


def from_texts(textes: str) -> list[str]:
    """One visa per text the agent listed (lines or « ; »), in the agent's words."""
    visas = []
    for item in re.split(r"\n+|;", textes):
        text = item.strip(" -•\t.;,")
        if len(text) < 3:
            continue
        if re.match(r"vu\b", text, re.I):
            visas.append("Vu" + text[2:])
            continue
        for short, full in ABBREVIATIONS.items():
            text = re.sub(rf"\b{short}\b", full, text, flags=re.I)
        first = text.split()[0].lower()
        article = ARTICLES.get(first, "")
        visas.append(f"Vu {article}{text[0].lower() if article else text[0]}{text[1:]}")
    return visas


def _calls_for(ref: Reference, words: str) -> bool:
    stems = " ".join(_stems(words))
    return any(f" {' '.join(_stems(m))} " in f" {stems} " for m in ref.mots)


def suggested(request: str, cited: str) -> list[str]:
    """Library visas the request's words call for, except those whose articles are cited."""
    already = _articles(cited)
    return [
        ref.visa
        for ref in library()
        if _calls_for(ref, request) and not (set(ref.articles) & already)
    ]


def visas_for(textes: str, request: str) -> tuple[list[str], list[str]]:
    """(the visas, the library's other suggestions). The agent's texts when given (the library
    only suggests); else the library's references the request calls for; else « Vu [visa à
    compléter] »."""
    given = from_texts(textes)
    found = suggested(request, textes)
    if given:
        return given, found
    return found or [TO_COMPLETE], []
