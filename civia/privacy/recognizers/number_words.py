"""French numbers written in words, as speech-to-text writes them ("quatorze", "vingt-trois",
"soixante et onze"): street numbers, days of the month, phone numbers read aloud."""

from __future__ import annotations

_UNITS = (
    "zéro|zero|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze"
    "|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?"
)
WORD = rf"(?:{_UNITS})"
_JOIN = r"[ \u00a0\-]+(?:et[ \u00a0\-]+)?"
# One number: "quatorze", "vingt-trois", "soixante et onze", "cent vingt" ("un"/"une" alone are
# articles far more often than numbers: callers exclude them where it matters).
NUMBER = rf"(?:(?!zéro|zero){WORD}(?:{_JOIN}(?!zéro|zero){WORD})*)"
DAY = rf"(?:premier|{NUMBER})"
YEAR = (
    r"(?:deux[ \u00a0\-]mille(?:[ \u00a0\-]+"
    + NUMBER
    + r")?|mille[ \u00a0\-]neuf[ \u00a0\-]cents?(?:[ \u00a0\-]+"
    + NUMBER
    + r")?)"
)
# A phone number read aloud: "zéro six douze quarante-cinq trente-trois quatre-vingt-dix-huit".
PHONE = rf"(?:zéro|zero)(?:{_JOIN}{WORD}){{4,}}"
