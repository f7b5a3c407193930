"""The days of the week of a translation into French, checked against the source: the small model
wrote « mardi » for « Wednesday » and « le samedi » for « on Sundays » (bench dev inputs 23 and
24 of the translation). A French weekday that no day of the source gives (named in English,
German, Spanish, Italian or French, « weekend » included; a range « Monday to Friday » gives the
days between) is marked « [à vérifier] », and the agent is told which days the source gives. Not
replaced: which of two days is wrong is for the agent to see. A source in another language is
not checked."""

from __future__ import annotations

import re
from typing import Any

from civia.assistants import repetition
from civia.assistants.forms import hours

FRENCH = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# each source word (accents removed, lower case) → the French days it names
SOURCE: dict[str, tuple[str, ...]] = {}
for _day, _words in zip(
    FRENCH,
    (
        "lundi monday montag lunes lunedi",
        "mardi tuesday dienstag martes martedi",
        "mercredi wednesday mittwoch miercoles mercoledi",
        "jeudi thursday donnerstag jueves giovedi",
        "vendredi friday freitag viernes venerdi",
        "samedi saturday samstag sonnabend sabado sabato",
        "dimanche sunday sonntag domingo domenica",
    ),
    strict=True,
):
    for _word in _words.split():
        SOURCE[_word] = (_day,)
for _word in ("weekend", "week-end", "wochenende", "fin de semana", "fine settimana"):
    SOURCE[_word] = ("samedi", "dimanche")
SOURCE_WORD = re.compile(rf"\b({'|'.join(sorted(SOURCE, key=len, reverse=True))})s?\b")
FRENCH_DAY = re.compile(rf"\b({'|'.join(FRENCH)})s?\b", re.I)


def days_of(source: str) -> set[str]:
    """The French days the source names (« Monday to Friday »: lundi and vendredi)."""
    found: set[str] = set()
    for m in SOURCE_WORD.finditer(repetition.plain(source)):
        found.update(SOURCE[m[1]])
    return found


def _between(days: set[str]) -> set[str]:
    """The days a range of the source may bring in: « Monday to Friday » is « du lundi au
    vendredi », and a translation may spell out the days between."""
    if len(days) < 2:
        return days
    index = sorted(FRENCH.index(d) for d in days)
    return set(FRENCH[index[0] : index[-1] + 1])


def finish(text: str, values: dict[str, str], context: dict[str, Any]) -> tuple[str, list[str]]:
    if values.get("langue", "anglais") not in hours.LANGUAGES:
        return text, []
    source = hours.source_of(values)
    given = days_of(source)
    allowed = _between(given)
    wrong: list[str] = []

    def mark(m: re.Match[str]) -> str:
        if m[1].lower() in allowed:
            return m[0]
        wrong.append(m[0])
        return f"{m[0]} [à vérifier]"

    marked = FRENCH_DAY.sub(mark, text)
    if not wrong:
        return text, []
    said = ", ".join(d for d in FRENCH if d in given) or "aucun jour"
    listed = ", ".join(f"« {w} »" for w in dict.fromkeys(wrong))
    return marked, [
        f"Jour de la semaine que le texte d'origine ne donne pas, marqué [à vérifier] : {listed} "
        f"(le texte d'origine donne : {said})."
    ]
