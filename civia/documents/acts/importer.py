"""Import an SCDL file: validate each record, upsert it, report the rejected lines.

The same code runs in the background job (web uploads) and in `civia acts import-scdl`. Work
is committed in batches together with a checkpoint (`ActImport.rows_done` and the counts), so
a job resumed after a crash skips what is done, a cancelled import keeps the batches already
imported, and the progress bar moves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.db.base import utcnow
from civia.documents.acts.models import ActCorpus, ActImport, ImportStatus
from civia.documents.acts.records import ActRecord, RecordError, parse_record
from civia.documents.acts.scdl import Record, count_records, open_scdl, records
from civia.documents.acts.store import corpus_for, upsert_many
from civia.documents.acts.text import number_fr
from civia.jobs.models import FINISHED, Job, JobStatus

log = logging.getLogger(__name__)
MAX_REPORTED_ERRORS = 500
ANALYZE_AFTER = 1_000  # acts written by one import before the planner's statistics are renewed
CANCELLED_FR = "Import annulé : les lignes traitées avant l'annulation restent importées."
BATCH_SIZE = 200

Progress = Callable[[float, str], None]


def create_import(
    session: Session, *, tenant_id: int, user_id: int | None, filename: str, data: bytes
) -> ActImport:
    """Check the file as a whole (raises `ScdlFormatError`) and record the import."""
    scdl = open_scdl(data, filename)
    row = ActImport(
        tenant_id=tenant_id,
        user_id=user_id,
        filename=filename[:300],
        size_bytes=len(data),
        data=data,
        status=ImportStatus.QUEUED.value,
        notes=scdl.notes,
        errors=[],
    )
    session.add(row)
    session.flush()
    return row


@dataclass
class _Run:
    import_id: int
    tenant_id: int
    user_id: int | None
    seen: set[tuple[str, str, str]]
    repeated: int = 0


def run_import(
    sessions: sessionmaker[Session],
    *,
    import_id: int,
    progress: Progress | None = None,
    batch_size: int | None = None,
) -> ActImport:
    """Import (or resume importing) the file of `import_id`; returns the finished import row
    (detached). Raises `ScdlFormatError` for a file that cannot be read at all."""
    with sessions() as db:
        row = _load(db, import_id)
        data, filename, skip = row.data, row.filename, row.rows_done
        run = _Run(import_id, row.tenant_id, row.user_id, set())
        row.status = ImportStatus.RUNNING.value
        db.commit()
    scdl = open_scdl(data, filename)
    total = count_records(scdl)
    with sessions() as db:
        _load(db, import_id).rows_total = total
        db.commit()
    batch_size = batch_size or BATCH_SIZE
    batch: list[Record] = []
    done = 0
    for record in records(scdl):
        done += 1
        if done <= skip:
            continue
        batch.append(record)
        if len(batch) >= batch_size:
            _apply(sessions, run, batch)
            batch = []
            if progress is not None:
                progress(
                    done / max(total, 1),
                    f"Lignes traitées : {number_fr(done)} sur {number_fr(total)}",
                )
    if batch:
        _apply(sessions, run, batch)
    return _finish(sessions, run)


def _load(db: Session, import_id: int) -> ActImport:
    row = db.get(ActImport, import_id)
    if row is None:
        raise LookupError(f"act import {import_id} is gone")
    return row


def _reject(row: ActImport, line: int, reason: str) -> None:
    row.rejected += 1
    if len(row.errors) < MAX_REPORTED_ERRORS:
        row.errors = [*row.errors, {"line": line, "reason": reason}]


def _apply(sessions: sessionmaker[Session], run: _Run, batch: list[Record]) -> None:
    with sessions() as db:
        row = _load(db, run.import_id)
        corpus = corpus_for(db, run.tenant_id)
        valid: list[tuple[int, ActRecord]] = []
        for record in batch:
            if record.values is None:
                _reject(row, record.line, record.error)
                continue
            try:
                parsed = parse_record(record.values)
            except RecordError as exc:
                _reject(row, record.line, exc.message_fr)
                continue
            if parsed.key in run.seen:
                run.repeated += 1
            run.seen.add(parsed.key)
            valid.append((record.line, parsed))
        try:
            with db.begin_nested():
                outcomes = _upsert(db, corpus, run, [parsed for _, parsed in valid])
        except IntegrityError:
            # Another import wrote one of these acts meanwhile: isolate the conflicting lines.
            outcomes = []
            for line, parsed in valid:
                try:
                    with db.begin_nested():
                        outcomes += _upsert(db, corpus, run, [parsed])
                except IntegrityError:
                    _reject(row, line, "conflit avec un autre import du même acte ; réessayez")
        for outcome in outcomes:
            setattr(row, outcome, getattr(row, outcome) + 1)
        row.rows_done += len(batch)
        db.commit()


def _upsert(db: Session, corpus: ActCorpus, run: _Run, parsed: list[ActRecord]) -> list[str]:
    done = upsert_many(
        db, corpus=corpus, records=parsed, imported_by_id=run.user_id, import_id=run.import_id
    )
    return done.outcomes


def _finish(sessions: sessionmaker[Session], run: _Run) -> ActImport:
    with sessions() as db:
        row = _load(db, run.import_id)
        if run.repeated:
            row.notes = [
                *row.notes,
                f"{run.repeated} ligne(s) répètent un acte déjà lu plus haut dans le fichier "
                "(même COLL_SIRET et DELIB_ID) : la dernière version est gardée.",
            ]
        row.status = ImportStatus.DONE.value
        row.finished_at = utcnow()
        row.data = b""  # the file is not needed any more; the acts hold what it said
        user = db.get(User, run.user_id) if run.user_id else None
        audit.record(
            db,
            tenant_id=run.tenant_id,
            actor=user,
            action="acts.imported",
            target=f"import:{row.id}",
            details={
                "created": row.created,
                "updated": row.updated,
                "unchanged": row.unchanged,
                "rejected": row.rejected,
            },
        )
        db.commit()
        if row.created + row.updated >= ANALYZE_AFTER:
            _refresh_statistics(db)
        db.refresh(row)
        db.expunge(row)
        return row


def _refresh_statistics(db: Session) -> None:
    """After a large import, PostgreSQL's planner still believes the tables small until
    autovacuum comes by, and picks sequential scans that recompute every chunk's tsvector:
    searches took 1.6-7 s instead of 0.07-0.4 s at 20,000 acts (bench/results/acts.md)."""
    if db.get_bind().dialect.name == "postgresql":
        for table in ("acts", "doc_documents", "doc_chunks"):
            db.execute(text(f"ANALYZE {table}"))
        db.commit()


def reconcile(db: Session, row: ActImport, job: Job | None) -> ActImport:
    """An import whose job ended without running it (cancelled while queued, failed by the
    stale-job sweep) takes the job's outcome, and its file is dropped."""
    unfinished = (ImportStatus.QUEUED.value, ImportStatus.RUNNING.value)
    if job is None or job.status not in FINISHED or row.status not in unfinished:
        return row
    if job.status == JobStatus.CANCELLED.value:
        row.status, row.message = ImportStatus.CANCELLED.value, CANCELLED_FR
    else:
        row.status = ImportStatus.FAILED.value
        row.message = job.error or "L'import n'a pas pu être mené à terme."
    row.finished_at, row.data = job.finished_at or utcnow(), b""
    return row


def mark(
    sessions: sessionmaker[Session], import_id: int, status: ImportStatus, message: str = ""
) -> None:
    """Record how an import ended when it did not finish (failed, cancelled)."""
    with sessions() as db:
        row = db.get(ActImport, import_id)
        if row is None:
            return
        row.status, row.message, row.finished_at = status.value, message, utcnow()
        row.data = b""  # neither a failed nor a cancelled import is resumed
        db.commit()
