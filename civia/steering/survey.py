"""The field's satisfaction survey: three questions offered in the app to each user of a
service at J+15, J+30 and J+90 after the service's launch date (set by pilotage on the reviews
page), once per wave and user.

Rules:
- a user's launch date is their service's (`SteeringSettings.launch_dates[service id]`), else
  the collectivité's (`launch_dates["all"]`); no date, no survey;
- wave J+N is open from day launch + N for `WAVE_DAYS` days (J+15: days 15 to 29);
- it is offered until the user answers it, sets it aside (« Ne plus proposer pour cette
  vague ») or, for `LATER_DAYS` days, puts it off (« Plus tard »);
- an answer is stored without the user: a `SurveyTurn` row says the user answered this wave,
  the `SurveyAnswer` row holds the answer, its service, wave and week (its Monday), no key or
  time that links the two, written in separate transactions. Free text is stored after
  personal data was masked. Limit: answers are numbered in order (the results move by whole
  groups of 5 in that order), so someone reading the database itself and watching who answers
  when could still pair rows by their order; nothing in the application shows either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.db.engine import affected
from civia.privacy.pseudonymise import masked as mask
from civia.steering.filters import SYNTHETIC_LOGIN_PREFIX
from civia.steering.models import SurveyAnswer, SurveyTurn
from civia.usage.models import SteeringSettings

WAVES = (15, 30, 90)
WAVE_DAYS = 15
LATER_DAYS = 3
MAX_TEXT = 1000
EASE = range(1, 6)
RECOMMEND = range(0, 11)
QUESTIONS = {
    "ease": "Civia facilite-t-il votre travail ?",
    "recommend": "Recommanderiez-vous Civia à un collègue ?",
    "improve": "Que faudrait-il améliorer ?",
}

Masker = Callable[[str], str]


class SurveyError(ValueError):
    """A refused answer; `errors` maps a field ("" for the form) to its French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Wave:
    launch: date
    days: int  # 15 | 30 | 90

    @property
    def label(self) -> str:
        return f"J+{self.days}"

    @property
    def opens(self) -> date:
        return self.launch + timedelta(days=self.days)

    @property
    def closes(self) -> date:
        """The last day it is offered."""
        return self.opens + timedelta(days=WAVE_DAYS - 1)


def today() -> date:
    return datetime.now(UTC).date()


def launch_dates(db: Session, tenant_id: int) -> dict[str, date]:
    """The launch dates pilotage set ("all" or a service id → date); unreadable ones dropped."""
    row = db.get(SteeringSettings, tenant_id)
    found: dict[str, date] = {}
    for key, value in ((row.launch_dates or {}) if row is not None else {}).items():
        try:
            found[str(key)] = date.fromisoformat(str(value))
        except ValueError:
            continue
    return found


def launch_for(dates: dict[str, date], service_id: int | None) -> date | None:
    if service_id is not None and str(service_id) in dates:
        return dates[str(service_id)]
    return dates.get("all")


def open_wave(launch: date, today: date) -> Wave | None:
    for days in WAVES:
        wave = Wave(launch, days)
        if wave.opens <= today <= wave.closes:
            return wave
    return None


def _eligible(user: User) -> bool:
    return (
        user.active
        and user.tenant_id is not None
        and not user.login.startswith(SYNTHETIC_LOGIN_PREFIX)
    )


def current(db: Session, user: User, today: date) -> Wave | None:
    """The wave open for this user today, whatever they did with it."""
    if not _eligible(user):
        return None
    launch = launch_for(launch_dates(db, user.tenant_id), user.service_id)
    return open_wave(launch, today) if launch is not None else None


def offered(db: Session, user: User, today: date) -> Wave | None:
    """The wave to offer this user today: open, not answered, not set aside nor put off."""
    wave = current(db, user, today)
    if wave is None:
        return None
    turn = db.get(SurveyTurn, (user.id, wave.launch, wave.days))
    if turn is None or (turn.status == "later" and (turn.later_until or today) <= today):
        return wave
    return None


def _check(wave: Wave | None, asked: str) -> Wave:
    if wave is None or asked != wave.label:
        raise SurveyError({"": "Cette vague de l'enquête n'est plus ouverte pour vous."})
    return wave


def _turn(db: Session, user: User, wave: Wave) -> SurveyTurn:
    turn = db.get(SurveyTurn, (user.id, wave.launch, wave.days))
    if turn is None:
        turn = SurveyTurn(user_id=user.id, launch_date=wave.launch, wave=wave.days,
                          tenant_id=user.tenant_id, status="later")  # fmt: skip
        db.add(turn)
    return turn


def validate(ease: str, recommend: str, improve: str) -> dict[str, str]:
    errors = {}
    if not ease.isdigit() or int(ease) not in EASE:
        errors["ease"] = "Choisissez une note de 1 à 5."
    if not recommend.isdigit() or int(recommend) not in RECOMMEND:
        errors["recommend"] = "Choisissez une note de 0 à 10."
    if len(improve) > MAX_TEXT:
        errors["improve"] = f"{MAX_TEXT} caractères au plus."
    return errors


def answer(
    db: Session, user: User, *, wave_label: str, ease: str, recommend: str, improve: str,
    today: date, masker: Masker = mask,
) -> SurveyAnswer:  # fmt: skip
    """Record that `user` answered the open wave, and the answer without them. Raises
    SurveyError when the wave is not offered (closed, answered, set aside) or a field is bad."""
    wave = _check(offered(db, user, today), wave_label)
    if errors := validate(ease, recommend, improve):
        raise SurveyError(errors)
    if db.get(SurveyTurn, (user.id, wave.launch, wave.days)) is None:
        db.add(SurveyTurn(user_id=user.id, launch_date=wave.launch, wave=wave.days,
                          tenant_id=user.tenant_id, status="answered"))  # fmt: skip
    elif not affected(  # put off before: one of two answers sent at once takes it
        db.execute(
            update(SurveyTurn)
            .where(
                SurveyTurn.user_id == user.id,
                SurveyTurn.launch_date == wave.launch,
                SurveyTurn.wave == wave.days,
                SurveyTurn.status == "later",
            )
            .values(status="answered", later_until=None)
        )
    ):
        db.rollback()
        raise SurveyError({"": "Vous avez déjà répondu à cette vague de l'enquête."})
    try:
        # The turn and the answer are written in two transactions: on PostgreSQL rows written
        # by one transaction share its id (`xmin`), which would link them.
        db.commit()
    except IntegrityError:  # the same user's answer, sent twice at once
        db.rollback()
        raise SurveyError({"": "Vous avez déjà répondu à cette vague de l'enquête."}) from None
    row = SurveyAnswer(
        tenant_id=user.tenant_id, service_id=user.service_id, launch_date=wave.launch,
        wave=wave.days, week=today - timedelta(days=today.weekday()), ease=int(ease),
        recommend=int(recommend), improve=masker(" ".join(improve.split())),
    )  # fmt: skip
    db.add(row)
    db.flush()
    return row


def dismiss(db: Session, user: User, *, wave_label: str, later: bool, today: date) -> Wave:
    """« Plus tard » (`later`: hidden for LATER_DAYS days) or « Ne plus proposer pour cette
    vague »."""
    wave = _check(offered(db, user, today), wave_label)
    turn = _turn(db, user, wave)
    if later:
        turn.status, turn.later_until = "later", today + timedelta(days=LATER_DAYS)
    else:
        turn.status, turn.later_until = "dismissed", None
    db.flush()
    return wave


def eligible_accounts(db: Session, tenant_id: int, service_id: int | None, *,
                      synthetic: bool) -> int:  # fmt: skip
    """Active accounts of a service (None: of the whole collectivité) on one side (demo or
    real): the base of the answer rate."""

    marked = User.login.startswith(SYNTHETIC_LOGIN_PREFIX)
    stmt = select(func.count(User.id)).where(
        User.tenant_id == tenant_id, User.active.is_(True), marked if synthetic else ~marked
    )
    if service_id is not None:
        stmt = stmt.where(User.service_id == service_id)
    return int(db.scalar(stmt) or 0)


def export_turns(db: Session, user: User) -> list[dict[str, str]]:
    """The user's data here: which waves they answered or set aside (their answers are not
    theirs any more: nothing links them to anyone)."""
    stmt = (
        select(SurveyTurn)
        .where(SurveyTurn.user_id == user.id)
        .order_by(SurveyTurn.launch_date, SurveyTurn.wave)
    )
    labels = {"answered": "répondu", "dismissed": "ne plus proposer", "later": "plus tard"}
    return [
        {"vague": f"J+{t.wave}", "lancement": t.launch_date.isoformat(),
         "suite_donnee": labels.get(t.status, t.status)}
        for t in db.scalars(stmt)
    ]  # fmt: skip


def erase_turns(db: Session, user: User) -> int:
    """Forget which waves the user answered or set aside (the anonymous answers stay)."""
    return affected(db.execute(delete(SurveyTurn).where(SurveyTurn.user_id == user.id)))
