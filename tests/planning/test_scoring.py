"""Diagnostic grids and scores: strict schema, weights, thresholds, weakest dimension."""

from __future__ import annotations

import pytest
import yaml

from civia.planning import grid, scoring


def _answers(value: int, **overrides: int) -> dict[str, int]:
    g = grid.builtin()
    found = {q.id: value for d in g.dimensions for q in d.questions}
    found.update(overrides)
    return found


def test_the_builtin_grid_has_four_dimensions_of_five_explained_questions() -> None:
    g = grid.builtin()
    assert [d.id for d in g.dimensions] == [
        "infrastructure",
        "processus",
        "competences",
        "gouvernance",
    ]
    assert all(len(d.questions) == 5 for d in g.dimensions)
    assert all(o.explanation for d in g.dimensions for q in d.questions for o in q.options)


def test_extremes_and_thresholds() -> None:
    g = grid.builtin()
    top, bottom = scoring.score(g, _answers(3)), scoring.score(g, _answers(0))
    assert top.overall == 100 and top.level.id == "elevee"
    assert bottom.overall == 0 and bottom.level.id == "faible"
    assert scoring.level_for(g, 39.9).id == "faible"
    assert scoring.level_for(g, 40).id == "moyenne"
    assert scoring.level_for(g, 69.9).id == "moyenne"
    assert scoring.level_for(g, 70).id == "elevee"


def test_weights_and_weakest_dimension() -> None:
    g = grid.builtin()
    # "hebergement" weighs 1.5 in a dimension of total weight 5.5: 0 there costs 1.5/5.5.
    result = scoring.score(g, _answers(3, hebergement=0))
    assert result.scores["infrastructure"] == pytest.approx(100 * 4 / 5.5, abs=0.05)
    assert result.scores["processus"] == 100
    assert result.weakest.id == "infrastructure"
    assert result.overall == pytest.approx((result.scores["infrastructure"] + 300) / 4, abs=0.05)
    low_governance = scoring.score(g, _answers(2, portage=0, charte=0))
    assert low_governance.weakest.id == "gouvernance"
    assert "comité" in low_governance.weakest.advice


def test_missing_or_impossible_answers_are_refused() -> None:
    g = grid.builtin()
    answers = _answers(2)
    del answers["charte"]
    with pytest.raises(scoring.AnswerError) as exc:
        scoring.score(g, answers)
    assert exc.value.missing == ["Avez-vous une charte d'utilisation de l'IA ?"]
    with pytest.raises(scoring.AnswerError, match="Réponse impossible"):
        scoring.score(g, _answers(2, charte=7))
    with pytest.raises(scoring.AnswerError, match="Question inconnue"):
        scoring.score(g, _answers(2, inventee=1))


def _data() -> dict:
    return yaml.safe_load(grid.builtin().as_yaml())


def test_a_grid_round_trips_through_yaml() -> None:
    assert grid.load_text(grid.builtin().as_yaml()) == grid.builtin()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(couleur="bleu"), "couleur : clé inconnue"),
        (lambda d: d["dimensions"][1].update(id="infrastructure"), "deux dimensions"),
        (lambda d: d["dimensions"][0]["questions"][1].update(id="postes"), "deux questions"),
        (lambda d: d["levels"][1].update(min_score=80), "croître strictement"),
        (lambda d: d["levels"][0].update(min_score=5), "partir de 0"),
        (lambda d: d["dimensions"][0]["questions"][0]["options"][0].update(value=1), "même valeur"),
        (lambda d: d["dimensions"][0]["questions"][0].update(weight=0), "weight"),
        (lambda d: d["dimensions"][0].pop("advice"), "information obligatoire manquante"),
    ],
)
def test_invalid_grids_are_refused_in_french(change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = _data()
    change(data)
    with pytest.raises(grid.GridError, match=message):
        grid.parse(data)


def test_unreadable_files_are_refused() -> None:
    with pytest.raises(grid.GridError, match="YAML lisible"):
        grid.load_text("slug: [a\n  b: :")
    with pytest.raises(grid.GridError, match="doit décrire une grille"):
        grid.load_text("- une liste")
    with pytest.raises(grid.GridError, match="trop volumineux"):
        grid.load_text("#" * (grid.MAX_IMPORT_BYTES + 1))
