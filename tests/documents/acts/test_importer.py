"""SCDL import on SQLite and PostgreSQL: counts, rejected lines, upsert, resume, re-index."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from civia.documents.acts import lexical
from civia.documents.acts.models import Act, ActImport
from civia.documents.lexical import query_terms
from civia.documents.models import Chunk, Document
from tests.documents.acts.conftest import BELLECOMBE, SAINT_AUBIN, ActsWorld, read


def _counts(row: ActImport) -> tuple[int, int, int, int]:
    return row.created, row.updated, row.unchanged, row.rejected


def _total(world: ActsWorld, model: type) -> int:
    with world.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def _found(world: ActsWorld, words: str) -> int:
    with world.sessions() as db:
        scope = world.scope(db, "agent")
        return lexical.count(db, query_terms(words), collection_ids=scope.collection_ids, where=[])


def test_both_fixture_files_import_with_their_bad_lines_reported(acts_world: ActsWorld) -> None:
    first = acts_world.import_file("demoville", SAINT_AUBIN)
    assert _counts(first) == (17, 0, 1, 5) and first.rows_done == first.rows_total == 23
    assert [(e["line"], e["reason"][:40]) for e in first.errors] == [
        (21, "La date de l'acte (DELIB_DATE) « 31/02/2"),
        (22, "le SIRET « 2.14902734E+13 » est écrit en"),
        (23, "l'objet (DELIB_OBJET) est vide"),
        (24, "VOTE_POUR « vingt et un » n'est pas un n"),
        (29, "la ligne compte 20 champs au lieu de 19 "),
    ]
    assert any("1 ligne(s) répètent un acte" in note for note in first.notes)
    assert first.status == "done"
    with acts_world.sessions() as db:
        assert db.get(ActImport, first.id).data == b""  # type: ignore[union-attr]  # not kept
    second = acts_world.import_file("demoville", BELLECOMBE)
    assert _counts(second) == (8, 0, 0, 2)
    assert [e["line"] for e in second.errors] == [10, 11]
    with acts_world.sessions() as db:
        budget = db.scalar(select(Act).where(Act.identifier == "2024-001"))
        assert budget is not None
        assert (budget.coll_siret, budget.act_date, budget.kind) == (
            "21490273400011",
            date(2024, 1, 25),
            "deliberation",
        )
        assert (budget.vote_pour, budget.vote_contre, budget.outcome) == (17, 4, "opposition")
        assert (budget.pref_id, budget.pref_date) == ("PREF049", date(2024, 1, 29))
        brocante = db.scalar(select(Act).where(Act.identifier == "AR-2024-031"))
        assert brocante is not None and brocante.kind == "arrete"
        assert brocante.outcome == "sans_vote" and "place de l'Église" in brocante.objet
        fixed = db.scalar(select(Act).where(Act.identifier == "D2024-04"))
        assert fixed is not None and fixed.url == "https://www.bellecombe.fr/actes/d2024-04.pdf"
        # Every act is a ready document of the tenant's acts collection, with its chunks.
        documents = db.scalars(select(Document).join(Act, Act.document_id == Document.id)).all()
        assert len(documents) == 25 and {d.status for d in documents} == {"ready"}
        assert len({d.collection_id for d in documents}) == 1
    assert _found(acts_world, "brocante") == 4 and _found(acts_world, "unanimité") > 5


def test_reimporting_updates_without_duplicating(acts_world: ActsWorld) -> None:
    acts_world.import_file("demoville", SAINT_AUBIN)
    before = (_total(acts_world, Act), _total(acts_world, Document), _total(acts_world, Chunk))
    again = acts_world.import_file("demoville", SAINT_AUBIN)
    assert _counts(again) == (0, 0, 18, 5)
    edited = (
        read(SAINT_AUBIN)
        .decode("cp1252")
        .replace(
            "Convention de partenariat avec l'école de musique", "Convention avec le conservatoire"
        )
        .replace('"2024-014";"20/06/2024";"8.2"', '"2024-014";"21/06/2024";"8.2"')
        .encode("cp1252")
    )
    changed = acts_world.import_bytes("demoville", edited)
    assert _counts(changed) == (0, 2, 16, 5)
    after = (_total(acts_world, Act), _total(acts_world, Document), _total(acts_world, Chunk))
    assert after == before  # re-indexed in place: nothing added, nothing left behind
    assert _found(acts_world, "conservatoire") == 1 and _found(acts_world, "partenariat") == 0
    with acts_world.sessions() as db:
        ccas = db.scalar(select(Act).where(Act.identifier == "2024-014"))
        assert ccas is not None and ccas.act_date == date(2024, 6, 21)


def test_the_key_is_per_importing_tenant(acts_world: ActsWorld) -> None:
    acts_world.import_file("demoville", BELLECOMBE)
    other = acts_world.import_file("cdg", BELLECOMBE)  # a centre de gestion imports it too
    assert _counts(other) == (8, 0, 0, 2)
    with acts_world.sessions() as db:
        tenants = db.scalars(select(Act.tenant_id).where(Act.identifier == "D2024-01")).all()
        assert sorted(tenants) == sorted(
            [acts_world.tenants["demoville"], acts_world.tenants["cdg"]]
        )


def test_an_interrupted_import_resumes_from_its_checkpoint(acts_world: ActsWorld) -> None:
    from civia.documents.acts.importer import create_import, run_import

    with acts_world.sessions() as db:
        row = create_import(
            db, tenant_id=acts_world.tenants["demoville"], user_id=None,
            filename=BELLECOMBE, data=read(BELLECOMBE),
        )  # fmt: skip
        db.commit()
        import_id = row.id

    def crash(fraction: float, message: str) -> None:
        raise RuntimeError("the worker died")

    with pytest.raises(RuntimeError):
        run_import(acts_world.sessions, import_id=import_id, progress=crash, batch_size=4)
    with acts_world.sessions() as db:
        halfway = db.get(ActImport, import_id)
        assert halfway is not None and halfway.rows_done == 4 and halfway.created == 4
        assert halfway.data  # still there for the next attempt
    done = run_import(acts_world.sessions, import_id=import_id, batch_size=4)
    assert _counts(done) == (8, 0, 0, 2) and done.rows_done == 10
    assert _total(acts_world, Act) == 8
