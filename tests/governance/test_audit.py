"""The audit log: chained appends, tamper detection, concurrency, retention, filters and CSV."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from civia.audit import journal as audit
from civia.audit.models import GENESIS, AuditEntry
from civia.db.engine import session_scope
from tests.conftest import Personas
from tests.governance.conftest import user


def _fill(db: Session, tenant_id: int, n: int = 5) -> None:
    actor = user(db, "dpo")
    for i in range(n):
        audit.record(
            db,
            tenant_id=tenant_id,
            actor=actor,
            action="export.downloaded",
            target=f"resultat:{i}",
            details={"fmt": "docx", "n": i},
        )
    db.commit()


def test_entries_are_chained_per_tenant(db: Session, people: Personas) -> None:
    _fill(db, people.tenant.id, 3)
    _fill(db, people.other_tenant.id, 2)
    audit.record(db, tenant_id=None, actor=None, action="login.failure", target="inconnu")
    db.commit()
    rows = db.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    mine = [r for r in rows if r.chain == people.tenant.id]
    assert [r.seq for r in mine] == [1, 2, 3]
    assert mine[0].prev_hash == GENESIS and mine[1].prev_hash == mine[0].hash
    assert [r.seq for r in rows if r.chain == people.other_tenant.id] == [1, 2]
    assert rows[-1].chain == 0 and rows[-1].actor_login == "" and rows[-1].tenant_id is None
    # Pseudonymous: the id is chained, the login is looked up when shown.
    assert mine[0].actor_login == "" and mine[0].details == {"fmt": "docx", "n": 0}
    assert audit.shown_login(mine[0], audit.logins(db, mine)) == "dpo"
    assert audit.verify(db) == []


TAMPERING = {"edit": 3, "edit_details": 3, "delete": 4, "insert": 5, "truncate": 5}  # → first seq


def _tamper(db: Session, chain: int, tamper: str) -> None:
    where = (AuditEntry.chain == chain) & (AuditEntry.seq == 3)
    if tamper == "edit":
        db.execute(update(AuditEntry).where(where).values(actor_id=999))
    elif tamper == "edit_details":
        db.execute(update(AuditEntry).where(where).values(details={"fmt": "pdf", "n": 2}))
    elif tamper == "delete":
        db.execute(delete(AuditEntry).where(where))
    elif tamper == "truncate":
        db.execute(delete(AuditEntry).where((AuditEntry.chain == chain) & (AuditEntry.seq == 5)))
    else:  # a perfectly forged entry slipped between 3 and 4, the rest renumbered
        for shift in (1000, -999):  # two steps: UNIQUE(chain, seq) holds at each one
            db.execute(
                update(AuditEntry)
                .where((AuditEntry.chain == chain) & (AuditEntry.seq > 3))
                .values(seq=AuditEntry.seq + shift)
            )
        third = db.scalar(select(AuditEntry).where(where))
        assert third is not None
        forged = AuditEntry(
            chain=chain,
            seq=4,
            tenant_id=chain,
            action="login.success",
            actor_login="",
            target="",
            details={},
            created_at=datetime.now(UTC),
            prev_hash=third.hash,
        )
        forged.hash = audit.entry_hash(forged)
        db.add(forged)


def test_verify_detects_tampering(db: Session, people: Personas) -> None:
    # One chain per kind of tampering (audit entries carry no foreign key: any id will do),
    # next to an intact one.
    chains = {tamper: 100 + i for i, tamper in enumerate(TAMPERING)}
    for chain in [*chains.values(), people.tenant.id]:
        _fill(db, chain, 5)
    assert audit.verify(db) == []
    for tamper, chain in chains.items():
        _tamper(db, chain, tamper)
    db.commit()
    problems = audit.verify(db)
    first = {}
    for p in problems:
        first.setdefault(p.chain, p)
    assert set(first) == set(chains.values())  # the intact chain is not reported
    for tamper, chain in chains.items():
        assert first[chain].seq == TAMPERING[tamper], (tamper, [str(p) for p in problems])
    assert audit.verify(db, chain=people.tenant.id) == []


def test_details_are_sanitised_and_actions_checked(db: Session, people: Personas) -> None:
    entry = audit.record(
        db,
        tenant_id=people.tenant.id,
        actor=audit.Actor(people["agent"].id, "agent"),
        action="pii.masked",
        details={
            "counts": {"NIR": 1, "PERSON": 2},
            "note": "x" * 1000,
            "when": datetime(2025, 1, 1),
        },
    )
    assert entry.details["counts"] == {"NIR": 1, "PERSON": 2}
    assert len(entry.details["note"]) == audit.MAX_STRING
    assert entry.details["when"] == "2025-01-01 00:00:00"
    assert (entry.actor_id, entry.actor_login) == (people["agent"].id, "")
    with pytest.raises(audit.AuditError):
        audit.record(db, tenant_id=1, actor=None, action="DROP TABLE")
    db.commit()
    assert audit.verify(db) == []


def test_concurrent_appends_never_fork(
    factory: sessionmaker[Session], people: Personas, db_url: str
) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(8):
                with session_scope(factory) as s:
                    audit.record(
                        s,
                        tenant_id=people.tenant.id,
                        actor=None,
                        action="login.success",
                        target=f"w{n}-{i}",
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with session_scope(factory) as db:
        seqs = db.scalars(select(AuditEntry.seq).where(AuditEntry.chain == people.tenant.id))
        assert sorted(seqs) == list(range(1, 49))
        assert audit.verify(db) == []


def test_purge_keeps_six_months_and_the_chain_verifiable(db: Session, people: Personas) -> None:
    tid = people.tenant.id
    _fill(db, tid, 6)
    now = datetime.now(UTC)
    ages = {1: 400, 2: 300, 3: 200, 4: 150, 5: 10, 6: 0}  # days
    for seq, age in ages.items():
        db.execute(
            update(AuditEntry)
            .where(AuditEntry.chain == tid, AuditEntry.seq == seq)
            .values(created_at=now - timedelta(days=age))
        )
    # Re-seal the edited dates so the chain is valid again before the purge.
    prev = GENESIS
    for e in db.scalars(select(AuditEntry).where(AuditEntry.chain == tid).order_by(AuditEntry.seq)):
        e.prev_hash = prev
        e.hash = audit.entry_hash(e)
        prev = e.hash
    head = audit._read_head(db, tid)
    head.last_hash = prev
    audit._write_head(db, head)  # as only the key holder can
    db.commit()
    assert audit.verify(db) == []
    # Asking for 1 day still keeps everything younger than six months.
    assert audit.purge(db, chain=tid, keep_days=1, now=now) == 3
    db.commit()
    left = db.scalars(select(AuditEntry.seq).where(AuditEntry.chain == tid)).all()
    assert sorted(left) == [4, 5, 6]
    assert audit.verify(db) == []
    audit.record(db, tenant_id=tid, actor=None, action="audit.purged", details={"removed": 3})
    db.commit()
    assert audit.verify(db) == []
    assert audit.purge(db, chain=tid, keep_days=365, now=now) == 0


def test_search_filters_and_csv(db: Session, people: Personas) -> None:
    tid = people.tenant.id
    _fill(db, tid, 3)
    audit.record(
        db,
        tenant_id=tid,
        actor=user(db, "admin"),
        action="user.role_changed",
        target="user:1",
        details={"from": "agent", "to": "referent"},
    )
    audit.record(db, tenant_id=people.other_tenant.id, actor=None, action="user.role_changed")
    db.commit()
    entries, total = audit.search(db, tenant_id=tid, filters=audit.Filters(action="user."))
    assert total == 1 and audit.shown_login(entries[0], audit.logins(db, entries)) == "admin"
    _, total = audit.search(db, tenant_id=tid, filters=audit.Filters(login="DPO"))
    assert total == 3
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    _, total = audit.search(db, tenant_id=tid, filters=audit.Filters(since=tomorrow))
    assert total == 0
    stmt = audit.query(db, tenant_id=tid, filters=audit.Filters())
    text = "".join(audit.csv_rows(db, db.scalars(stmt)))
    lines = text.strip().splitlines()
    assert lines[0].startswith("\ufeffseq;horodatage_utc;utilisateur;action")  # French Excel
    assert len(lines) == 5 and "Rôle modifié" in lines[1]
    assert '"{""from"": ""agent"", ""to"": ""referent""}"' in lines[1]
