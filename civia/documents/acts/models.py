"""Actes: délibérations, arrêtés and décisions, their imports and who may read them.

An act is a public record of a collectivité (its *author*, `coll_name`/`coll_siret`), imported
by a tenant (`tenant_id`; a centre de gestion imports its members' open data). Its text — a
header made of its metadata, then its body when known — is one `Document` of the importing
tenant's acts collection (`ActCorpus.collection_id`), so it goes through the same extraction,
chunking, lexical index and vectors as every document, and act filters join `acts` on
`document_id` inside the search queries.

Reading: every user of the importing tenant, and the users of tenants it shares its acts with
(`ActShare`, or `ActCorpus.shared_with_all` for every collectivité of the deployment).
Importing, editing and deleting: référents and admins of the importing tenant.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from civia.db.base import Base, Timestamped, utcnow
from civia.jobs.models import STATUS_LABELS as JOB_STATUS_LABELS
from civia.jobs.models import JobStatus


class ActKind(StrEnum):
    DELIBERATION = "deliberation"
    ARRETE = "arrete"
    DECISION = "decision"
    OTHER = "autre"


KIND_LABELS = {
    ActKind.DELIBERATION: "Délibération",
    ActKind.ARRETE: "Arrêté",
    ActKind.DECISION: "Décision",
    ActKind.OTHER: "Autre acte",
}


class Outcome(StrEnum):
    """The result of a vote, computed from the counts at import (filterable, indexed)."""

    UNANIMOUS = "unanimite"
    ABSTENTIONS = "abstentions"  # adopted, nobody against, some abstained
    OPPOSED = "opposition"  # adopted with votes against
    TIED = "partage"
    REJECTED = "rejete"
    UNKNOWN = "inconnu"  # a délibération whose counts are not given
    NO_VOTE = "sans_vote"  # arrêtés and décisions are not voted


OUTCOME_LABELS = {
    Outcome.UNANIMOUS: "Adopté à l'unanimité",
    Outcome.ABSTENTIONS: "Adopté sans voix contre, avec abstentions",
    Outcome.OPPOSED: "Adopté avec des voix contre",
    Outcome.TIED: "Partage des voix",
    Outcome.REJECTED: "Rejeté",
    Outcome.UNKNOWN: "Vote non renseigné",
    Outcome.NO_VOTE: "Sans vote",
}


# An import's status is its job's (queued, running, done, failed, cancelled).
ImportStatus = JobStatus
IMPORT_STATUS_LABELS = JOB_STATUS_LABELS


class ActCorpus(Base, Timestamped):
    """A tenant's acts: the collection that indexes them, and whether it shares them with
    every collectivité of the deployment."""

    __tablename__ = "act_corpora"
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("doc_collections.id", ondelete="CASCADE"), unique=True
    )
    shared_with_all: Mapped[bool] = mapped_column(Boolean, default=False)


class ActShare(Base, Timestamped):
    """`owner_tenant_id` lets the users of `reader_tenant_id` read its acts."""

    __tablename__ = "act_shares"
    __table_args__ = (
        UniqueConstraint("owner_tenant_id", "reader_tenant_id", name="uq_act_shares_pair"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    reader_tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ActImport(Base, Timestamped):
    """One SCDL file import: the uploaded bytes (kept until the job ends, so that any worker of
    a multi-machine deployment can read them from the database), progress and the report."""

    __tablename__ = "act_imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(300), default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False, default=b""))
    status: Mapped[str] = mapped_column(String(20), default=ImportStatus.QUEUED.value)
    # Records already handled (a resumed job skips them) and the running counts.
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    # [{"line": 12, "reason": "…"}], at most MAX_REPORTED_ERRORS; `rejected` has the total.
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)  # ignored columns, encoding…
    message: Mapped[str] = mapped_column(Text, default="")  # why the whole file failed (French)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Act(Base, Timestamped):
    __tablename__ = "acts"
    __table_args__ = (
        # The SCDL key (COLL_SIRET, DELIB_ID), per importing tenant (each tenant owns its copy)
        # and per kind (a commune may number its arrêtés and délibérations alike).
        UniqueConstraint(
            "tenant_id", "coll_siret", "kind", "identifier", name="uq_acts_tenant_key"
        ),
        CheckConstraint(
            "kind IN ('deliberation', 'arrete', 'decision', 'autre')", name="kind_known"
        ),
        Index("ix_acts_tenant_date", "tenant_id", "act_date"),
        Index("ix_acts_tenant_kind", "tenant_id", "kind"),
        # Covering the filter choices (facets): index-only scans, 70 → 5 ms at 20,000 acts.
        Index("ix_acts_tenant_matiere", "tenant_id", "matiere_code", "matiere_name"),
        Index("ix_acts_tenant_siret", "tenant_id", "coll_siret", "coll_name"),
        Index("ix_acts_tenant_outcome", "tenant_id", "outcome"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(
        ForeignKey("doc_documents.id", ondelete="CASCADE"), unique=True
    )
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("act_imports.id", ondelete="SET NULL"), index=True
    )
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(20), default="scdl")  # scdl | fichier
    kind: Mapped[str] = mapped_column(String(20), default=ActKind.DELIBERATION.value)
    coll_name: Mapped[str] = mapped_column(String(300))
    coll_siret: Mapped[str] = mapped_column(String(14), default="")
    identifier: Mapped[str] = mapped_column(String(100))
    act_date: Mapped[date] = mapped_column(Date)
    matiere_code: Mapped[str] = mapped_column(String(20), default="")
    matiere_name: Mapped[str] = mapped_column(String(300), default="")
    objet: Mapped[str] = mapped_column(Text)
    budget_year: Mapped[str] = mapped_column(String(20), default="")
    budget_name: Mapped[str] = mapped_column(String(300), default="")
    pref_id: Mapped[str] = mapped_column(String(20), default="")
    pref_date: Mapped[date | None] = mapped_column(Date)
    vote_effectif: Mapped[int | None] = mapped_column(Integer)
    vote_reel: Mapped[int | None] = mapped_column(Integer)
    vote_pour: Mapped[int | None] = mapped_column(Integer)
    vote_contre: Mapped[int | None] = mapped_column(Integer)
    vote_abstention: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20), default=Outcome.UNKNOWN.value)
    url: Mapped[str] = mapped_column(String(1000), default="")
    body: Mapped[str] = deferred(mapped_column(Text, nullable=False, default=""))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[ActKind(self.kind)]

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[Outcome(self.outcome)]
