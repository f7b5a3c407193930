"""Pilotage's own tables: reviews, the daily roll-ups and the satisfaction survey (the ledger
is in `civia.usage`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, Timestamped


class Review(Base, Timestamped):
    """A J+15 / J+30 / J+90 review of the collectivité (service_id None) or of one service:
    the figures as computed, the rule-based recommendation, and the narrative pilotage wrote."""

    __tablename__ = "steering_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    milestone: Mapped[int] = mapped_column(Integer)  # 15 | 30 | 90
    launch_date: Mapped[date] = mapped_column(Date)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recommendation: Mapped[str] = mapped_column(String(20))  # keep | extend | pivot | fix
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    narrative: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    validated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DailyUsage(Base):
    """Calls of one day summed by service × assistant × model (demo apart): the dashboard reads
    these for whole past days instead of the raw calls. Rebuilt idempotently (steering.rollup)."""

    __tablename__ = "steering_daily"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    service_id: Mapped[int | None] = mapped_column(Integer)
    assistant_id: Mapped[str] = mapped_column(String(100), default="")
    model_key: Mapped[str] = mapped_column(String(310), default="")
    calls: Mapped[float] = mapped_column(Float, default=0.0)
    prompt_tokens: Mapped[float] = mapped_column(Float, default=0.0)
    completion_tokens: Mapped[float] = mapped_column(Float, default=0.0)
    cost_eur: Mapped[float] = mapped_column(Float, default=0.0)
    energy_kwh: Mapped[float] = mapped_column(Float, default=0.0)
    gwp_min: Mapped[float] = mapped_column(Float, default=0.0)
    gwp_max: Mapped[float] = mapped_column(Float, default=0.0)
    failures: Mapped[float] = mapped_column(Float, default=0.0)
    latency_sum: Mapped[float] = mapped_column(Float, default=0.0)
    latency_n: Mapped[float] = mapped_column(Float, default=0.0)
    ttft_sum: Mapped[float] = mapped_column(Float, default=0.0)
    ttft_n: Mapped[float] = mapped_column(Float, default=0.0)


Index("ix_steering_daily_tenant_day", DailyUsage.tenant_id, DailyUsage.day)


class DailyUser(Base):
    """Who called, per day × service × assistant × model (demo apart), and how often: distinct
    users per assistant or model over any period are counted from these rows instead of every
    call. Rebuilt with `DailyUsage`."""

    __tablename__ = "steering_daily_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    service_id: Mapped[int | None] = mapped_column(Integer)
    assistant_id: Mapped[str] = mapped_column(String(100), default="")
    model_key: Mapped[str] = mapped_column(String(310), default="")
    user_id: Mapped[int | None] = mapped_column(Integer)
    calls: Mapped[int] = mapped_column(Integer, default=0)


# Covering: the counts read the index alone.
Index(
    "ix_steering_daily_users_cover",
    DailyUser.tenant_id,
    DailyUser.demo,
    DailyUser.day,
    DailyUser.service_id,
    DailyUser.assistant_id,
    DailyUser.model_key,
    DailyUser.user_id,
    DailyUser.calls,
)


class DailyActive(Base):
    """Who called, per day × service (demo apart), how often and when first: active users and
    calls over any window, and each service's first use, are counted from these rows (about
    one per agent and day) instead of every call. Rebuilt with `DailyUsage`."""

    __tablename__ = "steering_daily_active"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    service_id: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(Integer)
    calls: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


Index(
    "ix_steering_daily_active_cover",
    DailyActive.tenant_id,
    DailyActive.demo,
    DailyActive.day,
    DailyActive.service_id,
    DailyActive.user_id,
    DailyActive.calls,
    DailyActive.first_at,
)


class ActiveDays(Base):
    """On which summed days an agent called, per service × assistant × model (demo apart): a
    bitmap, bit i set when active on `first_day + i`. The dashboard reads these few rows (about
    one per agent and assistant) and counts every window's distinct users in one pass instead
    of one query per window. Updated from `DailyUser` by each roll-up run."""

    __tablename__ = "steering_active_days"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    service_id: Mapped[int | None] = mapped_column(Integer)
    assistant_id: Mapped[str] = mapped_column(String(100), default="")
    model_key: Mapped[str] = mapped_column(String(310), default="")
    user_id: Mapped[int | None] = mapped_column(Integer)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    days: Mapped[bytes] = mapped_column(LargeBinary)  # little-endian bitmap from first_day


Index("ix_steering_active_days_tenant", ActiveDays.tenant_id, ActiveDays.demo, ActiveDays.last_day)


class RollupState(Base):
    """Up to which day (excluded) a collectivité's calls are summed in `steering_daily`."""

    __tablename__ = "steering_rollup_state"
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    until_day: Mapped[date] = mapped_column(Date)


class SurveyTurn(Base):
    """That a user answered, set aside or put off one wave of the satisfaction survey (survey.py).

    Kept apart from the answers with nothing in common with them (no answer id, no time: only,
    for « Plus tard », the day until which the prompt stays hidden), so that an answer cannot be
    traced back to its author once it is counted."""

    __tablename__ = "steering_survey_turns"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    launch_date: Mapped[date] = mapped_column(Date, primary_key=True)
    wave: Mapped[int] = mapped_column(Integer, primary_key=True)  # 15 | 30 | 90
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))  # answered | dismissed | later
    later_until: Mapped[date | None] = mapped_column(Date)


class SurveyAnswer(Base):
    """One anonymous answer to a wave of the satisfaction survey: no user, no time but the week
    (its Monday); the free text is stored after personal data was masked."""

    __tablename__ = "steering_survey_answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    launch_date: Mapped[date] = mapped_column(Date)
    wave: Mapped[int] = mapped_column(Integer)  # 15 | 30 | 90
    week: Mapped[date] = mapped_column(Date)  # the Monday of the week it was given
    ease: Mapped[int] = mapped_column(Integer)  # 1..5
    recommend: Mapped[int] = mapped_column(Integer)  # 0..10
    improve: Mapped[str] = mapped_column(Text, default="")
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)  # the demo's fictitious ones


Index(
    "ix_steering_survey_answers_wave",
    SurveyAnswer.tenant_id,
    SurveyAnswer.synthetic,
    SurveyAnswer.launch_date,
    SurveyAnswer.wave,
    SurveyAnswer.service_id,
)
