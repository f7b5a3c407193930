"""The SWOT: an item given in two quadrants is kept once, in the first, and the agent told."""

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


def test_a_quadrant_is_never_emptied_and_distinct_items_stay() -> None:
    data = {
        "forces": ["Résilience du réseau"],
        "faiblesses": ["résilience du réseau !"],  # the same words: still its only item
        "opportunites": ["Subventions régionales", "Subventions régionales possibles"],
        "menaces": ["Bruit", "Bruit"],
    }
    out, notes = swot.finish(data, {}, {})
    assert out["faiblesses"] == ["résilience du réseau !"]
    assert out["opportunites"] == data["opportunites"]  # one adds a word: not a copy
    assert out["menaces"] == ["Bruit"]
    assert notes == ["« Bruit » était donné deux fois en menaces : gardé une fois."]
