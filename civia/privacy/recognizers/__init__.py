"""French recognizers plugged into Presidio; each module covers one family of entities."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from civia.privacy.recognizers.addresses import FrenchAddressRecognizer
from civia.privacy.recognizers.base import LANGUAGE
from civia.privacy.recognizers.contact import FrenchPhoneRecognizer, OfflineEmailRecognizer
from civia.privacy.recognizers.dates import FrenchDateRecognizer
from civia.privacy.recognizers.identifiers import (
    CardRecognizer,
    IbanMod97Recognizer,
    NirRecognizer,
    SirenRecognizer,
    SiretRecognizer,
)
from civia.privacy.recognizers.persons import FrenchPersonRecognizer
from civia.privacy.recognizers.plates import PlateRecognizer


def french_recognizers() -> list[EntityRecognizer]:
    """One recognizer per entity type, all for language "fr"."""
    return [
        FrenchPersonRecognizer(),
        OfflineEmailRecognizer(),
        FrenchPhoneRecognizer(),
        IbanMod97Recognizer(),
        NirRecognizer(),
        SiretRecognizer(),
        SirenRecognizer(),
        FrenchAddressRecognizer(),
        FrenchDateRecognizer(),
        CardRecognizer(),
        PlateRecognizer(),
    ]


__all__ = ["LANGUAGE", "french_recognizers"]
