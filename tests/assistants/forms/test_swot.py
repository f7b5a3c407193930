"""The SWOT: an item given in two quadrants is kept once, in the first, and the agent told; a
quadrant whose only item was such a copy reads « [à compléter] »."""

from civia.assistants.forms import swot

FESTIVAL = {  # dev input 5 of the bench (« Festival d'été sur la place du marché »)
    "forces": ["Budget suffisant pour organiser le festival", "Sponsors locaux fidèles"],
    "faiblesses": [
        "Plaintes de riverains sur le bruit",
        "Organisation du festival peut être complexe avec la taille des spectateurs",
    ],
    "opportunites": ["Les bénévoles peuvent aider à organiser le festival"],
    "menaces": [
        "Budget pourrait être insuffisant pour organiser le festival",
        "Organisation du festival peut être complexe avec la taille des spectateurs",
    ],
    "hypotheses": ["Le budget est suffisant"],
    "synthese": "Un festival apprécié.",
}


def test_an_item_in_two_quadrants_is_kept_once_in_the_first() -> None:
    data, notes = swot.finish(FESTIVAL, {}, {})
    assert data["faiblesses"] == FESTIVAL["faiblesses"]
    assert data["menaces"] == ["Budget pourrait être insuffisant pour organiser le festival"]
    assert data["forces"] == FESTIVAL["forces"] and data["synthese"] == FESTIVAL["synthese"]
    assert notes == [
        "« Organisation du festival peut être complexe avec la taille des spectateurs » "
        "figurait aussi en menaces : gardé une fois, en faiblesses ; vérifiez dans quelle case "
        "il va."
    ]


def test_a_quadrant_left_without_an_item_of_its_own_is_to_complete() -> None:
    """Held-out SWOT 14 gave « Transport » as its only threat after giving it as a strength,
    and 11 copied its three strengths as its hypotheses: the copies go, and a quadrant left
    with nothing of its own says so instead of showing a contradiction."""
    data = {
        "forces": ["Résilience du réseau", "Place de la Halle libre"],
        "faiblesses": ["résilience du réseau !"],  # the same words: its only item
        "opportunites": ["Subventions régionales", "Subventions régionales possibles"],
        "menaces": ["Bruit", "Bruit"],
        "hypotheses": ["Place de la Halle libre", "Résilience du réseau"],
    }
    out, notes = swot.finish(data, {}, {})
    assert out["faiblesses"] == ["[à compléter]"]
    assert out["opportunites"] == data["opportunites"]  # one adds a word: not a copy
    assert out["menaces"] == ["Bruit"]
    assert out["hypotheses"] == ["[à compléter]"]
    assert notes == [
        "« résilience du réseau ! » figurait aussi en faiblesses, seul : gardé en forces ; "
        "la case faiblesses est à compléter.",
        "« Bruit » était donné deux fois en menaces : gardé une fois.",
        "« Place de la Halle libre » figurait aussi en hypothèses : gardé une fois, en forces ; "
        "vérifiez dans quelle case il va.",
        "« Résilience du réseau » figurait aussi en hypothèses, seul : gardé en forces ; "
        "la case hypothèses est à compléter.",
    ]
