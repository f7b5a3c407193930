"""The courrier assembled from the model's body: frame, checks, notes, rendered draft."""

from civia.assistants.catalogue import get
from civia.assistants.inputs import validate_inputs
from civia.assistants.letters import finish
from civia.assistants.runner import render_markdown

CONTEXT = {
    "collectivite": "Commune de Démoville",
    "signataire": "Le Maire",
    "formules": {"usager": "Veuillez agréer, {appel}, mes salutations distinguées."},
}


def test_the_terrace_letter_of_the_issue_is_framed_and_repaired() -> None:
    spec = get("courrier")
    assert spec is not None
    values = validate_inputs(
        spec,
        {
            "destinataire": "Mme Jeanne Martin, café du Centre",
            "objet": "Autorisation de terrasse",
            "faits": "Terrasse de 20 m² accordée place du Marché du 1er avril au 30 septembre.",
        },
    )
    model = {
        "paragraphes": [
            "Monsieur, je suis M. Jeanne Martin, gérante du café du Centre.",
            "Nous vous accordons une terrasse de 20 m² place du Marché du 1er avril au 30 "
            "septembre. Je vous prie d'agréer, Monsieur, mes salutations.",
            "La redevance de 300 euros est payable en mai.",
        ]
    }
    data, notes = finish(model, values, CONTEXT)
    assert data["appel"] == "Madame,"
    assert data["formule_politesse"] == "Veuillez agréer, Madame, mes salutations distinguées."
    assert data["paragraphes"] == [
        "Nous vous accordons une terrasse de 20 m² place du Marché du 1er avril au 30 septembre.",
        "La redevance de 300 [à vérifier] euros est payable en mai [à vérifier].",
    ]
    assert "Absent de votre demande, marqué [à vérifier] dans le courrier : « 300 », « mai »." in (
        notes
    )
    markdown = render_markdown(spec, data, values, CONTEXT)
    assert markdown.count("agréer") == 1 and "Monsieur" not in markdown
    assert markdown.index("Madame,") < markdown.index("Nous vous accordons")


def test_a_letter_to_an_elu_gets_the_elu_formula() -> None:
    spec = get("courrier")
    assert spec is not None
    values = validate_inputs(
        spec,
        {
            "destinataire": "Monsieur le Président du SIVOM",
            "public": "élu",
            "objet": "Transport scolaire",
            "faits": "Participation de 12 000 euros confirmée.",
        },
    )
    data, notes = finish(
        {"paragraphes": ["La commune confirme sa participation de 12 000 euros."]}, values, {}
    )
    assert data["formule_politesse"] == (
        "Nous vous prions d'agréer, Monsieur le Président, l'expression de notre haute considération."
    )
    assert notes == []
