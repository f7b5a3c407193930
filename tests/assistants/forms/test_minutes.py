"""The compte rendu: a deadline from the action's own text or « à définir », agenda items that
are only an hour dropped, numbers the notes do not give marked."""

from civia.assistants.forms import minutes

COPIL = {  # dev input 1 of the bench (« Comité de pilotage – rénovation de l'école… »)
    "titre": "Comité de pilotage – rénovation de l'école Jules Ferry",
    "date": "2025-03-12",
    "notes": "Décision : le programme est validé.\nActions : M. Garcia prépare le dossier DETR "
    "pour le 15 avril. M. Blanc envoie l'avant-projet détaillé.",
}
FINANCES = {  # dev input 4 (« Commission des finances »)
    "titre": "Commission des finances",
    "date": "2025-02-04",
    "notes": "Investissements 2025 : voirie 350 k€, école 400 k€. Mme Girard transmettra la "
    "maquette budgétaire aux élus avant le 20 février.",
}


def _answer(**fields: object) -> dict:
    base = {"participants": [], "ordre_du_jour": [], "synthese": "", "decisions": []}
    return {**base, "actions": [], "questions_ouvertes": [], **fields}


def test_an_empty_deadline_takes_the_action_s_date_or_a_define_later() -> None:
    actions = [
        {"qui": "M. Garcia", "quoi": "prépare le dossier DETR pour le 15 avril.", "echeance": ""},
        {"qui": "M. Blanc", "quoi": "envoie l'avant-projet détaillé.", "echeance": " "},
        {"qui": "", "quoi": "relancer l'architecte pour le 3 mai", "echeance": ""},
    ]
    data, notes = minutes.finish(_answer(actions=actions), COPIL, {})
    assert [a["echeance"] for a in data["actions"]] == ["15 avril", "à définir", "à définir"]
    assert data["actions"][2]["qui"] == "à définir"
    assert data["actions"][2]["quoi"] == "relancer l'architecte pour le 3 mai [à vérifier]"
    assert notes[:2] == [
        "Échéance reprise du texte de l'action pour 1 action(s).",
        "Responsable ou échéance absents des notes : « à définir » (3).",
    ]


def test_the_meeting_s_own_date_is_not_marked_but_a_sum_nobody_gave_is() -> None:
    synthese = (
        "Réunion du 4 février 2025. Les investissements 2025 ont été prévus pour voirie et "
        "école, avec un budget total de 750 k€."
    )
    data, notes = minutes.finish(_answer(synthese=synthese), FINANCES, {})
    assert data["synthese"] == synthese.replace("750 k€", "750 [à vérifier] k€")
    assert notes == ["Absent des notes, marqué [à vérifier] : « 750 »."]


def test_agenda_items_that_are_only_an_hour_are_dropped() -> None:
    """Dev input 3 (« Réunion publique – quartier des Acacias »): the agenda was the meeting's
    start and end hours."""
    values = {"titre": "Réunion publique", "date": "", "notes": "Séance à 19 h, fin à 20 h 45."}
    agenda = ["19:00", "20:45", "Place", "18 h 30 – 20 h", "5G", "A7", "18-20h", "19", "3"]
    data, notes = minutes.finish(_answer(ordre_du_jour=agenda), values, {})
    # « 5G » is a topic, not an hour; a bare number is not an hour either (kept, and marked
    # when the notes do not give it)
    assert data["ordre_du_jour"] == ["Place", "5G", "A7", "19", "3 [à vérifier]"]
    assert notes == [
        "Points de l'ordre du jour sans texte (une heure seule) retirés.",
        "Absent des notes, marqué [à vérifier] : « 3 ».",
    ]


def test_an_owner_that_is_a_point_of_the_minutes_is_to_define() -> None:
    """Held-out input 12 (« Point budget CCAS »): the model gave « Aides facultatives » and the
    agenda's « Décision : validé par la vice-présidente » as owners of actions. A participant
    stays an owner."""
    agenda = ["Aides facultatives", "Décision : validé par la vice-présidente"]
    actions = [
        {"qui": "Aides facultatives", "quoi": "Engager les aides.", "echeance": "à définir"},
        {"qui": "décision : validé par la vice-présidente", "quoi": "Valider.", "echeance": "mai"},
        {"qui": "Mme Girard", "quoi": "Transmettre la maquette.", "echeance": "20 février"},
    ]
    answer = _answer(participants=["Mme Girard"], ordre_du_jour=agenda, actions=actions)
    data, notes = minutes.finish(answer, FINANCES, {})
    assert [a["qui"] for a in data["actions"]] == ["à définir", "à définir", "Mme Girard"]
    assert "Responsable ou échéance absents des notes : « à définir » (2)." in notes


def test_the_participants_are_the_notes_own_list_when_they_give_one() -> None:
    """Dev input 19 of the bench: « deux bénévoles » became « Bénévolat 1 », « Bénévolat 2 »."""
    values = {
        "titre": "Réunion CCAS",
        "date": "",
        "notes": "Présents : Mme Rolland, deux bénévoles. Colis de Noël pour 85 aînés.",
    }
    answer = _answer(participants=["Mme Rolland", "Bénévolat 1", "Bénévolat 2"])
    data, notes = minutes.finish(answer, values, {})
    assert data["participants"] == ["Mme Rolland", "deux bénévoles"]
    assert notes == ["Participants repris tels que les notes les listent (« Présents : … »)."]
    same = _answer(participants=["Mme Rolland", "deux bénévoles"])
    assert minutes.finish(same, values, {})[1] == []  # the model's list was the notes': no note
    assert minutes.present(
        "Étaient présents : M. Durand et Mme Li ; M. et Mme Roy, M. Guerin (Batimo, gros œuvre)."
    ) == ["M. Durand", "Mme Li", "M. et Mme Roy", "M. Guerin (Batimo, gros œuvre)"]
    no_list = {**values, "notes": "Présentation du budget : adopté."}
    assert minutes.finish(answer, no_list, {})[0]["participants"] == answer["participants"]
