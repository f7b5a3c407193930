"""The keyed audit chain: rewriting it, moving its base or cutting it back needs a key that is
not in the database; signed checkpoints; erased logins; legacy entries after the migration."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from civia.audit import checkpoints as audit_checkpoints
from civia.audit import journal as audit
from civia.audit.models import GENESIS, AuditEntry, AuditHead
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.db.migrate import upgrade
from civia.governance import dsr
from civia.settings import get_settings
from tests.conftest import Personas, governance_hooks
from tests.governance.conftest import user


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CIVIA_AUDIT_KEY", "k" * 40)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _fill(db: Session, tenant_id: int, n: int) -> None:
    actor = user(db, "dpo")
    for i in range(n):
        audit.record(db, tenant_id=tenant_id, actor=actor, action="export.downloaded",
                     target=f"resultat:{i}", details={"n": i})  # fmt: skip
    db.commit()


def _chain(db: Session, chain: int) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.chain == chain).order_by(AuditEntry.seq)
    return list(db.scalars(stmt))


def test_a_chain_rewritten_without_the_key_is_detected(db: Session, people: Personas) -> None:
    tid = people.tenant.id
    _fill(db, tid, 4)
    # What sufficed before: edit an entry, recompute plain SHA-256 links and the head.
    db.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(details={"n": 99}))
    prev = GENESIS
    for e in _chain(db, tid):
        e.hash_version, e.prev_hash = 1, prev
        e.hash = hashlib.sha256(audit.canonical(e).encode()).hexdigest()
        prev = e.hash
    db.execute(update(AuditHead).where(AuditHead.chain == tid).values(last_hash=prev))
    db.commit()
    messages = [p.message for p in audit.verify(db)]
    assert any("sans clé" in m for m in messages)
    assert any("tête de la chaîne" in m for m in messages)


def test_the_key_is_not_in_the_database(
    db: Session, people: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(db, people.tenant.id, 2)
    assert audit.verify(db) == []
    monkeypatch.setenv("CIVIA_AUDIT_KEY", "another key of at least forty characters..")
    get_settings.cache_clear()
    assert audit.verify(db)  # the same rows no longer verify under another key


def test_base_moves_only_with_the_key(db: Session, people: Personas) -> None:
    tid = people.tenant.id
    _fill(db, tid, 5)
    old = datetime.now(UTC) + timedelta(days=400)  # pretend a year and more went by
    assert audit.purge(db, chain=tid, keep_days=365, now=old) == 5
    db.commit()
    assert audit.verify(db) == []  # the retention purge signs the new base
    _fill(db, tid, 3)
    third = _chain(db, tid)[0]
    # Someone with database access deletes the oldest kept entry and moves the base by hand.
    db.execute(delete(AuditEntry).where(AuditEntry.id == third.id))
    db.execute(
        update(AuditHead)
        .where(AuditHead.chain == tid)
        .values(base_seq=third.seq, base_hash=third.hash)
    )
    db.commit()
    assert next(p.message for p in audit.verify(db)).startswith("la tête de la chaîne")


def test_checkpoints_catch_a_chain_cut_back(db: Session, people: Personas) -> None:
    tid = people.tenant.id
    _fill(db, tid, 3)
    saved = db.execute(select(AuditHead.__table__).where(AuditHead.chain == tid)).one()._asdict()
    _fill(db, tid, 2)
    kept = audit_checkpoints.take(db, datetime.now(UTC))
    assert audit_checkpoints.verify(db, kept) == []
    cp = next(c for c in kept if c["chain"] == tid)
    assert (cp["seq"], cp["count"]) == (5, 5)
    # Cut the last two entries and put the old (validly signed) head back: verify alone passes.
    db.execute(delete(AuditEntry).where(AuditEntry.chain == tid, AuditEntry.seq > 3))
    db.execute(update(AuditHead).where(AuditHead.chain == tid).values(**saved))
    db.commit()
    assert audit.verify(db) == []
    problems = audit_checkpoints.verify(db, kept)
    assert problems and "perdu des entrées" in problems[0].message
    forged = [{**c, "seq": 3, "count": 3} for c in kept]
    assert "non signé" in audit_checkpoints.verify(db, forged)[0].message


def test_checkpoint_file_round_trip() -> None:
    line = json.dumps({"chain": 1, "seq": 2, "count": 2, "head_hash": "a", "time": "t",
                       "signature": "s"})  # fmt: skip
    assert audit_checkpoints.parse(f"{line}\n\n")[0]["seq"] == 2
    with pytest.raises(ValueError, match="ligne 1"):
        audit_checkpoints.parse("pas du json")


def _legacy_entry(db: Session, chain: int, seq: int, prev: str, actor: int, login: str) -> str:
    entry = AuditEntry(chain=chain, seq=seq, tenant_id=chain, actor_id=actor, actor_login=login,
                       action="login.failure", target=login, details={}, hash_version=1,
                       created_at=datetime.now(UTC), prev_hash=prev)  # fmt: skip
    entry.hash = hashlib.sha256(audit.canonical(entry).encode()).hexdigest()
    db.add(entry)
    return entry.hash


def test_erasure_leaves_no_login_in_the_chain(
    db: Session, people: Personas, tmp_path: Path
) -> None:
    tid, agent = people.tenant.id, user(db, "agent")
    # Two entries written before the key (plain SHA-256, the login inside), then keyed ones.
    prev = _legacy_entry(db, tid, 1, GENESIS, agent.id, "agent")
    prev = _legacy_entry(db, tid, 2, prev, agent.id, "agent")
    head = audit.HeadState(tid, 2, prev, 0, GENESIS, keyed_from=3)
    db.add(AuditHead(chain=tid, seq=2, last_hash=prev, base_seq=0, base_hash=GENESIS,
                     keyed_from=3, signature=audit.head_signature(head)))  # fmt: skip
    db.flush()
    audit.record(db, tenant_id=tid, actor=agent, action="charter.accepted")
    db.commit()
    assert audit.verify(db) == []
    dsr.erase_user(db, dpo=user(db, "dpo"), person=agent, hooks=governance_hooks(tmp_path))
    db.commit()
    assert audit.verify(db) == []  # legacy entries keep verifying, redacted under the key
    rows = _chain(db, tid)
    stored = json.dumps([(e.actor_login, e.target, e.details) for e in rows])
    assert '"agent"' not in stored
    names = audit.logins(db, rows)
    assert {audit.shown_login(e, names) for e in rows[:3]} == {f"efface-{agent.id}"}
    # A redacted legacy entry edited afterwards is still caught.
    db.execute(update(AuditEntry).where(AuditEntry.id == rows[0].id).values(action="x.y"))
    db.commit()
    assert audit.verify(db)[0].seq == 1


def test_legacy_log_verifies_after_the_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'legacy.db'}"
    upgrade(url, "0011_trust")
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as db:
        prev = GENESIS
        for seq in (1, 2, 3):
            fields = {"chain": 7, "seq": seq, "tenant_id": 7, "actor_id": 1, "actor_login": "a",
                      "action": "login.success", "target": "", "details": {},
                      "created_at": "2026-01-02T03:04:05.000000Z", "prev_hash": prev}  # fmt: skip
            text_ = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            digest = hashlib.sha256(text_.encode()).hexdigest()
            db.execute(
                text(
                    "INSERT INTO audit_entries (chain, seq, tenant_id, actor_id, actor_login, "
                    "action, target, details, created_at, prev_hash, hash) VALUES (7, :seq, 7, "
                    "1, 'a', 'login.success', '', '{}', '2026-01-02 03:04:05.000000', :prev, :h)"
                ),
                {"seq": seq, "prev": prev, "h": digest},
            )
            prev = digest
        db.execute(
            text("INSERT INTO audit_heads VALUES (7, 3, :h, 0, :g)"), {"h": prev, "g": GENESIS}
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as db:
        assert audit.verify(db) == []
        audit.record(db, tenant_id=7, actor=None, action="login.success")
        db.flush()
        assert [e.hash_version for e in _chain(db, 7)] == [1, 1, 1, 2]
        assert audit.verify(db) == []
    engine.dispose()
