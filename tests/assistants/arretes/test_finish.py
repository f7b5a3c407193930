"""The arrêté completed after the model: visas set, dates and durations not asked marked."""

from civia.assistants.arretes import finish
from civia.assistants.catalogue import get
from civia.assistants.inputs import validate_inputs
from civia.assistants.runner import render_markdown

CONTEXT = {"autorite": "Le Maire de Démoville", "city": "Démoville", "signataire": "Le Maire"}


def test_model_visas_are_replaced_and_invented_dates_marked() -> None:
    spec = get("arrete")
    assert spec is not None and "visas" not in spec.output.json_schema["properties"]  # type: ignore[index]
    values = validate_inputs(
        spec,
        {
            "objet": "Fermeture du parc des Tilleuls",
            "motifs": "Alerte météo vents violents",
            "mesures": "Parc fermé au public du 12 au 13 février",
        },
    )
    model = {
        "titre": "Arrêté portant fermeture du parc des Tilleuls",
        "visas": ["Vu l'alerte du 12 février 2023"],  # what the model used to write
        "considerants": ["Considérant que des vents violents sont annoncés"],
        "dispositions": [
            "Le parc est fermé au public du 12 au 13 février 2023, pendant 48 heures."
        ],
    }
    data, notes = finish(model, values, CONTEXT)
    assert data["visas"] and all(v.startswith("Vu le code") for v in data["visas"])
    assert "Vu l'alerte" not in str(data)
    assert data["dispositions"] == [
        "Le parc est fermé au public du 12 au 13 février 2023 [à vérifier], pendant 48 "
        "[à vérifier] heures."
    ]
    assert (
        notes[0] == "Visas repris de la bibliothèque de références : vérifiez qu'ils conviennent."
    )
    assert "« 2023 », « 48 »" in notes[-1]
    markdown = render_markdown(spec, data, values, CONTEXT)
    assert (
        "Vu le code général des collectivités territoriales" in markdown and "## ARRÊTE" in markdown
    )


def test_no_text_and_no_reference_found_leaves_a_visa_to_complete() -> None:
    spec = get("arrete")
    assert spec is not None
    values = validate_inputs(
        spec,
        {"objet": "Haies mitoyennes", "motifs": "Plaintes", "mesures": "Taille obligatoire"},
    )
    data, notes = finish({"titre": "Arrêté", "considerants": [], "dispositions": []}, values, {})
    assert data["visas"] == ["Vu [visa à compléter]"]
    assert notes == ["Aucun texte à viser : complétez le visa marqué [visa à compléter]."]


def test_a_considerant_loses_its_own_final_punctuation() -> None:
    """The template ends each considérant with « ; »; the small model often ends it with a full
    stop (dev input 2 of the bench: « … domaine public. ; »)."""
    spec = get("arrete")
    assert spec is not None
    values = validate_inputs(
        spec,
        {
            "objet": "Autorisation d'occupation du domaine public pour une terrasse",
            "textes": "Code général de la propriété des personnes publiques, article L2122-1",
            "motifs": "Demande du restaurant Le Petit Zinc reçue le 2 février 2025.",
            "mesures": "Terrasse de 12 m² devant le 5 place du Marché.",
        },
    )
    model = {
        "titre": "Arrêté portant autorisation d'occupation du domaine public",
        "considerants": [
            "Considérant la demande du restaurant Le Petit Zinc reçue le 2 février 2025.",
            "Considérant que la terrasse laisse le passage libre ;",
            "Considérant que la terrasse mesure 14 m².",
        ],
        "dispositions": ["Une terrasse de 12 m² est autorisée devant le 5 place du Marché."],
    }
    data, _ = finish(model, values, CONTEXT)
    assert data["considerants"] == [
        "Considérant la demande du restaurant Le Petit Zinc reçue le 2 février 2025",
        "Considérant que la terrasse laisse le passage libre",
        "Considérant que la terrasse mesure 14 [à vérifier] m²",
    ]
    assert data["dispositions"] == model["dispositions"]  # an article keeps its full stop
    markdown = render_markdown(spec, data, values, CONTEXT)
    assert "2025 ;" in markdown and ". ;" not in markdown and "; ;" not in markdown


def test_an_individual_decision_is_notified_to_its_beneficiary() -> None:
    """Dev input 5 of the bench: a benne for M. Paul Garnier, whom the model never named."""
    spec = get("arrete")
    assert spec is not None
    request = {
        "objet": "Permis de stationnement d'une benne",
        "textes": "Code général des collectivités territoriales ; code de la voirie routière",
        "motifs": "Travaux de rénovation d'une maison particulière.",
        "mesures": "Benne de 10 m³ autorisée devant le 18 rue des Lilas du 3 au 5 avril.",
        "individuel": "oui",
        "beneficiaire": "M. Paul Garnier",
    }
    model = {
        "titre": "Arrêté portant permis de stationnement d'une benne",
        "considerants": ["Considérant que la benne est nécessaire aux travaux"],
        "dispositions": ["Benne de 10 m³ autorisée devant le 18 rue des Lilas du 3 au 5 avril"],
    }
    data, _ = finish(model, validate_inputs(spec, request), CONTEXT)
    assert data["dispositions"][-1] == (
        "Le présent arrêté sera notifié au bénéficiaire : M. Paul Garnier."
    )
    markdown = render_markdown(spec, data, validate_inputs(spec, request), CONTEXT)
    assert "**Article 2** – Le présent arrêté sera notifié au bénéficiaire" in markdown
    assert "**Article 3** – Le Directeur général des services" in markdown
    # once only, and never for a regulation (no beneficiary)
    notified = {**model, "dispositions": [*model["dispositions"], "Notifié à M. Garnier."]}
    assert (
        finish(notified, validate_inputs(spec, request), CONTEXT)[0]["dispositions"]
        == (notified["dispositions"])
    )
    general = validate_inputs(spec, {**request, "individuel": "non", "beneficiaire": ""})
    assert finish(model, general, CONTEXT)[0]["dispositions"] == model["dispositions"]


def test_a_considerant_or_an_article_said_twice_is_kept_once() -> None:
    """The small model loops (issue 17: « nothing is repeated »): a considérant or an article
    given twice, even retyped, appears once and the agent is told."""
    spec = get("arrete")
    assert spec is not None
    values = validate_inputs(
        spec,
        {
            "objet": "Fermeture temporaire du parc des Tilleuls",
            "motifs": "Chute de branches après la tempête.",
            "mesures": "Parc fermé au public jusqu'à la fin des travaux.",
        },
    )
    model = {
        "titre": "Fermeture temporaire du parc des Tilleuls",
        "considerants": [
            "Considérant que des branches sont tombées dans le parc après la tempête.",
            "Considérant la sécurité des promeneurs et des enfants",
            "considérant que des branches sont tombées dans le parc après la tempête",
        ],
        "dispositions": [
            "Le parc des Tilleuls est fermé au public jusqu'à la fin des travaux.",
            "Le parc des Tilleuls est fermé au public jusqu'à la fin des travaux.",
            # the same article with a detail added is another article: it stays
            "Le parc des Tilleuls est fermé au public jusqu'à la fin des travaux, côté est.",
        ],
    }
    data, notes = finish(model, values, {})
    assert len(data["considerants"]) == 2 and len(data["dispositions"]) == 2
    assert "2 considérant(s) ou article(s) répété(s) : retiré(s)." in notes
