"""Erasure of a person cited in others' texts (GDPR Art. 17), e.g. a citizen who is not a user.

The DPO describes the person (`Subject`); `search` walks every registered text store and
returns where the person is mentioned, whose text it is, and a masked excerpt; `erase`
redacts the selected items. Both are audited with counts only: the name never enters the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.jobs import queue
from civia.plugins.registries import Governance, TextStore
from civia.plugins.text_stores import Item
from civia.privacy.mentions import MentionMatcher, Subject, engine_persons, mask

EXCERPT_CONTEXT = 60
MAX_ITEMS = 1000


class SubjectError(ValueError):
    """What is wrong with the description of the person (French)."""


@dataclass(frozen=True)
class Found:
    store: str
    key: str
    where: str
    owner: str
    mentions: int
    excerpt: str

    @property
    def ref(self) -> str:
        return f"{self.store}|{self.key}"


@dataclass
class Findings:
    variants: list[str]
    weak_variants: list[str]
    labels: dict[str, str]  # store → French label
    items: list[Found] = field(default_factory=list)
    truncated: bool = False

    def by_store(self) -> dict[str, list[Found]]:
        grouped: dict[str, list[Found]] = {}
        for item in self.items:
            grouped.setdefault(item.store, []).append(item)
        return grouped

    def counts(self) -> dict[str, int]:
        return {store: len(items) for store, items in self.by_store().items()}


def stores(hooks: Governance) -> dict[str, TextStore]:
    if not hooks.text_stores:  # searching nothing would tell the DPO the person is cited nowhere
        raise RuntimeError("no text stores registered: build the registries with the plugins")
    return hooks.text_stores


def labels(hooks: Governance) -> dict[str, str]:
    return {name: store.label for name, store in stores(hooks).items()}


def check(subject: Subject) -> Subject:
    if len(subject.last_name.strip()) < 2:
        raise SubjectError(
            "Indiquez au moins le nom de famille de la personne (2 lettres ou plus)."
        )
    if subject.civility not in ("", "madame", "monsieur"):
        raise SubjectError("Civilité inconnue.")
    return subject


def matcher(subject: Subject) -> MentionMatcher:
    return MentionMatcher(check(subject), confirm=engine_persons)


def _owners(db: Session, ids: set[int]) -> dict[int, str]:
    rows = db.execute(select(User.id, User.display_name, User.login).where(User.id.in_(ids)))
    return {uid: f"{name} ({login})" for uid, name, login in rows}


def excerpt(text: str, spans: Sequence[tuple[int, int]], context: int = EXCERPT_CONTEXT) -> str:
    """The words around the first mention, every mention in sight masked (« J… D… »)."""
    first_start, first_end = spans[0]
    low, high = max(0, first_start - context), min(len(text), first_end + context)
    pieces, position = [], low
    for start, end in spans:
        if start >= position and end <= high:
            pieces += [text[position:start], f"[{mask(text[start:end])}]"]
            position = end
    pieces.append(text[position:high])
    shown = "".join(pieces)
    if low > 0:
        shown = "…" + shown.split(" ", 1)[-1]
    if high < len(text):
        shown = shown.rsplit(" ", 1)[0] + "…"
    return " ".join(shown.split())


def search(db: Session, *, dpo: User, subject: Subject, hooks: Governance) -> Findings:
    found = matcher(subject)
    registry = stores(hooks)
    result = Findings(
        found.variants, found.weak_variants, {n: s.label for n, s in registry.items()}
    )
    anchors = found.anchors()
    raw: list[tuple[str, Item, list[tuple[int, int]]]] = []
    for name, store in registry.items():
        for item in store.finder(db, dpo.tenant_id, anchors):
            mentions = found.find(item.text)
            if mentions:
                raw.append((name, item, [(m.start, m.end) for m in mentions]))
                if len(raw) >= MAX_ITEMS:
                    result.truncated = True
                    break
        if result.truncated:
            break
    owners = _owners(db, {item.owner_id for _, item, _ in raw if item.owner_id})
    for name, item, spans in raw:
        owner = owners.get(item.owner_id, "—") if item.owner_id else "—"
        result.items.append(
            Found(name, item.key, item.where, owner, len(spans), excerpt(item.text, spans))
        )
    audit.record(
        db,
        tenant_id=dpo.tenant_id,
        actor=dpo,
        action="dsr.search",
        target="personne-citee",
        details={"found": result.counts(), "truncated": result.truncated},
    )
    return result


def erase(
    db: Session, *, dpo: User, subject: Subject, refs: Sequence[str], hooks: Governance
) -> dict[str, int]:
    """Redact the selected items (`Found.ref`); returns replacements per store."""
    found = matcher(subject)
    registry = stores(hooks)
    keys: dict[str, list[str]] = {}
    for ref in refs:
        store, _, key = ref.partition("|")
        if store in registry and key:
            keys.setdefault(store, []).append(key)
    counts = {
        name: registry[name].redactor(db, dpo.tenant_id, selected, found.redact)
        for name, selected in keys.items()
    }
    counts = {name: n for name, n in counts.items() if n}
    if counts.get("documents"):
        queue.enqueue(
            db,
            tenant_id=dpo.tenant_id,
            user_id=dpo.id,
            kind="governance.reembed",
            queue="ingestion",
            payload={"tenant_id": dpo.tenant_id},
        )
    audit.record(
        db,
        tenant_id=dpo.tenant_id,
        actor=dpo,
        action="dsr.redact",
        target="personne-citee",
        details={"replacements": counts, "items": sum(len(v) for v in keys.values())},
    )
    return counts
