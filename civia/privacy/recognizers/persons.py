"""Persons: spaCy's PER entities, cleaned, plus rules for what French admin texts add.

Convention: titles are not part of the span. In "Madame Dupont" the entity is "Dupont", so the
pseudonymised text keeps "Madame [PERSONNE_1]" (civility helps the model write a proper reply
and is not identifying on its own). Greetings, titles and roles alone ("Bonjour Madame",
"Monsieur le Maire", "Cordialement") are never persons.

Candidates come from spaCy and from rules (title + Name, form fields "Nom : DUPONT",
"Prénom NOM", a known first name, lower-case names after "je suis"/"madame", "la famille X");
all go through the same checks: deny-lists, a proper-noun test for spaCy's spans, and no
person right after "école", "rue", "né à", "RCS"... (places and institutions named after
people).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from civia.privacy.recognizers.base import LANGUAGE
from civia.privacy.recognizers.first_names import (
    AMBIGUOUS_LOWER,
    FIRST_NAMES,
    FIRST_NAMES_LOWER,
)
from civia.privacy.recognizers.lexicon import frequency, is_common
from civia.privacy.recognizers.person_words import (
    ACRONYMS,
    GREETINGS,
    NAME_PARTICLES,
    NOT_NAMES,
    PLACE_QUALIFIERS,
    PLACE_WORDS,
    PROMPT_VERBS,
    TITLES,
)


@cache
def _stop_words() -> frozenset[str]:
    """spaCy's French stop words, imported on first use: `spacy.lang.fr` takes about 4 s to
    import (its tokenizer exceptions), which every `civia` command paid before doing anything."""
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_STOP_LOWER = {
    "qui", "que", "et", "ou", "de", "du", "des", "le", "la", "les", "un", "une", "à", "au",
    "en", "pour", "par", "avec", "sur", "dans", "est", "a", "se", "ne", "pas", "né", "née",
    "désolé", "désolée", "allé", "allée", "venu", "venue", "très", "bien", "là", "ici",
    "votre", "notre", "mon", "ma", "mes", "son", "sa", "ses", "ce", "cette", "il", "elle",
}  # fmt: skip

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
_CAP = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_CAPS = rf"(?:[{_UP}]['’])?[{_UP}]{{2,}}(?:[\- ][{_UP}]{{2,}})?"
_NAME_TOKEN = rf"(?:[{_UP}]\.(?:-[{_UP}]\.)?|[{_UP}][\w'’]*(?:-[{_UP}][\w'’]*)*)"
_PARTICLE = r"(?:de[ \u00a0]la|de|du|des|d['’]|van|von|le|la|ben|el|al)"
_TITLE_NAME = re.compile(
    r"(?<![\w.])(?:M\.|MM\.|Mr\.?|Mme|Mmes|Mlle|Madame|Monsieur|Mademoiselle|Dr\.?|Docteur"
    r"|Maître|Me|Pr\.?|Professeur)[ \u00a0]+"
    rf"(?P<value>(?:{_PARTICLE}[ \u00a0]+)?{_NAME_TOKEN}"
    rf"(?:(?:[ \u00a0]+{_PARTICLE})?[ \u00a0]*{_NAME_TOKEN}){{0,3}})"
)
_FORM_FIELD = re.compile(
    r"^[ \t]*(?:Nom(?:[ \t]+(?:de[ \t]+naissance|d['’]usage|de[ \t]+famille|marital|"
    r"patronymique|et[ \t]+prénoms?))?|NOM|Pr[ée]nom(?:\(s\)|s)?|PR[ÉE]NOM(?:\(S\)|S)?"
    r"|Titulaire|Demandeur|Demandeuse|Représentant(?:[ \t]+légal)?|Conjoint|Enfant"
    r"|Signataire|Interlocuteur|Contact|Rédigée?[ \t]+par|Affaire[ \t]+suivie[ \t]+par)"
    r"[ \t]*:[ \t]*(?P<value>[^\n]+)",
    re.MULTILINE,
)
_FIELD_NAME = re.compile(
    rf"[{_UP}][\w'’.\-]*(?:[ \u00a0]+(?:{_PARTICLE}[ \u00a0]+)?[{_UP}][\w'’.\-]*){{0,3}}"
)
_CAPS_PAIR = re.compile(
    rf"(?<![\w'’\-])(?:(?P<first>{_CAP})[ \u00a0](?P<last>{_CAPS})|(?P<last2>{_CAPS})[ \u00a0]"
    rf"(?P<first2>{_CAP}))(?![\w'’\-])"
)
_NEXT_FIRST_NAME = re.compile(rf"[ \u00a0](?P<name>{_CAP})(?![\w'’\-])")
_CAP_WORD = re.compile(rf"(?<![\w'’\-.@]){_CAP}(?![\w'’@])")
_SURNAME_WORD = re.compile(rf"[ \u00a0](?:{_CAP}|{_CAPS})(?![\w'’@])")
_LOWER_CUE = re.compile(
    r"(?i:\bje[ \u00a0]suis|\bje[ \u00a0]m['’ ]?appelle|\bmoi[ \u00a0]c['’]est"
    r"|\bje[ \u00a0]soussignée?"
    r"|(?P<title>\bmadame|\bmonsieur|\bmme|\bmlle|\bmr|\bm\.))"
    r"[ \u00a0]+(?P<value>[a-zß-ÿ'’\-]+(?:[ \u00a0][a-zß-ÿ'’\-]+){0,2})"
)
# spaCy tags that never start or continue a lower-case name ("mon voisin gérard laisse…").
_NOT_NAME_POS = {"VERB", "AUX", "ADV", "PRON", "DET", "ADP", "CCONJ", "SCONJ", "NUM", "PUNCT"}
_LOWER_WORD = re.compile(r"(?<![\w'’\-@.])[a-zß-öø-ÿ]+(?:-[a-zß-öø-ÿ]+)?(?![\w'’@\-])")
_NEXT_LOWER_WORD = re.compile(r"[ \u00a0]+(?P<word>[a-zß-öø-ÿ]+(?:-[a-zß-öø-ÿ]+)?)(?![\w'’@\-])")
_REFLEXIVE = re.compile(r"\b[smt]e\s+$|\b[smt]['’]$")
_FILED = re.compile(r"\b(?i:dossier|famille)[ \u00a0]+(?P<value>[a-zß-ÿ][a-zß-ÿ'’\-]{2,})\b")
_FAMILY = re.compile(rf"\b(?i:famille)[ \u00a0]+(?P<value>{_CAPS}|{_CAP}(?:[ \u00a0]{_CAP})?)\b")
_SEGMENT = re.compile(r"[^\n:;()«»|–—/]+")
_EDGE_PUNCT = ",.;:!?()[]«»\"'’ \u00a0"
_LEADING_NOISE = TITLES | GREETINGS | PROMPT_VERBS
_TRAILING_NOISE = TITLES | GREETINGS
_BIRTH_PLACE = re.compile(r"(?:n[ée]e?s?\b[^\n]{0,30}\bà|naissance\s*:|fait\s+à)\s*$", re.I)


def _norm(word: str) -> str:
    return word.strip(_EDGE_PUNCT).lower()


def _placed(text: str, start: int) -> bool:
    """The name belongs to a place or institution ("école Jules Ferry", "né à Figeac")."""
    before = text[max(0, start - 50) : start]
    if _BIRTH_PLACE.search(before):
        return True
    if before.rstrip()[-1:] in tuple(",;:.!?()"):
        return False  # "l'école, Enzo arrive…": punctuation separates the place from the name
    words = re.findall(r"[\w'’\-]+", before.lower())[-5:]
    words = [re.sub(r"^[ldjs]['’]", "", w) for w in words]
    # Walk back over what may sit between a place word and the name: first names, particles,
    # qualifiers ("école jean moulin", "centre social louise michel", "impasse antoine de
    # saint-exupéry", "rond-point du général leclerc", "salle polyvalente jacques prévert").
    for word in reversed(words):
        if word in PLACE_WORDS or word in {"saint", "sainte", "st", "ste"}:
            return True
        if not (word in FIRST_NAMES_LOWER or word in NAME_PARTICLES or word in PLACE_QUALIFIERS):
            return False
    return False


def _drop_common_lead(text: str, span: tuple[int, int], tokens: object) -> tuple[int, int]:
    """ "Situation LEROUX Mickaël": a capitalised common noun at a line start, glued to the
    name by spaCy, is not part of it (kept when it is a known first name or in capitals)."""
    start, end = span
    for token in tokens:  # type: ignore[attr-defined]
        word = token.text
        if (
            token.pos_ in ("NOUN", "VERB", "ADJ", "DET", "ADP")
            and word not in FIRST_NAMES
            and not word.isupper()
            and token.idx + len(word) < end
            and _line_start(text, token.idx)
        ):
            rest = text[token.idx + len(word) : end]
            start = token.idx + len(word) + (len(rest) - len(rest.lstrip()))
            continue
        break
    return start, end


def _pos(doc: object, start: int, end: int) -> str:
    """spaCy's part of speech of the word at ``text[start:end]`` ("" when not one token)."""
    span = doc.char_span(start, end)  # type: ignore[attr-defined]
    return str(span[0].pos_) if span is not None and len(span) == 1 else ""


def _line_start(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \t\u00a0")
    return not before or before[-1] in "\n.!?:–—-"


def _lower_lead(word: str, remaining: int) -> bool:
    """A lower-case word opening a multi-word span ("enfant Nathalie"), other than a particle."""
    return remaining > 1 and word[:1].islower() and _norm(word) not in NAME_PARTICLES


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop titles/greetings at the edges, then edge punctuation; None if nothing is left."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    while words and (
        _norm(text[words[0][0] : words[0][1]]) in _LEADING_NOISE
        or _lower_lead(text[words[0][0] : words[0][1]], len(words))
    ):
        words.pop(0)
    while words and _norm(text[words[-1][0] : words[-1][1]]) in _TRAILING_NOISE:
        words.pop()
    if not words:
        return None
    s, e = words[0][0], words[-1][1]
    while s < e and text[s] in _EDGE_PUNCT:
        s += 1
    while e > s and text[e - 1] in _EDGE_PUNCT and not re.search(r"\b\w\.$", text[s:e]):
        e -= 1
    return (s, e) if s < e else None


def acceptable(text: str, start: int, end: int) -> bool:
    """Shared checks for every candidate span."""
    value = text[start:end]
    tokens = [_norm(w) for w in value.split()]
    if not value or not value[0].isalpha() or any(c.isdigit() or c in "@=#" for c in value):
        return False
    if all(t in NOT_NAMES for t in tokens) or tokens[0] in NOT_NAMES - TITLES:
        return False
    if value[0].islower() and tokens[0] in {"le", "la", "les", "l'", "l’"}:
        return False  # "la Maire", "le rapporteur"
    if all(w.strip(".-") in ACRONYMS for w in value.split()):
        return False
    return not _placed(text, start)


class FrenchPersonRecognizer(LocalRecognizer):
    ENTITY = "PERSON"

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[self.ENTITY], supported_language=LANGUAGE, name="FrenchPerson"
        )

    def load(self) -> None:
        """spaCy runs in the NLP engine; nothing to load here."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if self.ENTITY not in entities:
            return []
        finders = [
            self._from_spacy(text, nlp_artifacts),
            self._titled(text),
            self._form_fields(text),
            self._caps_pairs(text),
            self._first_names(text),
            self._lower_case(text, nlp_artifacts),
            self._lower_first_names(text, nlp_artifacts),
            self._families(text),
            self._filed(text),
        ]
        results = []
        for finder in finders:
            for start, end, score in finder:
                if acceptable(text, start, end):
                    results.append(RecognizerResult(self.ENTITY, start, end, score))
        return results

    @staticmethod
    def _from_spacy(text: str, artifacts: NlpArtifacts | None) -> Iterator[tuple[int, int, float]]:
        if artifacts is None:
            return
        doc = artifacts.tokens
        for ent, score in zip(artifacts.entities, artifacts.scores, strict=True):
            if ent.label_ != "PERSON":
                continue
            for segment in _SEGMENT.finditer(text, ent.start_char, ent.end_char):
                span = _trim(text, segment.start(), segment.end())
                if span is None:
                    continue
                tokens = doc.char_span(span[0], span[1], alignment_mode="expand")
                words = text[span[0] : span[1]].split()
                # spaCy tags capitalised nouns and verbs at line starts as PER; require a
                # proper noun, a known first name or an upper-case surname.
                if tokens is not None:
                    span = _drop_common_lead(text, span, tokens)
                    tokens = doc.char_span(span[0], span[1], alignment_mode="expand")
                    words = text[span[0] : span[1]].split()
                if tokens is not None and (
                    any(t.pos_ == "PROPN" for t in tokens)
                    or any(w in FIRST_NAMES for w in words)
                    or any(w.isupper() and len(w) > 1 for w in words)
                ):
                    yield span[0], span[1], score

    @staticmethod
    def _titled(text: str) -> Iterator[tuple[int, int, float]]:
        for match in _TITLE_NAME.finditer(text):
            s, e = match.span("value")
            # "Monsieur Dupont Responsable du service": cut at the first role word.
            for word in list(re.finditer(r"\S+", match.group("value")))[1:]:
                if _norm(word.group()) in NOT_NAMES:
                    e = s + word.start()
                    break
            span = _trim(text, s, e)
            if span:
                yield span[0], span[1], 0.9

    @staticmethod
    def _form_fields(text: str) -> Iterator[tuple[int, int, float]]:
        for match in _FORM_FIELD.finditer(text):
            base = match.start("value")
            # "Prénom(s) : Jeanne, Marie" are two spans; "Contact : Léa Garcia – 06..." one.
            value = re.split(r"\s[–—-]\s|\s\(|\s{2,}", match.group("value"))[0]
            for part in re.finditer(r"[^,;]+", value):
                name = _FIELD_NAME.fullmatch(part.group().strip())
                if name:
                    s = base + part.start() + (len(part.group()) - len(part.group().lstrip()))
                    span = _trim(text, s, s + len(name.group()))
                    if span:
                        yield span[0], span[1], 0.85

    @staticmethod
    def _caps_pairs(text: str) -> Iterator[tuple[int, int, float]]:
        for match in _CAPS_PAIR.finditer(text):
            first = match.group("first") or match.group("first2")
            last = match.group("last") or match.group("last2")
            if any(w in ACRONYMS for w in re.split(r"[\s\-]", last)) or first.lower() in NOT_NAMES:
                continue
            if len(last) <= 3 and first not in FIRST_NAMES:
                continue  # "Paiement CB", "Service RH": acronyms more often than surnames
            start, end = match.span()
            after = _NEXT_FIRST_NAME.match(text, end)
            if (
                match.group("first")
                and first not in FIRST_NAMES
                and after
                and (after.group("name") in FIRST_NAMES)
            ):
                # "Situation LEROUX Mickaël": the surname goes with the first name after it
                start, end = match.start("last"), after.end()
            yield start, end, 0.75

    @staticmethod
    def _first_names(text: str) -> Iterator[tuple[int, int, float]]:
        for match in _CAP_WORD.finditer(text):
            if match.group() not in FIRST_NAMES:
                continue
            end = match.end()
            for _ in range(2):  # "Jean Dupont", "Anne-Marie LE GALL"
                surname = _SURNAME_WORD.match(text, end)
                token = surname.group().strip() if surname else ""
                if not surname or _norm(token) in NOT_NAMES or token in ACRONYMS:
                    break
                end = surname.end()
            yield match.start(), end, 0.7

    @staticmethod
    def _lower_case(text: str, artifacts: NlpArtifacts | None) -> Iterator[tuple[int, int, float]]:
        """After "je suis", "je m'appelle", "je soussignée": a name holding a known first name;
        after a title ("madame dupuis", "mr lopez", "monsieur da silva"): words that are
        first names or not common French words."""
        for match in _LOWER_CUE.finditer(text):
            titled = match.group("title") is not None
            words = list(re.finditer(r"\S+", match.group("value")))
            base = match.start("value")
            kept: list[re.Match[str]] = []
            for i, word in enumerate(words):
                token = word.group()
                following = words[i + 1].group() if i + 1 < len(words) else ""
                if token in NAME_PARTICLES and following and not is_common(following):
                    kept.append(word)  # "da silva", "el amrani"
                    continue
                if token in _STOP_LOWER or token in _stop_words() or re.match(r"[a-z]['’]", token):
                    break
                if _norm(token) in NOT_NAMES:
                    break
                if titled and is_common(token) and token not in FIRST_NAMES_LOWER:
                    break
                kept.append(word)
            while kept and kept[-1].group() in NAME_PARTICLES:
                kept.pop()
            if not kept:
                continue
            if titled or any(w.group() in FIRST_NAMES_LOWER for w in kept):
                yield base + kept[0].start(), base + kept[-1].end(), 0.6

    @staticmethod
    def _filed(text: str) -> Iterator[tuple[int, int, float]]:
        """ "dossier garcia", "famille traoré": a lower-case word that is no French word."""
        for match in _FILED.finditer(text):
            word = match.group("value")
            if word not in _stop_words() and frequency(word) == 0 and word not in NOT_NAMES:
                yield match.start("value"), match.end("value"), 0.6

    @staticmethod
    def _lower_first_names(
        text: str, artifacts: NlpArtifacts | None
    ) -> Iterator[tuple[int, int, float]]:
        """A known first name written in lower case ("mon fils nathan", "merci nicole",
        "alors euh fatoumata kowalski nous dit"), with the surname that follows it. First names
        that are also common words (pierre, rose, marine…) count only when spaCy reads them as
        proper nouns."""
        if artifacts is None:
            return
        doc = artifacts.tokens
        for match in _LOWER_WORD.finditer(text):
            word = match.group()
            if word not in FIRST_NAMES_LOWER:
                continue
            if word in AMBIGUOUS_LOWER and _pos(doc, match.start(), match.end()) != "PROPN":
                continue
            if _REFLEXIVE.search(text, max(0, match.start() - 4), match.start()):
                continue  # "elle se marie"
            end = match.end()
            pending = end  # a particle is kept only when a name word follows it
            for _ in range(3):
                nxt = _NEXT_LOWER_WORD.match(text, pending)
                if nxt is None:
                    break
                following = nxt.group("word")
                if following in NAME_PARTICLES:
                    pending = nxt.end()
                    continue
                if following in _stop_words() or _norm(following) in NOT_NAMES:
                    break
                if frequency(following) and (
                    _pos(doc, nxt.start("word"), nxt.end()) in _NOT_NAME_POS - {"ADP", "DET"}
                ):
                    break  # a common word read as a verb, adverb… ("gérard laisse")
                end = pending = nxt.end()
            yield match.start(), end, 0.6

    @staticmethod
    def _families(text: str) -> Iterator[tuple[int, int, float]]:
        for match in _FAMILY.finditer(text):
            yield match.start("value"), match.end("value"), 0.8
