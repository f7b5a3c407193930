"""The numbers and dates of a translation into French, checked against its source: the small model
wrote « du 23 au 24 juin » for « on the night of 3 to 4 June » (bench dev input 25), « le 25 août »
for « im August » (dev input 4), « le 1er janvier » for « early January » (held-out input 11).
The source is first read as French would write it (months named in English, German, Spanish or
Italian, « June 4th » as « 4 juin », « 1,200 » as « 1 200 », « three » or « dos » as a number, a
time on the 12-hour clock as its 24-hour time), then any number or date of the translation that
it does not give is marked « [à vérifier] », as in the letters (`facts`). A source in another
language is not checked: its number words are not known here."""

from __future__ import annotations

import re
from typing import Any

from civia.assistants import facts, repetition
from civia.assistants.forms import hours

MONTHS_FR = facts.MONTHS.split("|")
MONTH_WORDS = (
    "january januar enero gennaio",
    "february februar febrero febbraio",
    "march marz marzo",
    "april abril aprile",
    "may mai mayo maggio",
    "june juni junio giugno",
    "july juli julio luglio",
    "august agosto",
    "september sept september septiembre settembre",
    "october oktober octubre ottobre",
    "november noviembre novembre",
    "december dezember diciembre dicembre",
)
MONTH: dict[str, str] = {
    word: french
    for french, words in zip(MONTHS_FR, MONTH_WORDS, strict=True)
    for word in words.split()
}
NAMES = "|".join(sorted(MONTH, key=len, reverse=True))
ORDINAL = r"(\d{1,2})(?:st|nd|rd|th|\.|º|°)?"
# « 4th of June », « 4. Juni », « 1 de julio »
DAY_MONTH = re.compile(rf"\b{ORDINAL}(?:\s+(?:of|de))?\s+({NAMES})\b")
MONTH_DAY = re.compile(rf"\b({NAMES})\s+{ORDINAL}\b(?!:)")  # « June 4th »
MONTH_ALONE = re.compile(rf"\b({NAMES})\b")
THOUSANDS = re.compile(r"\b(\d{1,3}(?:,\d{3})+)(?![\d,])")  # « 1,200 » (a French 1,2 stays)
NUMBER_WORDS = (  # 1 to 12 in English, German, Spanish and Italian (accents removed)
    "one eins uno", "two zwei dos due", "three drei tres tre", "four vier cuatro quattro",
    "five funf cinco cinque", "six sechs seis sei", "seven sieben siete sette",
    "eight acht ocho otto", "nine neun nueve nove", "ten zehn diez dieci",
    "eleven elf once undici", "twelve zwolf doce dodici",
)  # fmt: skip
SPELLED: dict[str, int] = {
    word: n for n, words in enumerate(NUMBER_WORDS, 1) for word in words.split()
} | {"fifteen": 15, "twenty": 20, "thirty": 30, "hundred": 100, "thousand": 1000}
WORD = re.compile(rf"\b({'|'.join(SPELLED)})\b")
NOON = re.compile(r"\b(?:noon|midday)\b")
MIDNIGHT = re.compile(r"\bmidnight\b")


def french_view(source: str) -> str:
    """The source's numbers and dates as a French text gives them, its times of day on the
    12-hour clock given on the 24-hour one too."""
    text = repetition.plain(source)
    text = DAY_MONTH.sub(lambda m: f"{m[1]} {MONTH[m[2]]}", text)
    text = MONTH_DAY.sub(lambda m: f"{m[2]} {MONTH[m[1]]}", text)
    text = MONTH_ALONE.sub(lambda m: MONTH[m[1]], text)
    text = THOUSANDS.sub(lambda m: f"{m[1]} {m[1].replace(',', ' ')}", text)  # kept, or French
    text = WORD.sub(lambda m: f"{m[0]} {SPELLED[m[1]]}", text)
    text = NOON.sub(" 12 h ", MIDNIGHT.sub(" 0 h minuit ", text))  # « 9am-noon »: not « -12 »
    # back to the accents French dates need (« 4 fevrier » is not « 4 février »)
    for month in MONTHS_FR:
        text = re.sub(rf"\b{repetition.plain(month)}\b", month, text)
    # « ; » between times: « 8 h » then a newline and « 13 h » would read as 8 h 13
    return " ; ".join([text, *hours.on_the_24_hour_clock(source)])


def finish(text: str, values: dict[str, str], context: dict[str, Any]) -> tuple[str, list[str]]:
    if values.get("langue", "anglais") not in hours.LANGUAGES:
        return text, []
    source = hours.source_of(values)
    mark = facts.Marker(facts.Source(french_view(source)))
    marked = mark(text)
    if not mark.found:
        return text, []
    return marked, [f"Absent du texte d'origine, marqué [à vérifier] : {facts.listed(mark.found)}."]
