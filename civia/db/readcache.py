"""Short-lived caches of read-mostly rows (API tokens, the charter's version, a collectivité's
providers), so that a model call does not read them again every time.

Each cache is kept per database engine (one per app; two test databases whose rows share ids
never read each other's entries) and names the tables it is made of. A session that changed
one of those tables empties the cache when it commits, in this process, whatever the path (a
page, a command, a test, a bulk `update()`). Other processes (the other `civia serve` of the
at-scale profile, `civia worker`) see the change when their entry expires: `ttl_s`, a few
seconds, is the documented bound of every cache (`docs/architecture.md`).

A reader that loaded a value while a writer committed does not store it: every commit that
empties a cache also advances its generation, and a value is kept only if the generation it
was read under is still the current one.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, Table, event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

V = TypeVar("V")
_STALE = "civia_readcache_stale"  # key of Session.info: the tables a transaction changed

_caches: weakref.WeakSet[ReadCache[Any]] = weakref.WeakSet()
# Execution options of a bulk statement whose change the caller puts in the caches itself
# (`ReadCache.refresh`): its commit empties no cache.
KEEP: Mapping[str, Any] = MappingProxyType({"civia_readcache_keep": True})
clock = time.monotonic  # module-level so that a test can move time forward


class _Slot:
    """One engine's entries and generation."""

    __slots__ = ("entries", "generation")

    def __init__(self) -> None:
        self.entries: dict[Hashable, tuple[float, Any]] = {}
        self.generation = 0


class ReadCache(Generic[V]):
    """`get(db, key, load)`: the value cached for `key` on `db`'s engine, or `load()` (read in
    `db`), kept `ttl_s` seconds. `load` returning None is never cached (no negative entries:
    a wrong token does not take room, a row created elsewhere is seen at once)."""

    def __init__(self, name: str, ttl_s: float, tables: tuple[str, ...], max_entries: int = 10_000):
        self.name = name
        self.ttl_s = ttl_s
        self.tables = frozenset(tables)
        self.max_entries = max_entries
        self._slots: weakref.WeakKeyDictionary[Engine, _Slot] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        _caches.add(self)

    def _slot(self, engine: Engine) -> _Slot:
        with self._lock:
            slot = self._slots.get(engine)
            if slot is None:
                slot = self._slots[engine] = _Slot()
            return slot

    def get(self, db: Session, key: Hashable, load: Callable[[], V | None]) -> V | None:
        if _changed_in(db, self.tables):
            return load()  # this transaction's own, uncommitted changes: read, never kept
        slot = self._slot(_engine_of(db))
        hit = slot.entries.get(key)
        now = clock()
        if hit is not None and hit[0] > now:
            value: V = hit[1]
            return value
        generation = slot.generation
        found = load()
        if found is not None and not _changed_in(db, self.tables):
            with self._lock:
                if slot.generation == generation:
                    if len(slot.entries) >= self.max_entries:
                        slot.entries.clear()  # bounded memory; refilled by the next calls
                    slot.entries[key] = (now + self.ttl_s, found)
        return found

    def refresh(self, db: Session, key: Hashable, value: V) -> None:
        """Replace the value cached for `key` (if any, until its own expiry) after a change of
        its row that the caller made with `KEEP`: the other entries stay."""
        slot = self._slot(_engine_of(db))
        with self._lock:
            hit = slot.entries.get(key)
            if hit is not None:
                slot.entries[key] = (hit[0], value)

    def forget(self, engine: Engine) -> None:
        """Empty this engine's entries and advance its generation."""
        slot = self._slot(engine)
        with self._lock:
            slot.entries.clear()
            slot.generation += 1

    def clear(self) -> None:
        """Every engine's entries (tests that change rows behind the ORM's back)."""
        with self._lock:
            for slot in self._slots.values():
                slot.entries.clear()
                slot.generation += 1


def _engine_of(db: Session) -> Engine:
    bind = db.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _changed_in(db: Session, tables: frozenset[str]) -> bool:
    """True when `db`'s own transaction changed one of `tables` (not committed yet: another
    session must not be served what may be rolled back)."""
    stale: set[str] | None = db.info.get(_STALE)
    return bool(stale and not stale.isdisjoint(tables))


def _mark(session: Session, names: set[str]) -> None:
    if names:
        session.info.setdefault(_STALE, set()).update(names)


def mark(session: Session, *tables: str) -> None:
    """Say that `session` changes `tables` by a way no ORM event sees (a statement executed on
    its connection): the caches made of them are emptied when it commits."""
    _mark(session, set(tables))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    names: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(obj), "__table__", None)
        if isinstance(table, Table):
            names.add(table.name)
    _mark(session, names)


@event.listens_for(Session, "do_orm_execute")
def _bulk(state: ORMExecuteState) -> None:
    """`update()`, `delete()` and `insert()` statements (revoking all of a user's tokens,
    `insert_or_ignore`) change tables without going through the unit of work."""
    if state.execution_options.get("civia_readcache_keep"):
        return
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if isinstance(table, Table):
            _mark(state.session, {table.name})


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    stale: set[str] | None = session.info.pop(_STALE, None)
    if not stale:
        return
    try:
        engine: Engine | None = _engine_of(session)
    except Exception:  # a session without one bind: empty every engine's entries
        engine = None
    for cache in list(_caches):
        if not cache.tables.isdisjoint(stale):
            if engine is None:
                cache.clear()
            else:
                cache.forget(engine)


@event.listens_for(Session, "after_transaction_end")
def _after_end(session: Session, transaction: SessionTransaction) -> None:
    """A rolled back transaction changed nothing; a savepoint's end keeps the outer marks."""
    if transaction.parent is None:
        session.info.pop(_STALE, None)
