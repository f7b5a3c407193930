"""The satisfaction survey's waves: who is offered what and when, once per wave, « Plus tard »
and « Ne plus proposer », and an answer stored without its author."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker
from civia.steering import survey
from civia.steering.models import SurveyAnswer, SurveyTurn
from civia.usage import rates
from tests.conftest import Personas, make_personas

LAUNCH = date(2026, 9, 1)


@pytest.fixture
def world(sqlite_url: str, password_hash: str) -> Iterator[tuple[Session, Personas]]:
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    db = make_sessionmaker(engine)()
    personas = make_personas(db, password_hash)
    db.commit()
    yield db, personas
    db.close()
    engine.dispose()


def _launch(db: Session, personas: Personas, **dates: date) -> None:
    row = rates.settings_row(db, personas.tenant.id)
    row.launch_dates = {key: value.isoformat() for key, value in dates.items()}
    db.flush()


def _day(n: int) -> date:
    return LAUNCH + timedelta(days=n)


def _answer(db: Session, user, label: str, day: int, **over: str) -> SurveyAnswer:  # type: ignore[no-untyped-def]
    fields = {"ease": "4", "recommend": "9", "improve": ""} | over
    return survey.answer(db, user, wave_label=label, today=_day(day), masker=str.upper, **fields)


def test_waves_open_at_j15_j30_j90_for_wave_days() -> None:
    assert survey.open_wave(LAUNCH, _day(14)) is None
    assert survey.open_wave(LAUNCH, _day(15)) == survey.Wave(LAUNCH, 15)
    assert survey.open_wave(LAUNCH, _day(29)) == survey.Wave(LAUNCH, 15)
    assert survey.open_wave(LAUNCH, _day(30)) == survey.Wave(LAUNCH, 30)
    assert survey.open_wave(LAUNCH, _day(44)) == survey.Wave(LAUNCH, 30)
    assert survey.open_wave(LAUNCH, _day(45)) is None
    assert survey.open_wave(LAUNCH, _day(89)) is None
    assert survey.open_wave(LAUNCH, _day(90)) == survey.Wave(LAUNCH, 90)
    assert survey.open_wave(LAUNCH, _day(104)) == survey.Wave(LAUNCH, 90)
    assert survey.open_wave(LAUNCH, _day(105)) is None
    assert survey.Wave(LAUNCH, 30).closes == _day(44)


def test_the_service_date_wins_over_the_collectivite_date(world) -> None:  # type: ignore[no-untyped-def]
    db, personas = world
    agent, bob, carol = personas["agent"], personas["bob"], personas["carol"]
    assert survey.offered(db, agent, _day(15)) is None  # no launch date: no survey
    _launch(db, personas, all=LAUNCH, **{str(personas.service_b.id): _day(10)})
    assert survey.offered(db, agent, _day(15)) == survey.Wave(LAUNCH, 15)
    # bob's service (Urbanisme) launched ten days later: its J+15 starts on day 25
    assert survey.offered(db, bob, _day(15)) is None
    assert survey.offered(db, bob, _day(25)) == survey.Wave(_day(10), 15)
    # Autreville set no date: Démoville's never reach its users
    assert survey.offered(db, carol, _day(15)) is None
    # an inactive account is not offered it
    agent.active = False
    assert survey.offered(db, agent, _day(15)) is None


def test_once_per_wave_then_the_next_wave(world) -> None:  # type: ignore[no-untyped-def]
    db, personas = world
    _launch(db, personas, all=LAUNCH)
    agent = personas["agent"]
    _answer(db, agent, "J+15", 16)
    assert survey.offered(db, agent, _day(17)) is None
    with pytest.raises(survey.SurveyError, match="plus ouverte"):
        _answer(db, agent, "J+15", 17)
    assert db.scalar(select(SurveyTurn.status)) == "answered"
    # the next wave is offered again, and answering it does not need the old one
    assert survey.offered(db, agent, _day(30)) == survey.Wave(LAUNCH, 30)
    _answer(db, agent, "J+30", 31)
    assert survey.offered(db, agent, _day(90)) == survey.Wave(LAUNCH, 90)
    assert len(db.scalars(select(SurveyAnswer)).all()) == 2
    # a stale form (J+15 sent while J+30 is open) is refused
    with pytest.raises(survey.SurveyError):
        _answer(db, personas["referent"], "J+15", 31)


def test_later_hides_it_for_a_few_days_and_never_for_the_wave(world) -> None:  # type: ignore[no-untyped-def]
    db, personas = world
    _launch(db, personas, all=LAUNCH)
    agent, referent = personas["agent"], personas["referent"]
    survey.dismiss(db, agent, wave_label="J+15", later=True, today=_day(15))
    assert survey.offered(db, agent, _day(15 + survey.LATER_DAYS - 1)) is None
    assert survey.offered(db, agent, _day(15 + survey.LATER_DAYS)) == survey.Wave(LAUNCH, 15)
    _answer(db, agent, "J+15", 19)  # put off, then answered
    assert db.get(SurveyTurn, (agent.id, LAUNCH, 15)).later_until is None  # type: ignore[union-attr]
    survey.dismiss(db, referent, wave_label="J+15", later=False, today=_day(15))
    assert survey.offered(db, referent, _day(29)) is None
    with pytest.raises(survey.SurveyError):
        _answer(db, referent, "J+15", 20)
    assert survey.offered(db, referent, _day(30)) == survey.Wave(LAUNCH, 30)


def test_two_answers_sent_at_once_after_later_count_once(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Put off, then the form sent twice (a double click, two tabs): the second request read
    the wave as offered before the first was saved; only one answer is stored."""
    db, personas = world
    _launch(db, personas, all=LAUNCH)
    agent = personas["agent"]
    survey.dismiss(db, agent, wave_label="J+15", later=True, today=_day(15))
    day = 15 + survey.LATER_DAYS
    seen = survey.offered(db, agent, _day(day))
    assert seen is not None
    _answer(db, agent, "J+15", day)
    db.commit()  # the first request ends
    monkeypatch.setattr(survey, "offered", lambda *args, **kwargs: seen)
    with pytest.raises(survey.SurveyError):
        _answer(db, agent, "J+15", day)
    assert len(db.scalars(select(SurveyAnswer)).all()) == 1


def test_bad_answers_are_refused_and_nothing_is_stored(world) -> None:  # type: ignore[no-untyped-def]
    db, personas = world
    _launch(db, personas, all=LAUNCH)
    agent = personas["agent"]
    for over, field in (({"ease": "6"}, "ease"), ({"ease": ""}, "ease"),
                        ({"recommend": "11"}, "recommend"), ({"recommend": "-1"}, "recommend"),
                        ({"improve": "x" * 1001}, "improve")):  # fmt: skip
        with pytest.raises(survey.SurveyError) as caught:
            _answer(db, agent, "J+15", 16, **over)
        assert field in caught.value.errors
    assert (
        db.scalar(select(SurveyAnswer.id)) is None and db.scalar(select(SurveyTurn.status)) is None
    )
    assert survey.offered(db, agent, _day(16)) is not None


def test_the_answer_does_not_know_its_author(world) -> None:  # type: ignore[no-untyped-def]
    db, personas = world
    _launch(db, personas, all=LAUNCH)
    row = _answer(db, personas["agent"], "J+15", 17, improve="Appeler  Jean Dupont", ease="2")
    # no column names a user or a moment finer than the week
    columns = {c["name"]: str(c["type"]) for c in inspect(db.get_bind()).get_columns(
        SurveyAnswer.__tablename__)}  # fmt: skip
    assert not any("user" in name or "login" in name for name in columns)
    assert not any("TIME" in kind.upper() for kind in columns.values())
    assert set(columns) == {"id", "tenant_id", "service_id", "launch_date", "wave", "week",
                            "ease", "recommend", "improve", "synthetic"}  # fmt: skip
    assert row.week == date(2026, 9, 14) and row.week.weekday() == 0  # day 17 is a Friday
    assert row.improve == "APPELER JEAN DUPONT"  # went through the masker, spaces folded
    # the turn holds no answer and no time: only the user, the wave and its status
    turn_columns = {c["name"] for c in inspect(db.get_bind()).get_columns(SurveyTurn.__tablename__)}
    assert turn_columns == {"user_id", "launch_date", "wave", "tenant_id", "status", "later_until"}


def test_data_rights_show_and_forget_the_turns_not_the_answers(world) -> None:  # type: ignore[no-untyped-def]
    db, personas = world
    _launch(db, personas, all=LAUNCH)
    agent = personas["agent"]
    _answer(db, agent, "J+15", 16)
    survey.dismiss(db, agent, wave_label="J+30", later=False, today=_day(30))
    assert survey.export_turns(db, agent) == [
        {"vague": "J+15", "lancement": "2026-09-01", "suite_donnee": "répondu"},
        {"vague": "J+30", "lancement": "2026-09-01", "suite_donnee": "ne plus proposer"},
    ]
    assert survey.erase_turns(db, agent) == 2
    assert db.scalar(select(SurveyTurn.status)) is None
    assert len(db.scalars(select(SurveyAnswer)).all()) == 1  # anonymous: it stays
