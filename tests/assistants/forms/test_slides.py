"""The slides: bullets and notes copied from an earlier slide, a title or the bullets are
removed within the spec's bounds (3 bullets), and left « [à compléter] » below them; figures
the content does not give are marked."""

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


def test_copies_are_removed_within_the_spec_s_bounds_and_left_to_complete_below() -> None:
    data, notes = slides.finish(BUDGET, CONTENT, {})
    first, second, third = data["diapositives"]
    assert first == BUDGET["diapositives"][0]
    # one copy removed while 3 bullets are left; the next one would leave 2: left to complete
    assert second["points"] == [
        "Capacité de désendettement de 5 ans",
        "Taux stable",
        "[à compléter]",
    ]
    assert second["notes"] == "Une capacité de 5 ans."
    # a slide the content did not fill shows it, instead of looking complete with copies
    assert third["points"] == ["[à compléter]", "[à compléter]", "Épargne"]
    assert third["notes"] == "[à compléter]"  # only a copy of earlier notes
    assert notes == [
        "1 puce(s) copiée(s) d'une diapositive ou d'un titre : retirée(s).",
        "3 puce(s) copiée(s) d'une diapositive ou d'un titre, remplacée(s) par [à compléter] : "
        "le contenu donné ne suffit pas à remplir ces diapositives.",
        "2 phrase(s) des notes de l'orateur copiée(s) d'une diapositive précédente ou des "
        "puces : retirée(s), 1 note(s) laissée(s) [à compléter].",
    ]


def test_a_bullet_repeating_a_title_and_notes_reading_the_bullets_out_are_copies() -> None:
    """Dev inputs 1 and 13 of the bench: « Pas de hausse des taux d'imposition » as a slide's
    title and its first bullet, a conclusion listing the earlier titles, notes made of the
    bullets. Two slides' notes alike but for a word are two notes, kept."""
    deck = {
        "diapositives": [
            {
                "titre": "Fiscalité",
                "points": ["Fiscalité", "Pas de hausse", "Taux stables", "Bases revalorisées"],
                "notes": "Pas de hausse. Les taux restent les mêmes.",
            },
            {
                "titre": "Conclusion",
                "points": ["Fiscalité", "Taux stables", "Budget voté au conseil"],
                "notes": "Le budget est voté au conseil.",
            },
        ]
    }
    data, notes = slides.finish(deck, CONTENT, {})
    first, second = data["diapositives"]
    assert first["points"] == ["Pas de hausse", "Taux stables", "Bases revalorisées"]
    assert first["notes"] == "Les taux restent les mêmes."
    assert second["points"] == ["[à compléter]", "[à compléter]", "Budget voté au conseil"]
    assert second["notes"] == "Le budget est voté au conseil."
    assert notes[-1] == (
        "1 phrase(s) des notes de l'orateur copiée(s) d'une diapositive précédente ou des "
        "puces : retirée(s)."
    )


def test_a_deck_without_copies_is_unchanged() -> None:
    deck = {"diapositives": [BUDGET["diapositives"][0]]}
    assert slides.finish(deck, CONTENT, {}) == (deck, [])


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
