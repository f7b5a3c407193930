"""French text analysis for lexical search: tokenise, drop stop words, stem, fold accents.

The same analyser runs at indexing and query time; its output is a string of space-separated
ASCII terms that any full-text engine (SQLite FTS5, PostgreSQL `simple` configuration, bm25s)
can index without further processing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Snowball's French stop list, plus interrogatives and fillers that questions are made of.
_SNOWBALL_FR = """
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même
mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
tu un une vos votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes
suis es est sommes êtes sont serai seras sera serons serez seront serais serait serions seriez
seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez
soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai
as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez auraient
avais avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse
eusses eût eussions eussiez eussent
"""
_QUESTION_FR = """
quel quelle quels quelles lequel laquelle lesquels lesquelles comment combien pourquoi quand où
quoi dont cet cette celui celle ceux celles ça cela ceci est-ce sont-ils y-a-t-il a-t-il
faut-il peut-on doit-on
"""
STOP_WORDS: frozenset[str] = frozenset((_SNOWBALL_FR + _QUESTION_FR).split())

_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+")  # FTS5 treats "_" as a separator too
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case and strip diacritics ("Délibéré" → "delibere")."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer("french")
    stemmer.maxCacheSize = 100_000
    return stemmer


def words(text: str, *, keep_stop_words: bool = False) -> list[str]:
    """Lower-cased word tokens, elisions removed ("l'arrêté" → "arrêté")."""
    text = _ELISION.sub(" ", text.lower())
    tokens = _TOKEN.findall(text)
    out = []
    for token in tokens:
        if len(token) == 1 and not token.isdigit():
            continue
        if not keep_stop_words and token in STOP_WORDS:
            continue
        out.append(token)
    return out


@lru_cache(maxsize=200_000)
def _fold_term(term: str) -> str:
    folded = fold(term)
    return folded if folded.isascii() else "".join(ch for ch in folded if ch.isalnum())


def terms(text: str) -> list[str]:
    """Index terms of `text`: French stems without accents, stop words removed."""
    stems = _stemmer().stemWords(words(text))
    return [term for term in (_fold_term(stem) for stem in stems) if term]


def analyze(text: str) -> str:
    """`terms` joined by spaces: the form stored in `Chunk.search_text`."""
    return " ".join(terms(text))


def raw_terms(text: str) -> list[str]:
    """Unstemmed, accent-folded tokens with stop words kept: the baseline analyser."""
    return [_fold_term(token) for token in words(text, keep_stop_words=True)]
