"""FAQ sources are selected in the text, never retyped by the model."""

from civia.assistants.catalogue import get
from civia.assistants.faq import TO_CHECK, finish, numbers
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


def test_an_answer_the_text_does_not_support_is_marked_when_no_answer_has_support() -> None:
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


def test_a_number_given_as_source_without_a_collection_becomes_the_sentence() -> None:
    """Dev input 1 of the bench (a règlement in articles, no collection): the model cited
    « [1] » … « [5] », extracts that do not exist, so the FAQ had no source to show."""
    text = (
        "Article 2 – L'inscription se fait sur le portail famille avant le 15 juillet pour "
        "l'année suivante.\nArticle 3 – Le prix du repas est de 3,50 euros."
    )
    model = {
        "questions": [
            {
                "question": "Combien coûte un repas ?",
                "reponse": "Le prix du repas est de 3,50 euros.",
                "source": "[3]",
            },
            {
                "question": "La cantine est-elle bio ?",
                "reponse": "Oui, 100 % bio.",
                "source": "[1]",
            },
        ]
    }
    data, notes = finish(model, {"sujet": "Restauration scolaire", "texte": text}, {})
    assert [q["source"] for q in data["questions"]] == [
        "« Article 3 – Le prix du repas est de 3,50 euros. »"
    ]
    # « 100 % bio »: no sentence supports it, the model made it up
    assert notes == [
        "1 question(s) retirée(s), aucune phrase du texte ne justifiant leur réponse : « La "
        "cantine est-elle bio ? ». Si le texte y répond, ajoutez-les."
    ]


def test_an_answer_drawn_from_two_sentences_in_a_row_quotes_both() -> None:
    model = {
        "questions": [
            {
                "question": "Quand et combien ?",
                "reponse": "Cantine ouverte jusqu'à 13 h 30, repas à 3,50 euros.",
                "source": "",
            }
        ]
    }
    data, notes = finish(model, {"sujet": "Cantine", "texte": TEXT}, {})
    assert data["questions"][0]["source"] == (
        "« La cantine est ouverte les jours d'école, de 11 h 45 à 13 h 30. Le repas coûte "
        "3,50 euros ; un tarif réduit existe selon le quotient familial. »"
    )
    assert notes == []


def test_a_question_asked_twice_is_kept_once_two_alike_answers_are_kept_and_said() -> None:
    """The small model loops (issue 17: « nothing is repeated »): the same question again goes
    and the agent is told; two different questions with the same answer both stay (a FAQ may
    answer two questions alike), the agent is asked to check them."""
    same = "La cantine est ouverte les jours d'école, de 11 h 45 à 13 h 30."
    model = {
        "questions": [
            {"question": "Quels sont les horaires de la cantine ?", "reponse": same, "source": ""},
            {"question": "Quels sont les horaires de la cantine le mercredi ?",
             "reponse": same, "source": ""},
            {"question": "quels sont les horaires de la cantine", "reponse": "Midi.", "source": ""},
            {"question": "Quels sont les tarifs de la cantine ?",
             "reponse": "Le repas coûte 3,50 euros.", "source": ""},
        ]
    }  # fmt: skip
    data, notes = finish(model, {"sujet": "Cantine", "texte": TEXT}, {})
    assert [q["question"] for q in data["questions"]] == [
        "Quels sont les horaires de la cantine ?",
        "Quels sont les horaires de la cantine le mercredi ?",
        "Quels sont les tarifs de la cantine ?",
    ]
    assert "1 question(s) posée(s) deux fois : retirée(s)." in notes
    assert "Deux questions ont la même réponse mot pour mot : vérifiez-les." in notes


def test_a_passage_giving_other_numbers_does_not_support_the_answer() -> None:
    """Its words match (« récupérer », « objet », « voie publique »), its number does not: « trois
    mois » is not « un an et un jour »; « 3,50 euros » in figures or « trois euros cinquante »
    in words alike."""
    text = (
        "Les objets trouvés sur la voie publique sont conservés un an et un jour à l'accueil. "
        "Pour récupérer un objet, il faut le décrire et présenter une pièce d'identité."
    )
    model = {
        "questions": [
            {"question": "Combien de temps ?",
             "reponse": "Un objet trouvé sur la voie publique se récupère pendant trois mois.",
             "source": ""},
            {"question": "Que faut-il ?",
             "reponse": "Pour récupérer un objet, le décrire et présenter une pièce d'identité.",
             "source": ""},
        ]
    }  # fmt: skip
    data, notes = finish(model, {"sujet": "Objets trouvés", "texte": text}, {})
    assert [q["question"] for q in data["questions"]] == ["Que faut-il ?"]
    assert notes[0].startswith("1 question(s) retirée(s)")
    assert numbers("3,50 euros") == numbers("trois euros cinquante") == {"3", "50"}
