"""The slides: bullets and notes copied from an earlier slide are removed, within the spec's
bounds (3 bullets, notes not emptied); figures the content does not give are marked."""

from civia.assistants.forms import slides

BUDGET = {  # dev input 1 of the bench (« Budget primitif 2025 »), shortened
    "diapositives": [
        {
            "titre": "Contexte",
            "points": ["Inflation", "Recettes : 9,2 M€", "Dépenses : 8,4 M€"],
            "notes": "La situation est difficile. Les recettes sont plus faibles que les "
            "dépenses, ce qui entraîne une dette croissante.",
        },
        {
            "titre": "Dette",
            "points": [
                "Capacité de désendettement de 5 ans",
                "Taux stable",
                "Recettes : 9,2 M€",
                "Dépenses : 8,4 M€",
            ],
            "notes": "Une capacité de 5 ans. Les recettes sont plus faibles que les dépenses, "
            "ce qui entraîne une dette croissante.",
        },
        {
            "titre": "Fonctionnement",
            "points": ["Recettes : 9,2 M€", "Dépenses : 8,4 M€", "Épargne"],
            "notes": "La situation est difficile.",
        },
    ]
}


CONTENT = {  # what the agent gave (dev input 1, shortened): the slides' figures come from it
    "titre": "Budget primitif 2025",
    "contenu": "Fonctionnement : recettes 9,2 M€, dépenses 8,4 M€. Capacité de désendettement "
    "5 ans.",
}


def test_copies_of_an_earlier_slide_are_removed_within_the_spec_s_bounds() -> None:
    data, notes = slides.finish(BUDGET, CONTENT, {})
    first, second, third = data["diapositives"]
    assert first == BUDGET["diapositives"][0]
    # one copy removed: the slide keeps the 3 bullets asked
    assert second["points"] == [
        "Capacité de désendettement de 5 ans",
        "Taux stable",
        "Dépenses : 8,4 M€",
    ]
    assert second["notes"] == "Une capacité de 5 ans."
    assert third["points"] == BUDGET["diapositives"][2]["points"]  # 3 bullets: none removed
    assert third["notes"] == "La situation est difficile."  # only a copy: kept
    assert notes == [
        "1 puce(s) déjà donnée(s) sur une diapositive précédente : retirée(s).",
        "1 phrase(s) des notes de l'orateur copiée(s) d'une diapositive précédente : retirée(s).",
    ]


def test_a_figure_the_content_does_not_give_is_marked_for_the_agent() -> None:
    """A small model filled a slide with populations and years of its own (« Commune A : 200
    habitants », « 2030 : construction »): marked, listed, never silently kept."""
    made_up = {
        "diapositives": [
            {
                "titre": "Calendrier",
                "points": ["Recettes : 9,2 M€", "2030 : construction", "Commune A : 200 habitants"],
                "notes": "Les travaux durent 5 ans.",
            }
        ]
    }
    data, notes = slides.finish(made_up, CONTENT, {})
    points = data["diapositives"][0]["points"]
    assert points[0] == "Recettes : 9,2 M€"  # given by the content: untouched
    assert "[à vérifier]" in points[1] and "[à vérifier]" in points[2]
    assert data["diapositives"][0]["notes"] == "Les travaux durent 5 ans."  # « 5 ans » is given
    assert notes == ["Absent du contenu donné, marqué [à vérifier] : « 2030 », « 200 »."]
