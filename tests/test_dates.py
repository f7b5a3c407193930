"""French dates, as users read them everywhere in Civia."""

from datetime import date, datetime

from civia.dates import date_fr, datetime_fr


def test_dates_read_as_in_french_letters() -> None:
    assert date_fr(date(2026, 12, 4)) == "4 décembre 2026"
    assert date_fr(date(2026, 3, 1)) == "1er mars 2026"
    assert date_fr(None) == ""
    assert date_fr("2026-12-04") == "4 décembre 2026"  # a form's date field
    assert date_fr("début décembre") == "début décembre"


def test_times_use_the_french_hour_notation() -> None:
    moment = datetime(2026, 8, 15, 9, 5, 7)
    assert datetime_fr(moment) == "15 août 2026 à 9 h 05"
    assert datetime_fr(moment, seconds=True) == "15 août 2026 à 9 h 05 min 07 s"
