"""French licence plates: SIV (AB-123-CD, since 2009) and the older FNI (1234 AB 75)."""

from __future__ import annotations

import re

from civia.privacy.recognizers.base import RegexRecognizer, has_context

_VEHICLE_WORDS = (
    "immatricul", "plaque", "véhicule", "vehicule", "voiture", "stationn", "fourrière",
    "fourriere", "moto", "scooter", "camion", "utilitaire", "camping-car", "pv ", "verbalis",
    "carte grise", "automobile", "auto ",
)  # fmt: skip
_L = "A-HJ-NP-TV-Z"  # SIV letters: no I, O, U


class PlateRecognizer(RegexRecognizer):
    ENTITY = "PLATE"
    PATTERN = re.compile(
        r"(?<![\w\-])(?:"
        rf"(?P<siv>[{_L}]{{2}}(?P<s>[\- \u00a0]?)\d{{3}}(?P=s)[{_L}]{{2}})"
        rf"|(?P<siv_lower>[{_L.lower()}]{{2}}-\d{{3}}-[{_L.lower()}]{{2}})"
        r"|(?P<fni>\d{1,4}[\- \u00a0]?[A-HJ-NP-Z]{1,3}[\- \u00a0]?"
        r"(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6]))"
        r")(?![\w\-])"
    )

    def score(self, match: re.Match[str], text: str) -> float | None:
        context = has_context(text, match.start(), _VEHICLE_WORDS, window=80)
        if match.group("siv"):
            if match.group("s") == "-":
                return 0.9
            return 0.85 if context else 0.55
        if match.group("siv_lower"):
            return 0.8 if context else 0.5
        return 0.8 if context else None
