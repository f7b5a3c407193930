"""The arrêté's visas come from the agent's texts or the library, never from the model."""

from civia.assistants.arretes import visas


def test_each_text_the_agent_gave_becomes_a_visa() -> None:
    textes = (
        "Code général des collectivités territoriales, article L2213-1 ; CGCT, article L2213-6\n"
        "Vu l'arrêté préfectoral du 3 mai 2019.\n"
        "Loi n° 2015-991 ; délibération du conseil municipal du 12 mars"
    )
    assert visas.from_texts(textes) == [
        "Vu le code général des collectivités territoriales, article L2213-1",
        "Vu le code général des collectivités territoriales, article L2213-6",
        "Vu l'arrêté préfectoral du 3 mai 2019",
        "Vu la loi n° 2015-991",
        "Vu la délibération du conseil municipal du 12 mars",
    ]


def test_without_texts_the_library_gives_the_visas() -> None:
    chosen, others = visas.visas_for("", "Terrasse de 12 m² sur le domaine public")
    assert others == []
    assert chosen and all(v.startswith("Vu le code") for v in chosen)
    assert any("L2122-1" in v for v in chosen)  # occupation of the public domain
    library = {ref.visa for ref in visas.library()}
    assert set(chosen) <= library


def test_nothing_matching_leaves_the_visa_to_complete() -> None:
    assert visas.visas_for("", "Taille des haies mitoyennes") == ([visas.TO_COMPLETE], [])


def test_fires_call_for_the_mayor_s_general_police() -> None:
    """L2212-2, 5° (« prévenir […] les incendies »): the dev request « Réglementation des feux
    de jardin » of the bench found no visa and kept « Vu [visa à compléter] »."""
    chosen, _ = visas.visas_for("", "Réglementation des feux de jardin")
    assert len(chosen) == 1 and "L2212-2" in chosen[0]


def test_with_texts_the_library_only_suggests_what_is_not_cited() -> None:
    chosen, others = visas.visas_for(
        "CGCT, article L2213-1", "Déviation de la circulation pour la course cycliste"
    )
    assert chosen == ["Vu le code général des collectivités territoriales, article L2213-1"]
    assert not any("L2213-1" in v for v in others)  # already cited
    assert any("R411-8" in v for v in others)


def test_library_entries_are_strict_data() -> None:
    refs = visas.library()
    assert len({r.id for r in refs}) == len(refs) >= 8
    assert all(r.visa.startswith("Vu ") and r.visa[-1] not in ".;," for r in refs)
