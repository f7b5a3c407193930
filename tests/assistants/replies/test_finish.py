"""The reply to a citizen: a complaint, an appeal or a delicate situation goes to a human
(words kept as data); a number, time or amount nobody gave is marked for the agent."""

from civia.assistants import replies
from civia.assistants.catalogue import get
from civia.assistants.runner import render_markdown

CONTEST = (
    "Madame, Monsieur, je conteste l'amende de stationnement reçue le 4 avril devant la "
    "boulangerie : le panneau était masqué par un échafaudage. Cordialement, M. Roux"
)


def _model(human: bool, reponse: str = "Bonjour, nous étudions votre demande.") -> dict:
    return {
        "reponse": reponse,
        "points_a_verifier": [],
        "raison": "La demande est-elle simple information, ou engage-t-elle la collectivité ?",
        "reponse_humaine_necessaire": human,
    }


def test_a_complaint_the_model_let_through_goes_to_a_human() -> None:
    """Dev input 3 of the bench: the model said no human answer was needed and copied the
    schema's question as its reason."""
    data, notes = replies.finish(_model(False), {"courriel": CONTEST}, {})
    assert data["reponse_humaine_necessaire"] is True
    assert (
        data["raison"] == "Le courriel relève d'une réponse humaine : réclamation (« conteste »)."
    )
    assert notes == ["Réponse humaine nécessaire d'après le courriel : réclamation (« conteste »)."]
    spec = get("reponse-usager")
    assert spec is not None and spec.output.checks == "reply"
    markdown = render_markdown(spec, data, {"courriel": CONTEST}, {})
    assert markdown.startswith("> **À traiter par un agent :** Le courriel relève")


def test_a_simple_question_keeps_the_model_s_choice_either_way() -> None:
    question = {"courriel": "Bonjour, la piscine est-elle ouverte pendant les vacances ?"}
    data, notes = replies.finish(_model(False), question, {})
    assert data["reponse_humaine_necessaire"] is False and notes == []
    data, notes = replies.finish(_model(True), question, {})
    assert data["reponse_humaine_necessaire"] is True  # never lowered
    # the schema's question copied as the reason is not shown above the draft as one
    assert data["raison"] == replies.NO_REASON
    assert notes == ["Le modèle n'a pas dit pourquoi une réponse humaine est nécessaire."]
    given = {**_model(True), "raison": "L'usager conteste une décision."}
    assert replies.finish(given, question, {})[0]["raison"] == "L'usager conteste une décision."


def test_hours_nobody_gave_are_marked() -> None:
    """Dev input 8 of the bench: « les horaires de la déchèterie le dimanche sont 10h à 14h »,
    from no element of the agent."""
    asked = {"courriel": "Bonjour, quels sont les horaires de la déchèterie le dimanche ?"}
    model = _model(False, "Bonjour, la déchèterie est ouverte le dimanche de 10h à 14h.")
    data, notes = replies.finish(model, asked, {})
    assert data["reponse"] == (
        "Bonjour, la déchèterie est ouverte le dimanche de 10h [à vérifier] à 14h [à vérifier]."
    )
    assert notes == ["Absent du courriel et des éléments, marqué [à vérifier] : « 10h », « 14h »."]
    given = {**asked, "elements": "Ouverte le dimanche de 10 h à 14:00."}
    data, notes = replies.finish(model, given, {})
    assert "[à vérifier]" not in data["reponse"] and notes == []
    # a time is compared whole: not its hour alone, nor a day of the month
    other = {**asked, "elements": "Ouverte le lundi de 14h à 17h, fermée le 10 mai."}
    model = _model(False, "Ouverte de 10h à 14h30, puis de 14h à 17h.")
    data, _ = replies.finish(model, other, {})
    assert data["reponse"] == (
        "Ouverte de 10h [à vérifier] à 14h30 [à vérifier], puis de 14h à 17h."
    )


def test_routine_requests_do_not_call_for_a_human() -> None:
    """Words of routine requests that a word list would take for a complaint, an appeal or a
    delicate situation."""
    for email in (
        "Bonjour, je souhaite une copie de l'acte de décès de mon grand-père, né à Démoville.",
        "Bonjour, je demande l'annulation de ma réservation de la salle des fêtes du 12 mai.",
        "Quand aura lieu le remboursement de la cantine pour les jours de grève ?",
        "Comment obtenir une carte de stationnement pour personne en situation de handicap ?",
    ):
        data, notes = replies.finish(_model(False), {"courriel": email}, {})
        assert data["reponse_humaine_necessaire"] is False and notes == [], email


def test_illness_fear_and_an_injury_to_compensate_go_to_a_human() -> None:
    """Second dev batch, inputs 22, 25 and 32: the model answered alone a mother whose son has
    a cancer, a man his neighbour insults every night, and a fall on a broken pavement."""
    for email, reason in (
        ("Mon fils de 9 ans a un cancer, il est hospitalisé pour plusieurs mois.",
         "situation personnelle (« cancer », « hospitalisé »)"),
        ("Mon voisin m'insulte sous mes fenêtres, j'ai peur de sortir.",
         "situation personnelle (« insulte », « j'ai peur »)"),
        ("Je me suis cassé le poignet sur le trottoir : que la mairie prenne en charge mes frais.",
         "réclamation (« prenne en charge mes frais »)"),
    ):  # fmt: skip
        data, _ = replies.finish(_model(False), {"courriel": email}, {})
        assert data["reponse_humaine_necessaire"] is True, email
        assert data["raison"] == f"Le courriel relève d'une réponse humaine : {reason}."
    idiom = "Bonjour, je suis tombé sur votre annonce du marché de Noël : où s'inscrire ?"
    assert (
        replies.finish(_model(False), {"courriel": idiom}, {})[0]["reponse_humaine_necessaire"]
        is False
    )


def test_an_assistant_built_without_a_reponse_field_is_left_as_it_is() -> None:
    """The check is offered in the builder: an answer with other fields gains none."""
    data = {"texte": "Le marché a lieu le samedi de 8h à 13h.", "ton": "cordial"}
    assert replies.finish(data, {"demande": "Quand a lieu le marché ?"}, {}) == (data, [])
