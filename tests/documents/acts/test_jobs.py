"""The import and vectorisation jobs through a real worker, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from civia.documents.acts import importer
from civia.documents.acts.importer import create_import
from civia.documents.acts.jobs import IMPORT_KIND, QUEUE
from civia.documents.acts.models import Act, ActImport
from civia.jobs import queue
from civia.jobs.models import Job
from civia.jobs.worker import Worker
from civia.settings import Settings
from tests.documents.acts.conftest import BELLECOMBE, ActsWorld, read


def _enqueue(world: ActsWorld, data: bytes, name: str = BELLECOMBE) -> tuple[int, int]:
    with world.sessions() as db:
        row = create_import(
            db, tenant_id=world.tenants["demoville"], user_id=world.users["referent"],
            filename=name, data=data,
        )  # fmt: skip
        job = queue.enqueue(
            db, tenant_id=row.tenant_id, user_id=row.user_id, kind=IMPORT_KIND, queue=QUEUE,
            payload={"import_id": row.id, "name": name},
        )  # fmt: skip
        row.job_id = job.id
        db.commit()
        return row.id, job.id


def _worker(world: ActsWorld, tmp_path: Path) -> Worker:
    return Worker(world.sessions, Settings(data_dir=tmp_path, jobs_in_process=False), {})


def test_import_job_then_vectors(acts_world: ActsWorld, tmp_path: Path) -> None:
    import_id, job_id = _enqueue(acts_world, read(BELLECOMBE))
    worker = _worker(acts_world, tmp_path)
    assert worker.run_once(QUEUE)
    with acts_world.sessions() as db:
        job = db.get(Job, job_id)
        assert job is not None and job.status == "done" and job.progress == 1.0
        assert job.result["url"] == f"/actes/imports/{import_id}"
        assert (job.result["created"], job.result["rejected"]) == (8, 2)
        embed = db.scalar(select(Job).where(Job.kind == "acts.embed"))
        assert embed is not None and embed.status == "queued"
        assert embed.user_id == acts_world.users["referent"]  # it shows in their /travaux
    assert worker.run_once(QUEUE)
    with acts_world.sessions() as db:
        embed = db.scalar(select(Job).where(Job.kind == "acts.embed"))
        assert embed is not None and embed.status == "done" and embed.result["acts"] == 8
    # Re-importing the same file changes nothing, so no vectorisation job is queued.
    _enqueue(acts_world, read(BELLECOMBE))
    assert worker.run_once(QUEUE) and not worker.run_once(QUEUE)


def test_a_cancelled_import_keeps_the_batches_done(
    acts_world: ActsWorld, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(importer, "BATCH_SIZE", 3)
    import_id, job_id = _enqueue(acts_world, read(BELLECOMBE))
    apply = importer._apply

    def apply_then_cancel(*args: object) -> None:
        apply(*args)  # type: ignore[arg-type]
        with acts_world.sessions() as db:  # the user clicks « Annuler » during the first batch
            assert queue.cancel(db, db.get(Job, job_id))  # type: ignore[arg-type]
            db.commit()

    monkeypatch.setattr(importer, "_apply", apply_then_cancel)
    _worker(acts_world, tmp_path).run_once(QUEUE)
    with acts_world.sessions() as db:
        row = db.get(ActImport, import_id)
        assert row is not None and row.status == "cancelled" and "annulé" in row.message
        assert row.rows_done == 3 and db.query(Act).count() == 3 and row.data == b""
        assert db.get(Job, job_id).status == "cancelled"  # type: ignore[union-attr]


def test_an_import_cancelled_before_it_started_says_so(
    acts_world: ActsWorld, tmp_path: Path
) -> None:
    import_id, job_id = _enqueue(acts_world, read(BELLECOMBE))
    with acts_world.sessions() as db:
        assert queue.cancel(db, db.get(Job, job_id))  # type: ignore[arg-type]
        db.commit()
        row, job = db.get(ActImport, import_id), db.get(Job, job_id)
        assert row is not None and job is not None and row.status == "queued"
        importer.reconcile(db, row, job)
        db.commit()
    with acts_world.sessions() as db:
        row = db.get(ActImport, import_id)
        assert row is not None and row.status == "cancelled" and row.data == b""
        assert "annulé" in row.message


def test_an_unreadable_file_fails_the_job_with_its_reason(
    acts_world: ActsWorld, tmp_path: Path
) -> None:
    good = read(BELLECOMBE)
    import_id, job_id = _enqueue(acts_world, good)
    with acts_world.sessions() as db:  # the file changed under us (a crafted resumed job)
        row = db.get(ActImport, import_id)
        assert row is not None
        row.data = b"titre;date\nx;y\n"
        db.commit()
    _worker(acts_world, tmp_path).run_once(QUEUE)
    with acts_world.sessions() as db:
        job, row = db.get(Job, job_id), db.get(ActImport, import_id)
        assert job is not None and row is not None
        assert job.status == "failed" and "colonne(s) obligatoire(s) absente(s)" in job.error
        assert row.status == "failed" and row.message == job.error
