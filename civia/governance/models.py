"""Governance tables: charter, training, use cases and their files, comments and votes,
incidents, per-collectivité settings (the audit log has its own area, `civia.audit`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from civia.db.base import Base, Timestamped, utcnow


class CharterVersion(Base, Timestamped):
    __tablename__ = "charter_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # Markdown
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CharterAcceptance(Base, Timestamped):
    """created_at is the acceptance time."""

    __tablename__ = "charter_acceptances"
    __table_args__ = (UniqueConstraint("user_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)


class TrainingCompletion(Base, Timestamped):
    """created_at is the completion time (all quiz answers right)."""

    __tablename__ = "training_completions"
    __table_args__ = (UniqueConstraint("user_id", "module"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module: Mapped[str] = mapped_column(String(40))


class UseCase(Base, Timestamped):
    """The register card of one assistant (built-in id or a service's slug)."""

    __tablename__ = "use_cases"
    __table_args__ = (UniqueConstraint("tenant_id", "assistant_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    assistant_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    owner_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL")
    )
    users_description: Mapped[str] = mapped_column(Text, default="")
    data_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    hosting_class: Mapped[str] = mapped_column(String(20), default="local")
    human_oversight: Mapped[str] = mapped_column(Text, default="")
    overseers: Mapped[str] = mapped_column(Text, default="")  # named people, one per line
    expected_benefit: Mapped[str] = mapped_column(Text, default="")
    risk_class: Mapped[str] = mapped_column(String(20), default="minimal")
    risk_notes: Mapped[str] = mapped_column(Text, default="")
    fria: Mapped[str] = mapped_column(Text, default="")  # AI Act Art. 27 assessment
    training_required: Mapped[bool] = mapped_column(Boolean, default=False)
    retention_days: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(30), default="draft")
    review_round: Mapped[int] = mapped_column(Integer, default=1)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    suspension_reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Where the case was born in Civia (e.g. a portfolio case): a local path and its label.
    origin_url: Mapped[str] = mapped_column(String(300), default="")
    origin_label: Mapped[str] = mapped_column(String(200), default="")


class FriaFile(Base, Timestamped):
    """One version of the fundamental-rights impact assessment (AI Act Art. 27) attached to a
    use case as a file. Versions are kept: the latest is the current one, earlier ones stay
    downloadable (what the comité approved remains on record). `path` is relative to the
    data directory."""

    __tablename__ = "use_case_fria_files"
    __table_args__ = (UniqueConstraint("use_case_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    use_case_id: Mapped[int] = mapped_column(
        ForeignKey("use_cases.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(10))  # pdf | docx | odt
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(300))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class UseCaseComment(Base, Timestamped):
    __tablename__ = "use_case_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    use_case_id: Mapped[int] = mapped_column(
        ForeignKey("use_cases.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)


class UseCaseVote(Base, Timestamped):
    """One comité member's vote in one review round (votes reset when a case is re-reviewed)."""

    __tablename__ = "use_case_votes"
    __table_args__ = (UniqueConstraint("use_case_id", "round", "voter_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    use_case_id: Mapped[int] = mapped_column(
        ForeignKey("use_cases.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int] = mapped_column(Integer)
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(String(20))  # approve | reject | changes
    comment: Mapped[str] = mapped_column(Text, default="")


class Incident(Base, Timestamped):
    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(60), default="")  # resultat:12 | conversation:5
    assistant_id: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text)
    # The reported output, copied at report time: evidence survives retention, and the comité
    # sees what was reported, not the whole conversation.
    excerpt: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    resolution: Mapped[str] = mapped_column(Text, default="")
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GovernanceSettings(Base):
    """Per collectivité: retention periods (None = kept) and the public contact."""

    __tablename__ = "governance_settings"
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    conversations_days: Mapped[int | None] = mapped_column(Integer)
    runs_days: Mapped[int | None] = mapped_column(Integer)
    audio_days: Mapped[int | None] = mapped_column(Integer)
    # When recordings go (retention.AUDIO_POLICIES): "review" = when the transcript's review
    # ends, "transcription" = as soon as it is transcribed, "keep" = after audio_days only.
    audio_policy: Mapped[str] = mapped_column(String(20), default="review", server_default="review")
    documents_days: Mapped[int | None] = mapped_column(Integer)
    audit_days: Mapped[int] = mapped_column(Integer, default=365)
    contact: Mapped[str] = mapped_column(Text, default="")  # who citizens contact (public page)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
