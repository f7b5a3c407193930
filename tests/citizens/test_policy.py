"""Refusal categories and the masking of personal data, decided on the question alone."""

from __future__ import annotations

import pytest

from civia.citizens import policy

REFUSED = [
    ("Où en est mon dossier de permis de construire ?", "decision_individuelle"),
    ("Ma demande de logement social a-t-elle été acceptée ?", "decision_individuelle"),
    ("Ai-je droit à la cantine gratuite pour mes enfants ?", "decision_individuelle"),
    ("Est-ce que je suis éligible à l'aide du CCAS ?", "decision_individuelle"),
    ("Allez-vous accepter ma demande de dérogation scolaire ?", "decision_individuelle"),
    ("Pourquoi ma demande de place en crèche a été refusée ?", "decision_individuelle"),
    (
        "Mon voisin a construit un mur chez moi, puis-je l'obliger à le détruire ?",
        "conseil_juridique",
    ),
    ("Comment attaquer la mairie au tribunal administratif ?", "conseil_juridique"),
    ("Je veux porter plainte contre mon propriétaire", "conseil_juridique"),
    ("Est-ce légal de filmer la rue depuis mon balcon ?", "conseil_juridique"),
    ("Quel avocat me conseillez-vous pour mon divorce ?", "conseil_juridique"),
    ("Bande de connards, vous ne faites rien", "contenu_haineux"),
    ("Il faut expulser les étrangers de la commune", "contenu_haineux"),
    ("Mort aux élus !", "contenu_haineux"),
]
ANSWERABLE = [
    "Comment obtenir un acte de naissance ?",
    "Quels sont les horaires de la mairie ?",
    "Quand passe le camion des encombrants ?",
    "Comment réserver la salle des fêtes ?",
    "Combien coûte la piscine pour un enfant ?",
    "Faut-il une autorisation pour poser une clôture ?",
    "Où déposer une demande de passeport ?",
    "Comment inscrire mon enfant à l'école ?",
    "Mon bac jaune est cassé, que faire ?",
    "Quelles sont les démarches pour un recours gracieux ?",
]


@pytest.mark.parametrize(("question", "code"), REFUSED)
def test_each_category_is_refused_by_rule(question: str, code: str) -> None:
    found = policy.refusal(question)
    assert found is not None and found.code == code
    assert "agent" in found.explanation or "avocat" in found.explanation


@pytest.mark.parametrize("question", ANSWERABLE[:-1])
def test_ordinary_questions_are_not_refused(question: str) -> None:
    assert policy.refusal(question) is None


def test_procedure_questions_are_not_legal_advice_but_disputes_are() -> None:
    # How a procedure works can be in the published guides; a dispute of one's own cannot.
    assert policy.refusal("Quelles sont les démarches pour un recours gracieux ?") is None
    assert policy.refusal("Je veux faire un recours contre la mairie").code == "conseil_juridique"  # type: ignore[union-attr]


def test_personal_data_is_masked_dates_are_kept() -> None:
    masked = policy.mask(
        "Bonjour, je suis Jeanne Martin, 12 rue des Lilas à Démoville, joignable au "
        "06 12 34 56 78 ou jeanne.martin@exemple.fr : la piscine est-elle ouverte le 24 décembre ?"
    )
    for value in (
        "Jeanne",
        "Martin",
        "06 12 34 56 78",
        "jeanne.martin@exemple.fr",
        "rue des Lilas",
    ):
        assert value not in masked.text
    assert "[TELEPHONE]" in masked.text and "[EMAIL]" in masked.text
    assert "24 décembre" in masked.text and "piscine" in masked.text
    assert masked.counts["PHONE"] == 1 and masked.counts["EMAIL"] == 1


def test_a_question_without_personal_data_is_unchanged() -> None:
    question = "Quels sont les horaires de la déchetterie ?"
    masked = policy.mask(question)
    assert masked.text == question and masked.counts == {}
