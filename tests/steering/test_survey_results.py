"""The survey's results: exact figures from known answers, hidden below 5, whole groups of 5,
themes of the free texts, per service and wave; the reviews get the wave's results."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from civia.steering import reviews, survey_results
from civia.steering.models import SurveyAnswer
from civia.steering.survey_results import Result, aggregate
from civia.usage import rates
from tests.steering.test_survey import LAUNCH, world  # noqa: F401  (fixture)


def _row(ease: int, recommend: int, improve: str = "", **over: object) -> SurveyAnswer:
    fields: dict[str, object] = {"tenant_id": 1, "service_id": None, "launch_date": LAUNCH,
                                 "wave": 30, "week": LAUNCH, "synthetic": False} | over  # fmt: skip
    return SurveyAnswer(ease=ease, recommend=recommend, improve=improve, **fields)


def _result(rows: list[SurveyAnswer], accounts: int = 20) -> Result:
    return aggregate(Result("Population", 1, LAUNCH, 30, len(rows), accounts), rows)


def test_exact_figures_from_known_answers() -> None:
    # recommend: 10, 9 promote; 8, 7 are passive; 6, 0 detract... on 5 answers
    r = _result([_row(5, 10), _row(4, 9), _row(3, 8), _row(2, 6), _row(1, 0)])
    assert (r.counted, r.ease_mean, r.promoters, r.passives, r.detractors) == (5, 3.0, 2, 1, 2)
    assert r.nps == 0.0 and r.rate == 0.25 and not r.hidden
    r = _result([_row(5, 10)] * 4 + [_row(3, 7)] * 6)
    assert r.counted == 10 and r.ease_mean == 3.8 and r.nps == 40.0


def test_hidden_below_five_and_moving_by_groups_of_five() -> None:
    r = _result([_row(5, 10)] * 4)
    assert r.hidden and r.ease_mean is None and r.nps is None and r.answers == 4
    assert "4 réponses sur 5" in r.why_hidden
    # the 6th and 7th answers are not counted yet: they cannot be read by difference
    r = _result([_row(5, 10)] * 5 + [_row(1, 0)] * 2)
    assert (r.answers, r.counted, r.ease_mean, r.nps) == (7, 5, 5.0, 100.0)


def test_free_texts_grouped_into_themes_of_five() -> None:
    texts = [f"Plus de modèles de courriers n°{i}" for i in range(5)] + ["Former les agents", ""]
    r = _result([_row(4, 8, t) for t in texts] + [_row(4, 8)] * 3)
    assert [(t.title, t.size) for t in r.themes] == [("Courriers (modèles)", 5)]
    assert len(r.themes[0].examples) == 3
    assert r.others == [("Former les agents", 1)]


def _add(db: Session, service_id: int | None, wave: int, scores: list[tuple[int, int]],
         launch: date = LAUNCH, synthetic: bool = False) -> None:  # fmt: skip
    for ease, recommend in scores:
        db.add(_row(ease, recommend, tenant_id=1, service_id=service_id, wave=wave,
                    launch_date=launch, synthetic=synthetic))  # fmt: skip
    db.flush()


def test_per_service_and_wave_and_for_the_reviews(world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    db, personas = world
    a, b = personas.service_a.id, personas.service_b.id
    rates.settings_row(db, personas.tenant.id).launch_dates = {"all": LAUNCH.isoformat()}
    _add(db, a, 15, [(4, 9)] * 5)
    _add(db, a, 30, [(2, 3)] * 5)
    _add(db, b, 30, [(5, 10)] * 3)
    _add(db, a, 30, [(1, 0)] * 5, synthetic=True)  # the demo's never mix with real ones
    found = survey_results.by_service(db, personas.tenant.id, synthetic=False,
                                      today=date(2026, 10, 5))  # fmt: skip
    table = {(r.label, r.wave): r for r in found}
    # J+90 has not opened yet; Urbanisme's J+15 is open but got no answer
    assert sorted(table) == [("Population", 15), ("Population", 30), ("Urbanisme", 15),
                             ("Urbanisme", 30)]  # fmt: skip
    assert table["Population", 15].nps == 100.0 and table["Population", 30].ease_mean == 2.0
    assert table["Population", 30].accounts == 6  # the six roles of service A
    assert table["Urbanisme", 30].hidden and table["Urbanisme", 15].answers == 0
    demo = survey_results.by_service(db, personas.tenant.id, synthetic=True,
                                     today=date(2026, 10, 5))  # fmt: skip
    assert [(r.label, r.wave, r.ease_mean) for r in demo if not r.hidden] == [
        ("Population", 30, 1.0)
    ]
    # the J+30 review of service A reads its wave; the collectivité's, every service's
    sat = survey_results.for_review(db, personas.tenant.id, a, 30, LAUNCH).figures()
    assert (sat["answers"], sat["ease_mean"], sat["nps"]) == (5, 2.0, -100.0)
    whole = survey_results.for_review(db, personas.tenant.id, None, 30, LAUNCH)
    assert (whole.answers, whole.counted) == (8, 5)
    assert survey_results.for_review(db, personas.tenant.id, a, 30, date(2026, 1, 1)).answers == 0
    waves = survey_results.by_wave(db, personas.tenant.id, synthetic=False)
    assert [(r.wave, r.answers) for r in waves] == [(15, 5), (30, 8)]


def _figures(**over: object) -> dict[str, object]:
    base: dict[str, object] = {"calls": 100, "failure_rate": 0.02, "adoption": 0.6,
                               "useful_rate": 0.8, "ratings": 20, "hours_per_user_week": 1.5}  # fmt: skip
    return base | over


def _sat(ease: float, nps: float, counted: int = 5) -> dict[str, object]:
    return {"wave": 90, "answers": counted, "counted": counted, "ease_mean": ease, "nps": nps}


def test_the_survey_feeds_the_review_rules() -> None:
    good = reviews.verdict(90, _figures(satisfaction=_sat(4.2, 30)))
    assert good.recommendation == "extend"
    assert "facilité 4,2 / 5, NPS +30 (5 réponses)" in good.reasons[0]
    low = reviews.verdict(90, _figures(satisfaction=_sat(2.0, 30)))
    assert low.recommendation == "pivot" and "2 / 5" in low.reasons[-1]
    assert reviews.verdict(90, _figures(satisfaction=_sat(4.0, -10))).recommendation == "keep"
    hidden = reviews.verdict(90, _figures(satisfaction=_sat(1.0, -100, counted=0)))
    assert hidden.recommendation == "extend" and "moins de 5" in hidden.reasons[0]
