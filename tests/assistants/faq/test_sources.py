"""FAQ sources are selected in the text, never retyped by the model."""

from civia.assistants.catalogue import get
from civia.assistants.faq import TO_CHECK, finish
from civia.assistants.runner import render_markdown

TEXT = (
    "La cantine est ouverte les jours d'école, de 11 h 45 à 13 h 30.\n"
    "Le repas coûte 3,50 euros ; un tarif réduit existe selon le quotient familial. "
    "L'inscription se fait en mairie avant le 15 août."
)


def test_a_retyped_source_becomes_the_sentence_of_the_text() -> None:
    model = {
        "questions": [
            {
                "question": "Combien coûte le repas ?",
                "reponse": "Le repas coûte 3,50 euros.",
                "source": "Section tarifs : le prix du repas est 3,50 €",  # retyped, not quoted
            },
            {
                "question": "Quand s'inscrire ?",
                "reponse": "Avant le 15 août, en mairie.",
                "source": "inscription",
            },
        ]
    }
    data, notes = finish(model, {"sujet": "Cantine", "texte": TEXT}, {})
    sources = [q["source"] for q in data["questions"]]
    assert sources == [
        "« Le repas coûte 3,50 euros ; un tarif réduit existe selon le quotient familial. »",
        "« L'inscription se fait en mairie avant le 15 août. »",
    ]
    assert notes == []


def test_an_answer_the_text_does_not_support_is_marked() -> None:
    model = {
        "questions": [
            {"question": "La cantine est-elle bio ?", "reponse": "Oui, 100 % bio.", "source": "?"}
        ]
    }
    data, notes = finish(model, {"sujet": "Cantine", "texte": TEXT}, {})
    assert data["questions"][0]["source"] == TO_CHECK
    assert notes and TO_CHECK in notes[0]


def test_numbered_extracts_of_a_collection_are_kept_for_their_links() -> None:
    spec = get("faq")
    assert spec is not None and spec.output.checks == "faq"
    model = {
        "questions": [{"question": "Horaires ?", "reponse": "De 9 h à 12 h.", "source": "[2]"}]
    }
    data, _ = finish(model, {"sujet": "Accueil", "texte": "", "collection": "1"}, {})
    assert data["questions"][0]["source"] == "[2]"
    sources = [{"number": 2, "title": "Guide", "where": "p. 3", "url": "/documents/1#p3"}]
    markdown = render_markdown(spec, data, {"sujet": "Accueil"}, {}, sources=sources)
    assert "[Guide, p. 3](/documents/1#p3)" in markdown
