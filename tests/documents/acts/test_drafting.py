"""What the drafting assistants start from: objets, visas, considérants, references."""

from __future__ import annotations

from datetime import date

from civia.documents.acts.drafting import arrete_prefill, deliberation_request, reference
from civia.documents.acts.models import Act

BODY = """ARRÊTÉ N° AR-2024-031

Le maire de Saint-Aubin-sur-Loire,

Vu le code général des collectivités territoriales, notamment ses articles L2212-1 et L2213-1 ;
VU le code de la route ;
Vu la demande du comité des fêtes du 2 avril 2024,

Considérant que la brocante du 1er mai 2024 rassemble plus de 2 000 visiteurs ;
Considérant qu'il convient d'assurer la sécurité des piétons ;

ARRÊTE

Article 1er : La circulation est interdite place de l'Église le 1er mai 2024 de 6 h à 20 h.
Article 2 : Le stationnement est interdit rue de la Mairie.
Article 3 : Le présent arrêté sera affiché en mairie."""


def _act(**kw: object) -> Act:
    values: dict[str, object] = {
        "kind": "arrete", "identifier": "AR-2024-031", "act_date": date(2024, 4, 15),
        "coll_name": "Commune de Saint-Aubin-sur-Loire", "coll_siret": "21490273400011",
        "objet": "Réglementation de la circulation pendant la brocante du 1er mai 2024",
        "outcome": "sans_vote", "body": BODY, "vote_pour": None, "vote_contre": None,
        "vote_abstention": None, "vote_reel": None, "vote_effectif": None,
    }  # fmt: skip
    values.update(kw)
    return Act(**values)


LIMITS = {"objet": 300, "textes": 3000, "motifs": 3000, "mesures": 4000, "individuel": 3}


def test_arrete_prefill_carries_what_the_acts_say() -> None:
    older = _act(
        identifier="AR-2023-102",
        act_date=date(2023, 4, 10),
        objet="Circulation pendant la brocante 2023",
        body="Vu le code de la route ;\nVu l'arrêté préfectoral du 3 mars 2023 ;\nConsidérant "
        "l'affluence attendue ;",
    )
    values = arrete_prefill([_act(), older], LIMITS)
    assert values["objet"].startswith("Réglementation de la circulation")
    assert values["textes"].splitlines() == [
        "Vu le code général des collectivités territoriales, notamment ses articles L2212-1 et "
        "L2213-1",
        "VU le code de la route",
        "Vu la demande du comité des fêtes du 2 avril 2024",
        "Vu l'arrêté préfectoral du 3 mars 2023",
    ]  # deduplicated across acts, in order (« Vu le code de la route » once)
    assert values["motifs"].count("Considérant") == 3
    assert (
        "- Arrêté n° AR-2023-102 du 10 avril 2023 (Commune de Saint-Aubin-sur-Loire)"
        in (values["mesures"])
    )
    assert "Article 1er : La circulation est interdite" in values["mesures"]
    assert "individuel" not in values  # only what the acts say; the agent decides the rest


def test_prefill_fits_the_form_and_acts_without_text() -> None:
    metadata_only = _act(body="", objet="x" * 500)
    values = arrete_prefill([metadata_only], {"objet": 300, "mesures": 200})
    assert len(values["objet"]) == 300 and values["objet"].endswith("…")
    assert set(values) == {"objet", "mesures"} and len(values["mesures"]) <= 200


def test_deliberation_request_lists_models_and_votes() -> None:
    cantine = _act(
        kind="deliberation",
        identifier="2024-003",
        objet="Tarifs de la restauration scolaire 2024-2025",
        outcome="abstentions",
        vote_pour=18,
        vote_contre=0,
        vote_abstention=2,
        body="",
    )
    assert reference(cantine).endswith(
        "— adopté sans voix contre, avec abstentions (18 pour, 0 contre, 2 abstentions)"
    )
    text = deliberation_request([cantine, _act()], tenant_name="Commune de Démoville")
    assert text.startswith(
        "Rédige un projet de délibération pour Commune de Démoville, ayant pour objet : Tarifs"
    )
    assert "1. Délibération n° 2024-003 du" in text and "2. Arrêté n° AR-2024-031" in text
    assert "Visas relevés dans ces actes :" in text and "N'invente ni texte juridique" in text
    assert len(deliberation_request([cantine] * 8, tenant_name="x" * 9000)) <= 6000
