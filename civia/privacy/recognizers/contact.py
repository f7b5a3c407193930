"""Phone numbers and e-mail addresses."""

from __future__ import annotations

import re

import phonenumbers
import tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from civia.privacy.recognizers import number_words
from civia.privacy.recognizers.base import LANGUAGE, RegexRecognizer


class FrenchPhoneRecognizer(RegexRecognizer):
    """French numbers (0X XX XX XX XX, +33 X.., 0033, +33 (0)X, dots/dashes/spaces) and other
    international numbers written with a leading + that libphonenumber accepts."""

    ENTITY = "PHONE"
    PATTERN = re.compile(
        r"(?<![\w+])(?:"
        r"(?P<fr>(?:(?:\+|00)[ \u00a0]?33[ \u00a0.\-]?(?:\(0\)[ \u00a0]?)?|0)[1-9]"
        r"(?:[ \u00a0.\-]?\d{2}){4})"
        r"|(?P<intl>\+(?!33)\d{1,3}(?:[ \u00a0.\-]?\(?\d{1,4}\)?){2,6})"
        rf"|(?P<spoken>{number_words.PHONE})"  # read aloud, as speech-to-text writes it
        r")(?![\w])",
        re.IGNORECASE,
    )

    def score(self, match: re.Match[str], text: str) -> float | None:
        if match.group("fr"):
            return 0.85
        if match.group("spoken"):
            return 0.7
        try:
            number = phonenumbers.parse(match.group())
        except phonenumbers.NumberParseException:
            return None
        return 0.8 if phonenumbers.is_valid_number(number) else None


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer (regex + public-suffix check), emitting our type name.

    Presidio validates domains with tldextract's module-level extractor, which fetches the
    public suffix list over the network when it was imported before
    TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS was set. Ours only reads the snapshot bundled with
    tldextract, whatever the import order.
    """

    def __init__(self) -> None:
        super().__init__(supported_language=LANGUAGE, supported_entity="EMAIL")
        self._extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    def validate_result(self, pattern_text: str) -> bool:
        return self._extract(pattern_text).fqdn != ""
