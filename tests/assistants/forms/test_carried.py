"""A translation's numbers and dates, checked against the source read as French writes them."""

from civia.assistants.forms import carried

ROAD = {
    "texte": "Road closure on Rue Pasteur from 9:00 p.m. to 5:00 a.m. on the night of 3 to 4 June."
}


def test_dates_and_times_the_source_does_not_give_are_marked() -> None:
    """Bench dev input 25, as the bundled model translated it."""
    text, notes = carried.finish(
        "Fermeture de la rue Pasteur du 23 au 24 juin à 21h00 et du 5h00 à 7h00.", ROAD, {}
    )
    assert text == (
        "Fermeture de la rue Pasteur du 23 [à vérifier] au 24 juin [à vérifier] à 21h00 et du "
        "5h00 à 7h00 [à vérifier]."
    )
    assert notes == [
        "Absent du texte d'origine, marqué [à vérifier] : « 23 », « 24 juin », « 7h00 »."
    ]


def test_a_faithful_translation_is_left_alone() -> None:
    right = "Fermeture de la rue Pasteur de 21 h à 5 h, dans la nuit du 3 au 4 juin."
    assert carried.finish(right, ROAD, {}) == (right, [])
    cases = [
        ({"texte": "Deadline: June 4th. Budget: 1,200 euros for three days."},
         "Date limite : 4 juin. Budget : 1 200 euros pour 3 jours."),
        ({"texte": "Open 9am-noon and 5-10pm, closed at midnight."},
         "Ouvert de 9 h à 12 h et de 17 h à 22 h, fermé à 0 h."),
        ({"texte": "Anmeldung bis zum 15. März, Eintritt 2,50 Euro.", "langue": "allemand"},
         "Inscription jusqu'au 15 mars, entrée 2,50 euros."),
        ({"texte": "Mercado los sábados, dos horas, desde el 1 de julio.", "langue": "espagnol"},
         "Marché le samedi, deux heures, à partir du 1er juillet."),
    ]  # fmt: skip
    for values, right in cases:
        assert carried.finish(right, values, {}) == (right, []), right


def test_a_month_alone_becomes_no_date_and_other_languages_are_not_checked() -> None:
    """Dev input 4 (« im August » → « le 25 août »): the month is given, not the day."""
    tour = {"texte": "Wir planen im August eine Radtour mit 25 Teilnehmern.", "langue": "allemand"}
    text, _ = carried.finish("Nous prévoyons le 25 août un tour avec 25 participants.", tour, {})
    assert text == "Nous prévoyons le 25 août [à vérifier] un tour avec 25 participants."
    dutch = {"texte": "Wij willen in augustus twee weken kamperen.", "langue": "autre"}
    answer = "Nous voulons camper deux semaines le 28 août."
    assert carried.finish(answer, dutch, {}) == (answer, [])
