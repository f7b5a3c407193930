"""Postal addresses: number + street type + name, optionally followed by postcode and city.

Also "lieu-dit <Name>" and "<street type> <Name>, <postcode> <city>" without a number.
A city alone ("à Lyon") is not an address. The span runs from the number (or "lieu-dit")
to the city when a postcode follows, else to the end of the street name.
"""

from __future__ import annotations

import re

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from civia.privacy.recognizers import number_words
from civia.privacy.recognizers.base import LANGUAGE, has_context

_STREET_TYPES = (
    r"rue|ruelle|avenue|av\.|bd|bld|boulevard|boul\.|place|pl\.|chemin|ch\.|all[ée]e|impasse"
    r"|imp\.|route|rte|quai|cours|square|sq\.|passage|r[ée]sidence|lotissement|lot\.|hameau"
    r"|chauss[ée]e|faubourg|fbg|rond-point|voie|sentier|sente|cit[ée]|villa|esplanade"
    r"|promenade|parvis|mont[ée]e|traverse|mail|domaine|clos|venelle|galerie|quartier|zac"
    r"|za|zi|carrefour|c[ôo]te|lev[ée]e|rampe|grande[ \u00a0]rue|grand[' ’]rue"
)
_NUMBERED = re.compile(
    r"(?<![\w/.,\-])(?P<num>(?:\d{1,4}|(?!une?\b)"
    + number_words.NUMBER
    + r")(?:[ \u00a0]?(?:bis|ter|quater|[a-dA-D])\b)?)"
    rf"[ \u00a0]?,?[ \u00a0]+(?P<type>{_STREET_TYPES})(?![\w\-])",
    re.IGNORECASE,
)
_UNNUMBERED = re.compile(rf"(?<![\w\-])(?P<type>{_STREET_TYPES})(?![\w\-])", re.IGNORECASE)
_LIEU_DIT = re.compile(r"(?<![\w\-])(?:lieu[- \u00a0]?dit|l\.-d\.)(?![\w\-])", re.IGNORECASE)

_TOKEN = re.compile(r"[ \u00a0]+(?P<tok>\d{1,4}\b|[^\W\d_](?:[\w'’.\-]*[\w])?)")
_POSTCODE_CITY = re.compile(
    r"[ \u00a0]*(?:[,–\-][ \u00a0]*)?(?:\n[ \u00a0]*)?"
    r"(?P<cp>(?:F-)?(?:\d{5}|\d{2}[ \u00a0]\d{3}))[ \u00a0]+(?P<city>[^\W\d_][\w'’\-]*)"
)
# "Bât. B", "appt 12", "3e étage", "résidence Les Pins" between the street and the postcode.
_COMPLEMENT = re.compile(
    r"(?:[ \u00a0]*,[ \u00a0]*|[ \u00a0]+)(?:"
    r"(?i:b[âa]t(?:iment|\.)?)[ \u00a0]*[A-Za-z0-9]{1,3}\b"
    r"|(?i:esc(?:alier|\.)?)[ \u00a0]*[A-Za-z0-9]{1,3}\b"
    r"|(?i:app(?:ar)?t(?:ement|\.)?)[ \u00a0]*(?:n°[ \u00a0]*)?\d{1,4}\b"
    r"|\d{1,2}(?i:e|è|ème|eme|er)[ \u00a0]*(?i:étage)"
    r"|(?i:porte)[ \u00a0]*\d{1,4}\b"
    r"|(?i:r[ée]sidence)[ \u00a0]+(?:(?:[Ll]es?|[Ll]a)[ \u00a0]+|[Ll]['’])?"
    r"[A-ZÀ-Ý][\w'’\-]*(?:[ \u00a0]+[A-ZÀ-Ý][\w'’\-]*)*"
    r")"
)
_CITY_MORE = re.compile(r"[ \u00a0\-]+(?P<tok>[^\W\d_][\w'’\-]*|\d{1,2}\b)")

_PARTICLES = {
    "de", "du", "des", "la", "le", "les", "l'", "d'", "aux", "au", "sur", "sous", "en", "et",
    "saint", "sainte", "st", "ste", "lès", "lez",
}  # fmt: skip
_STOP = {
    "à", "a", "depuis", "pour", "est", "sont", "qui", "que", "dont", "dans", "avec", "chez",
    "où", "ou", "mais", "car", "donc", "puis", "ni", "je", "j'", "il", "elle", "nous", "vous",
    "ils", "elles", "on", "se", "ne", "mon", "ma", "mes", "son", "sa", "ses", "leur", "notre",
    "votre", "pendant", "avant", "après", "lors", "afin", "ainsi", "aussi", "également",
    "tél", "tél.", "tel", "tel.", "téléphone", "email", "courriel", "mail", "né", "née",
    "bâtiment", "bât", "bât.", "appartement", "appt", "apt", "étage", "escalier", "code",
    "cedex", "bp", "cs", "par", "ce", "cette", "ces", "un", "une", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche", "tous", "tout", "toute", "toutes", "et", "y",
    "n'", "s'", "qu'", "sauf", "selon", "vers", "entre", "suite", "via",
}  # fmt: skip
_MONTHS = {
    "janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août",
    "aout", "septembre", "octobre", "novembre", "décembre", "decembre",
}  # fmt: skip
_ADDRESS_WORDS = (
    "habite", "domicil", "demeurant", "résid", "resid", "adresse", "sis ", "sise", "situé",
    "située", "logement", "au ", "installé", "emménag", "déménag", "vit ", "vivent",
)  # fmt: skip
_CITY_PARTICLES = {"sur", "sous", "en", "de", "du", "des", "la", "le", "les", "lès", "lez", "d'"}
_MAX_NAME_TOKENS = 8


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _street_name_end(text: str, pos: int) -> tuple[int, bool]:
    """Scan the street name from ``pos``; return its end and whether it holds a capital."""
    end, capital, previous, count = pos, False, "", 0
    pending_end = pos  # end before trailing particles, which are only kept if a name follows
    while count < _MAX_NAME_TOKENS:
        match = _TOKEN.match(text, end)
        if not match:
            break
        token = match.group("tok")
        lower = token.lower()
        if token.isdigit():
            # "du 8 Mai 1945", "du 11 Novembre": numbers only inside such names.
            if not (previous in {"du", "de"} or previous in _MONTHS):
                break
        elif lower in _PARTICLES or (
            lower.startswith(("l'", "d'", "l’", "d’")) and len(token) == 2
        ):
            pass
        elif lower in _STOP or (lower in _MONTHS and not previous.isdigit()):
            break
        elif capital and not _is_capitalised(token):
            break  # "route de Figeac le service…": the capitalised name has ended
        elif _is_capitalised(token) or (
            lower.startswith(("l'", "d'", "l’", "d’")) and _is_capitalised(token[2:])
        ):
            capital = True
        end = match.end()
        count += 1
        if lower not in _PARTICLES:
            pending_end = end
        previous = lower
    return pending_end, capital


def _city_end(text: str, pos: int) -> int:
    """Extend a city after its first word: "Saint-Maur-des-Fossés", "Boulogne sur Mer", Cedex."""
    end = pos
    while True:
        match = _CITY_MORE.match(text, end)
        if not match:
            return end
        token = match.group("tok")
        if token.isdigit():
            if not text[end - 5 : end].lower().endswith("cedex"):
                return end
        elif token.lower() in _CITY_PARTICLES:
            nxt = _CITY_MORE.match(text, match.end())
            if not nxt or not _is_capitalised(nxt.group("tok")):
                return end
        elif not _is_capitalised(token):
            return end
        end = match.end()


# "résidence Les Tilleuls, bât C, 40 avenue …": complements written before the street.
_LEADING = re.compile(
    r"(?:(?i:r[ée]sidence|lotissement|cit[ée]|domaine)[ \u00a0]+(?:(?:[Ll]es?|[Ll]a)[ \u00a0]+)?"
    r"[A-ZÀ-Ý][\w'’\-]*(?:[ \u00a0]+[A-ZÀ-Ý][\w'’\-]*)*"
    r"|(?i:b[âa]t(?:iment|\.)?)[ \u00a0]*[A-Za-z0-9]{1,3}"
    r"|(?i:app(?:ar)?t(?:ement|\.)?)[ \u00a0]*(?:n°[ \u00a0]*)?\d{1,4}"
    r"|(?i:esc(?:alier|\.)?)[ \u00a0]*[A-Za-z0-9]{1,3})"
    r"[ \u00a0]*,[ \u00a0]*$"
)


def _leading_complement(text: str, start: int) -> int:
    while match := _LEADING.search(text[max(0, start - 80) : start]):
        start = start - (len(text[max(0, start - 80) : start]) - match.start())
    return start


def _after_month(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].lower().split()
    return bool(before) and before[-1] in _MONTHS


class FrenchAddressRecognizer(LocalRecognizer):
    ENTITY = "ADDRESS"

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[self.ENTITY], supported_language=LANGUAGE, name="FrenchAddress"
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if self.ENTITY not in entities:
            return []
        results = []
        for match in _NUMBERED.finditer(text):
            if _after_month(text, match.start()):
                continue  # "le 18 janvier 2025 place de la Halle": a year, not a number
            found = self._street(text, match.start(), match.end(), numbered=True)
            if found:
                start = _leading_complement(text, found.start)
                results.append(RecognizerResult(self.ENTITY, start, found.end, found.score))
        for match in _UNNUMBERED.finditer(text):
            found = self._street(text, match.start(), match.end(), numbered=False)
            if found:
                results.append(found)
        for match in _LIEU_DIT.finditer(text):
            end, capital = _street_name_end(text, match.end())
            if end > match.end() and capital:
                end, _ = self._with_city(text, end)
                results.append(RecognizerResult(self.ENTITY, match.start(), end, 0.85))
        return results

    def _street(
        self, text: str, start: int, type_end: int, numbered: bool
    ) -> RecognizerResult | None:
        end, capital = _street_name_end(text, type_end)
        street_type = text[type_end - 12 : type_end].lower()
        no_name_needed = street_type.endswith(("rue", "’rue", "'rue")) and "grand" in street_type
        if end == type_end and not no_name_needed:
            return None
        end, has_city = self._with_city(text, end)
        if not numbered:
            # "rue des Lilas" alone is a place name; with postcode and city it is an address.
            return RecognizerResult(self.ENTITY, start, end, 0.85) if has_city and capital else None
        if has_city:
            return RecognizerResult(self.ENTITY, start, end, 0.95)
        if capital:
            return RecognizerResult(self.ENTITY, start, end, 0.9)
        if has_context(text, start, _ADDRESS_WORDS, window=40):
            return RecognizerResult(self.ENTITY, start, end, 0.75)
        return None

    @staticmethod
    def _with_city(text: str, end: int) -> tuple[int, bool]:
        while complement := _COMPLEMENT.match(text, end):
            end = complement.end()
        match = _POSTCODE_CITY.match(text, end)
        if not match:
            return end, False
        return _city_end(text, match.end()), True
