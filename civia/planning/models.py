"""Tables of the planning area. Survey answers carry no user, no time and no request data:
see `civia.planning.survey` for the anonymity rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, Timestamped


class PlanningGrid(Base, Timestamped):
    """A diagnostic grid imported by a collectivité (the built-in one lives in a YAML file)."""

    __tablename__ = "planning_grids"
    __table_args__ = (UniqueConstraint("tenant_id", "slug"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)  # the validated YAML, as imported
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Where a grid adopted from the shared catalogue comes from (French, shown on its page).
    lineage: Mapped[str] = mapped_column(String(500), default="")


class Diagnostic(Base, Timestamped):
    """One completed maturity diagnostic. The grid is copied so that later edits of a grid never
    change a past result."""

    __tablename__ = "planning_diagnostics"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    grid: Mapped[dict[str, Any]] = mapped_column(JSON)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)  # question id → option value
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)  # dimension id → 0..100
    overall: Mapped[float] = mapped_column(Float)
    level: Mapped[str] = mapped_column(String(20))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)  # demo data
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Survey(Base, Timestamped):
    __tablename__ = "planning_surveys"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | closed
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SurveyAnswer(Base):
    """One anonymous answer: no user, no timestamp, no IP or user agent; free text is stored
    only after personal data was masked."""

    __tablename__ = "planning_survey_answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("planning_surveys.id", ondelete="CASCADE"), index=True
    )
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    irritants: Mapped[list[str]] = mapped_column(JSON)  # up to three ids of survey.IRRITANTS
    irritant_other: Mapped[str] = mapped_column(Text, default="")
    hours_per_week: Mapped[int] = mapped_column(Integer)
    ai_use: Mapped[str] = mapped_column(String(20))  # survey.AI_USES
    ai_tasks: Mapped[str] = mapped_column(Text, default="")
    fears: Mapped[str] = mapped_column(Text, default="")
    wishes: Mapped[str] = mapped_column(Text, default="")


class SurveyTheme(Base, Timestamped):
    """A group of free-text answers proposed as a candidate use case (by shared keywords or
    by the local model), then accepted, renamed or discarded by pilotage. Stored only for
    groups of `survey.MIN_GROUP` answers or more; the examples are already masked texts."""

    __tablename__ = "planning_survey_themes"
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("planning_surveys.id", ondelete="CASCADE"), index=True
    )
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)  # answers in the group, counted by Civia
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    method: Mapped[str] = mapped_column(String(20))  # themes.METHODS
    status: Mapped[str] = mapped_column(String(20), default="proposed")  # themes.STATUSES
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("planning_candidates.id", ondelete="SET NULL")
    )


class Candidate(Base, Timestamped):
    """A candidate use case of the portfolio, placed (or not yet) in one of the three circles."""

    __tablename__ = "planning_candidates"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="saisie")  # portfolio.SOURCES
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    circle: Mapped[int] = mapped_column(Integer, default=0)  # 0 = not placed yet, 1..3
    risk: Mapped[str] = mapped_column(String(20), default="faible")  # portfolio.RISKS
    assistant_slug: Mapped[str] = mapped_column(String(100), default="")
    use_case_id: Mapped[int | None] = mapped_column(ForeignKey("use_cases.id", ondelete="SET NULL"))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CandidateScore(Base):
    """One scorer's marks (1–5) on the field's three criteria."""

    __tablename__ = "planning_candidate_scores"
    __table_args__ = (UniqueConstraint("candidate_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("planning_candidates.id", ondelete="CASCADE"), index=True
    )
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    impact: Mapped[int] = mapped_column(Integer)
    ease: Mapped[int] = mapped_column(Integer)
    acceptability: Mapped[int] = mapped_column(Integer)
