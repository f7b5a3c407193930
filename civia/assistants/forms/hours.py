"""Times of a translation into French on the 24-hour clock. The small model leaves « 4 pm » as
it is, or drops the « pm » and writes « 1 h 30 » for « 1:30 pm »: a time left in English is
converted (« 4 pm » → « 16 h »), and a French time that reads a pm time of the source on the
12-hour clock (« de 1 h 30 à 5 h » for « 1:30 pm to 5 pm ») becomes its afternoon time
(« 17 h »). Only times of day are touched: an English time the source gives as such (never
« 2 PM », the police municipale, unless the source says « 2 pm »), and a French « N h » right
after « à », « de » (opening a range: « de 1 h 30 à 5 h », not « une pause de 2 h »), « dès »,
« vers », « jusqu'à », « entre », « et » or a dash, not followed by « de »/« du » (« à 5 h de
route », « à 5 h du matin »), unless the source also gives that time in the morning or the
translation says it more often than the source's pm. A time the model put « du matin » (« 3
heures du matin ») that the source gives only as a pm time becomes that time (« 15 h »). A
duration (« l'atelier dure 5 h », « pendant 2 h ») is left alone. The assistant translates into
French only."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

ENGLISH = re.compile(r"\b(\d{1,2})(?:[:.h](\d{2}))?\s?([ap])(?:m\b|\.\s?m\.)", re.I)
FRENCH = re.compile(
    r"(?<![\d:,.])\b(\d{1,2})\s?(?:h|heures?)(?:\s?(\d{2})(?:\s?minutes?)?)?\b"
    r"(?!\s?(?:am|pm)\b)",
    re.I,
)
# « 5-10pm », « between 2 and 4 pm »: the first time of the range is in the afternoon too
SHARED_PM = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(?:-|–|to|and)\s*(\d{1,2})(?:[:.](\d{2}))?\s?p(?:m\b|\.\s?m\.)",
    re.I,
)
# « entre 2 et 4 h », « de 5 à 10 h »: a bare first time of a French range, given its « h »
BARE_START = re.compile(
    r"\b((?:entre|de)\s+)(\d{1,2})(?=\s*(?:et|à|-|–)\s*\d{1,2}\s?(?:h\b|heures?))", re.I
)
AT_TIME = re.compile(r"(?:\b(?:à|de|dès|vers|jusqu'à|jusqu’à|entre|et)|[-–])\s*$", re.I)
FROM = re.compile(r"\bde\s*$", re.I)
RANGE_AFTER = re.compile(r"\s*(?:à|-|–|jusqu)", re.I)
RANGE_END = re.compile(r"\s*(?:à|-|–|jusqu'à|jusqu’à)\s*(\d{1,2})\s?h(?:\s?(\d{2}))?", re.I)
OF_SOMETHING = re.compile(r"\s*(?:de|du|d'|d’)(?:\s|$)", re.I)
# « 3 heures du matin » the model wrote for the source's « 3 pm »
IN_THE_MORNING = re.compile(
    r"\b(\d{1,2})\s?(?:h|heures?)(?:\s?(\d{2})(?:\s?minutes?)?)?\s+du\s+matin\b", re.I
)
MORNING_OR_24H = re.compile(r"\b(\d{1,2})(?:[:.h]\s?(\d{2}))?\s?(?:h\b|am\b|a\.m\.)", re.I)


def clock(hour: int, minutes: str | None, half: str) -> tuple[int, str]:
    """The 24-hour time of « 4:30 pm » (half « p ») or « 12 am » (« a »)."""
    if half.lower() == "p" and hour < 12:
        hour += 12
    elif half.lower() == "a" and hour == 12:
        hour = 0
    return hour, minutes or ""


def key(m: re.Match[str]) -> tuple[int, str]:
    """A time as the 12-hour clock reads it: (hour, minutes or "" for « 00 »)."""
    return int(m[1]), "" if m[2] in (None, "00") else m[2]


def time_of_day(m: re.Match[str]) -> bool:
    """« à 5 h », « de 1 h 30 à 5 h »: a time of day; not « dure 5 h », « à 5 h de route », nor
    « une pause de 2 h » (after « de », only the start of a range is a time)."""
    before, after = m.string[: m.start()], m.string[m.end() :]
    if not AT_TIME.search(before) or OF_SOMETHING.match(after):
        return False
    return not FROM.search(before) or bool(RANGE_AFTER.match(after))


def french(hour: int, minutes: str) -> str:
    return f"{hour} h {minutes}" if minutes and minutes != "00" else f"{hour} h"


# source languages whose day and number words `weekdays` and `carried` know (not « autre »)
LANGUAGES = ("anglais", "allemand", "espagnol", "italien")


def source_of(values: dict[str, str]) -> str:
    """The text a translation was made from: pasted, or read from the file."""
    return "\n".join(values.get(k, "") for k in ("texte", "fichier"))


def on_the_24_hour_clock(source: str) -> list[str]:
    """Every time of day the source gives on the 12-hour clock, as French writes it (« 8:30 am »
    → « 8 h 30 », « 5-10pm » → « 17 h », « 22 h »): what a translation may say instead."""
    found = [french(*clock(int(m[1]), m[2], m[3])) for m in ENGLISH.finditer(source)]
    for m in SHARED_PM.finditer(source):
        if 1 <= int(m[1]) <= int(m[3]) < 12:
            found.append(french(*clock(int(m[1]), m[2], "p")))
    return found


def finish(text: str, values: dict[str, str], context: dict[str, Any]) -> tuple[str, list[str]]:
    source = source_of(values)
    afternoon: dict[tuple[int, str], tuple[int, str]] = {}
    given = {(key(m), m[3].lower()) for m in ENGLISH.finditer(source)}  # the source's own times
    times: Counter[tuple[int, str]] = Counter()  # how often the source says each pm time
    for m in ENGLISH.finditer(source):
        if m[3].lower() == "p" and 1 <= int(m[1]) < 12:
            afternoon[key(m)] = clock(int(m[1]), m[2], m[3])
            times[key(m)] += 1
    for m in SHARED_PM.finditer(source):  # « 5-10pm »: 17 h; « 11 to 2pm »: 11 h (am)
        if 1 <= int(m[1]) <= int(m[3]) < 12:
            afternoon[key(m)] = clock(int(m[1]), m[2], "p")
            times[key(m)] += 1
            given.add((key(m), "p"))
    morning = {key(m) for m in MORNING_OR_24H.finditer(source)}
    # « 5 h » read as 17 h only as often as the source says 5 pm (not a duration « 2 h »)
    said = Counter(key(m) for m in FRENCH.finditer(ENGLISH.sub("", text)) if time_of_day(m))
    convert = {k for k in afternoon if k not in morning and said[k] <= times[k]}
    changed: list[str] = []

    def english(m: re.Match[str]) -> str:
        if (key(m), m[3].lower()) not in given:  # « 2 PM »: not a time the source gives
            return m[0]
        new = french(*clock(int(m[1]), m[2], m[3]))
        changed.append(f"« {m[0].strip()} » → « {new} »")
        return new

    def minutes_of(hour: int, minutes: str) -> int:
        return hour * 60 + int(minutes or 0)

    def past_its_range_end(m: re.Match[str]) -> bool:
        """« de 2 h à 14 h »: read as 14 h, the start would not come before the range's end
        (the end as it will read: converted too when it is a pm time of the source)."""
        if not FROM.search(m.string[: m.start()]):
            return False
        end = RANGE_END.match(m.string, m.end())
        if end is None:
            return False
        end_key = key(end)
        end_at = afternoon[end_key] if end_key in convert else (int(end[1]), end[2] or "")
        return minutes_of(*afternoon[key(m)]) >= minutes_of(*end_at)

    def read_as_pm(m: re.Match[str]) -> str:
        if key(m) not in convert or not time_of_day(m) or past_its_range_end(m):
            return m[0]
        new = french(*afternoon[key(m)])
        changed.append(f"« {m[0]} » → « {new} »")
        return new

    def with_its_h(m: re.Match[str]) -> str:
        """« entre 2 et 4 h » → « entre 2 h et 4 h » when 2 is a pm time to convert."""
        return f"{m[1]}{m[2]} h" if (int(m[2]), "") in convert else m[0]

    def not_morning(m: re.Match[str]) -> str:
        """« 3 heures du matin » for a time the source gives only as « 3 pm »."""
        if key(m) not in afternoon or key(m) in morning:
            return m[0]
        new = french(*afternoon[key(m)])
        changed.append(f"« {m[0]} » → « {new} »")
        return new

    out = ENGLISH.sub(english, text)
    out = IN_THE_MORNING.sub(not_morning, out)
    out = FRENCH.sub(read_as_pm, BARE_START.sub(with_its_h, out))
    notes = []
    if changed:
        notes.append(
            "Heures passées au format 24 h, d'après le texte d'origine : "
            + ", ".join(dict.fromkeys(changed))
            + "."
        )
    return out, notes
