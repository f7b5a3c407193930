"""The slides: bullets and notes copied from an earlier slide are removed, within the spec's
bounds (3 bullets, notes not emptied)."""

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


def test_copies_of_an_earlier_slide_are_removed_within_the_spec_s_bounds() -> None:
    data, notes = slides.finish(BUDGET, {}, {})
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
