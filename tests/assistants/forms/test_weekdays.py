"""A translation's days of the week, checked against the source's."""

from civia.assistants.catalogue import get
from civia.assistants.forms import weekdays
from civia.assistants.postchecks import apply_text


def test_a_day_the_source_does_not_give_is_marked() -> None:
    """Bench dev inputs 24 and 23 of the translation, as the bundled model wrote them."""
    workshop = {"texte": "Children's workshop at the library, Wednesday between 2 and 4 pm."}
    text, notes = weekdays.finish("Atelier à la bibliothèque, mardi entre 2 et 4 h.", workshop, {})
    assert text == "Atelier à la bibliothèque, mardi [à vérifier] entre 2 et 4 h."
    assert notes == [
        "Jour de la semaine que le texte d'origine ne donne pas, marqué [à vérifier] : « mardi » "
        "(le texte d'origine donne : mercredi)."
    ]
    closed = {"texte": "Open from 10 AM to 6 PM, closed on Sundays and bank holidays."}
    text, _ = weekdays.finish("Fermé le samedi et les jours fériés.", closed, {})
    assert text == "Fermé le samedi [à vérifier] et les jours fériés."


def test_ranges_weekends_other_languages_and_right_days_are_left_alone() -> None:
    week = {"texte": "The town hall is open Monday to Friday."}
    for right in (
        "Ouverte du lundi au vendredi.",
        "Ouverte lundi, mardi, mercredi, jeudi, vendredi.",
    ):
        assert weekdays.finish(right, week, {}) == (right, [])
    assert weekdays.finish("Ouvert le samedi.", week, {})[0] == "Ouvert le samedi [à vérifier]."
    weekend = {"texte": "Das Museum ist am Wochenende geöffnet.", "langue": "allemand"}
    assert weekdays.finish("Le musée est ouvert le samedi et le dimanche.", weekend, {})[1] == []
    spanish = {"texte": "Mercado los sábados por la mañana.", "langue": "espagnol"}
    assert weekdays.finish("Marché le samedi matin.", spanish, {})[1] == []
    other = {"texte": "Feira às terças-feiras.", "langue": "autre"}
    assert weekdays.finish("Marché le mardi.", other, {}) == ("Marché le mardi.", [])


def test_the_translation_check_converts_the_hours_and_checks_the_days() -> None:
    workshop = {"texte": "Children's workshop, Wednesday between 2 and 4 pm.", "langue": "anglais"}
    text, notes = apply_text(get("traduction"), "Atelier mardi entre 2 et 4 heures.", workshop, {})
    assert text == "Atelier mardi [à vérifier] entre 14 h et 16 h."
    assert len(notes) == 2
