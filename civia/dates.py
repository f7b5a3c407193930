"""Dates as French readers write them: « 4 décembre 2026 », « 4 décembre 2026 à 14 h 05 »."""

from __future__ import annotations

from datetime import date, datetime

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def date_fr(value: date | str | None) -> str:
    """« 1er mars 2024 »; empty for no date. An ISO string (a form's date field) is read too;
    anything else is shown as typed."""
    if not value:
        return ""
    if isinstance(value, str):
        typed = value
        try:
            value = date.fromisoformat(typed)
        except ValueError:
            return typed
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def datetime_fr(value: datetime | None, *, seconds: bool = False) -> str:
    """« 4 décembre 2026 à 14 h 05 » (« à 14 h 05 min 09 s » with seconds)."""
    if value is None:
        return ""
    clock = f"{value.hour} h {value.minute:02d}"
    if seconds:
        clock += f" min {value.second:02d} s"
    return f"{date_fr(value)} à {clock}"
