"""Each built-in assistant, run through the web flow on the real local model."""

import re

import pytest
from fastapi.testclient import TestClient

from civia.assistants.models import AssistantRun
from civia.jobs.worker import Worker
from tests.chat.helpers import events
from tests.conftest import Personas, login_as

pytestmark = pytest.mark.model

CASES = {
    "courrier": (
        {
            "destinataire": "Madame Claire Martin",
            "objet": "Inscription à la cantine",
            "faits": "Dossier reçu le 3 mars. Il manque le justificatif de domicile.",
            "ton": "cordial",
        },
        # the secretary's first checks: her salutation, one closing formula, no « Monsieur »
        lambda md: (
            "Inscription à la cantine" in md
            and "Madame Claire Martin" in md
            and "\nMadame,\n" in md
            and md.count("agréer") == 1
            and "Monsieur" not in md
        ),
    ),
    "reponse-usager": (
        {"courriel": "Bonjour, à quelle heure ouvre la mairie le samedi ? Merci. Paul"},
        lambda md: len(md) > 40,
    ),
    "arrete": (
        {
            "objet": "Fermeture de la rue des Lilas pour travaux",
            "textes": "Code général des collectivités territoriales, article L2213-1",
            "motifs": "Travaux de réfection de chaussée",
            "mesures": "Rue fermée du 2 au 6 juin",
            "individuel": "oui",
            "beneficiaire": "Entreprise Bâtir",
        },
        lambda md: "ARRÊTE" in md and "Article 1" in md and "recours" in md and "L311-3-1" in md,
    ),
    "compte-rendu": (
        {
            "titre": "Comité voirie",
            "notes": "Présents : M. Durand, Mme Petit. Décision : refaire le "
            "trottoir rue Haute. Action : M. Durand demande un devis avant le 15 mai.",
        },
        lambda md: (
            "## Décisions" in md and "## Actions" in md and "| Qui | Quoi | Échéance |" in md
        ),
    ),
    "traduction": (
        {
            "texte": "# Opening hours\n\nThe town hall is open from Monday to Friday.",
            "langue": "anglais",
        },
        lambda md: bool(re.search(r"mairie|lundi|ouvert", md, re.I)),
    ),
    "reformulation": (
        {
            "texte": "Nous vous informons que votre demande a été transmise au service compétent.",
            "registre": "courrier usager FALC",
            "longueur": "plus court",
        },
        lambda md: len(md.strip()) > 10,
    ),
    "correction": (
        {"texte": "Les enfant sont aller a la piscine."},
        lambda md: md.strip() != "Les enfant sont aller a la piscine.",
    ),
    "swot": (
        {
            "sujet": "Panneaux solaires sur le gymnase",
            "contexte": "Commune de 8 000 habitants, budget serré.",
        },
        lambda md: "| Forces | Faiblesses |" in md and "## Synthèse" in md,
    ),
    "diapositives": (
        {
            "titre": "Budget 2027",
            "contenu": "Recettes stables. Investissements : école, voirie.",
            "nombre": "2",
        },
        lambda md: md.count("# ") >= 1 and "- " in md,
    ),
    "faq": (
        {
            "sujet": "Cantine",
            "texte": "La cantine est ouverte les jours d'école. Le repas coûte 3,50 euros.",
        },
        lambda md: md.count("## ") >= 1 and "Source" in md,
    ),
    "reseaux-sociaux": (
        {"message": "Le marché de Noël ouvre samedi place de la Mairie.", "reseaux": "X"},
        lambda md: "caractères sur" in md,
    ),
    "tri-demandes": (
        {"demande": "Un lampadaire est tombé devant l'école, c'est dangereux."},
        lambda md: re.search(r"\| (basse|normale|haute) \|", md) is not None,
    ),
}


@pytest.mark.parametrize("assistant_id", sorted(CASES))
def test_builtin_produces_a_draft(
    client: TestClient, personas: Personas, assistant_id: str
) -> None:
    values, check = CASES[assistant_id]
    headers = login_as(client, "agent")
    resp = client.post(
        f"/assistants/{assistant_id}", data=values, headers=headers, follow_redirects=False
    )
    assert resp.status_code == 303, resp.text
    run_url = resp.headers["location"]
    assert Worker(client.app.state.sessions, client.app.state.settings, {}).run_once("redaction")  # type: ignore[attr-defined]
    final = events(client.get(f"{run_url}/flux").text)[-1]
    assert final[0] == "done" and final[1]["status"] == "draft", final
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = db.get(AssistantRun, int(run_url.rsplit("/", 1)[1]))
        assert run is not None and run.status == "draft" and run.attempts in (1, 2)
        assert check(run.draft), run.draft
