"""Publishing to, withdrawing from and adopting out of the shared catalogue.

What is published is a snapshot of data only: an Atelier assistant's spec without its governed
fields (status, sharing, sensitivity: `builder.GOVERNED`) and without the collections a référent
fixed (`without_collections`), or a diagnostic grid. Adopting makes a copy in the adopter's own
collectivité: an assistant as a draft of the adopter's service (its card, review and publication
are the adopter's governance, as for an imported file), a grid as one of its grids; both carry a
French lineage line naming the entry, its version and date, and the publisher only when it chose
to be named. Withdrawing hides an entry; copies already adopted stay.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts import roles
from civia.accounts.models import User
from civia.assistants import builder
from civia.assistants.builder import BuilderError
from civia.assistants.spec import AssistantSpec, without_collections
from civia.audit import journal as audit
from civia.catalogue.models import CatalogueEntry
from civia.dates import date_fr
from civia.db.base import utcnow
from civia.planning.grid import Grid, GridError, builtin, load_text, parse
from civia.planning.models import PlanningGrid


class Kind(StrEnum):
    ASSISTANT = "assistant"
    GRID = "grille"


KIND_LABELS = {Kind.ASSISTANT: "Assistant", Kind.GRID: "Grille de diagnostic"}
# Who publishes and adopts each kind: the Atelier's builders, the diagnostic's steering.
ROLES = {Kind.ASSISTANT: roles.BUILDERS, Kind.GRID: roles.STEERING}
ANONYMOUS = "une collectivité qui a choisi de ne pas être nommée"


class CatalogueError(ValueError):
    """A French message and the HTTP status that goes with it."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


NOT_FOUND = "Cette fiche n'est pas (ou plus) dans le catalogue partagé."


def may(user: User, kind: str) -> bool:
    """Whether the user's role publishes and adopts this kind of item."""
    return kind in ROLES and user.role in ROLES[Kind(kind)]


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise CatalogueError("Type d'élément inconnu : assistant ou grille.", 422) from None


# --- What the publishing collectivité may publish.


def publishable_assistants(db: Session, user: User) -> list[tuple[str, str]]:
    """(slug, name) of the Atelier assistants the user may edit (an admin: all of them)."""
    if not may(user, Kind.ASSISTANT):
        return []
    return [
        (row.slug, str(row.spec.get("name", row.slug))) for row in builder.listed(db, user=user)
    ]


def publishable_grids(db: Session, user: User) -> list[tuple[str, str]]:
    """(slug, title) of the collectivité's own grids (the built-in one is everyone's already)."""
    if not may(user, Kind.GRID):
        return []
    rows = db.execute(
        select(PlanningGrid.slug, PlanningGrid.title)
        .where(PlanningGrid.tenant_id == user.tenant_id)
        .order_by(PlanningGrid.title)
    )
    return [(slug, title) for slug, title in rows]


def _snapshot(db: Session, user: User, kind: Kind, key: str) -> tuple[dict[str, Any], str, str]:
    """(payload, title, description) of one of the user's items, or 404."""
    if kind is Kind.ASSISTANT:
        row = builder.editable(db, user=user, slug=key)
        if row is None:
            raise CatalogueError("Assistant introuvable dans votre atelier.", 404)
        payload = without_collections(
            {k: v for k, v in row.spec.items() if k not in builder.GOVERNED}
        )
        spec = builder.validate(payload)  # the stored spec is valid; a snapshot must be too
        return payload, spec.name, spec.description
    grid_row = db.scalar(
        select(PlanningGrid).where(
            PlanningGrid.tenant_id == user.tenant_id, PlanningGrid.slug == key
        )
    )
    if grid_row is None:
        raise CatalogueError("Grille introuvable parmi celles de votre collectivité.", 404)
    grid = load_text(grid_row.source)
    return grid.model_dump(mode="json"), grid.title, grid.description


# --- Publishing and withdrawing (the publisher's side).


def publish(
    db: Session, *, user: User, kind: str, key: str, description: str = "", named: bool = False
) -> CatalogueEntry:
    """Put a snapshot of one of the user's items in the catalogue (again: a new version)."""
    found = _kind(kind)
    if not may(user, found):
        raise CatalogueError("Votre rôle ne permet pas de publier ce type d'élément.", 404)
    payload, title, default_description = _snapshot(db, user, found, key)
    entry = db.scalar(
        select(CatalogueEntry).where(
            CatalogueEntry.tenant_id == user.tenant_id,
            CatalogueEntry.kind == found.value,
            CatalogueEntry.source_key == key,
        )
    )
    if entry is None:
        entry = CatalogueEntry(tenant_id=user.tenant_id, kind=found.value, source_key=key)
        entry.version = 1
        db.add(entry)
    else:
        entry.version += 1
    entry.title = title
    entry.description = (description.strip() or default_description)[:2000]
    entry.payload = payload
    entry.publisher_label = user.tenant.name if named else ""
    entry.published_at, entry.withdrawn_at = utcnow(), None
    db.flush()
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="catalogue.published",
        target=f"catalogue:{entry.id}",
        details={"kind": found.value, "source": key, "version": entry.version, "named": named},
    )
    return entry


def own(db: Session, user: User, entry_id: int) -> CatalogueEntry | None:
    """A live entry of the user's collectivité, of a kind the user publishes."""
    entry = visible(db, entry_id)
    if entry is None or entry.tenant_id != user.tenant_id or not may(user, entry.kind):
        return None
    return entry


def withdraw(db: Session, *, user: User, entry_id: int) -> CatalogueEntry:
    entry = own(db, user, entry_id)
    if entry is None:
        raise CatalogueError(NOT_FOUND, 404)
    entry.withdrawn_at = utcnow()
    db.flush()
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="catalogue.withdrawn",
        target=f"catalogue:{entry.id}",
        details={"kind": entry.kind, "source": entry.source_key, "version": entry.version},
    )
    return entry


# --- Browsing (every collectivité sees the live entries; nothing else).


def live(db: Session, *, kind: str = "") -> list[CatalogueEntry]:
    stmt = select(CatalogueEntry).where(CatalogueEntry.withdrawn_at.is_(None))
    if kind:
        stmt = stmt.where(CatalogueEntry.kind == kind)
    return list(db.scalars(stmt.order_by(CatalogueEntry.published_at.desc())))


def visible(db: Session, entry_id: int) -> CatalogueEntry | None:
    entry = db.get(CatalogueEntry, entry_id)
    return entry if entry is not None and entry.withdrawn_at is None else None


def publisher(entry: CatalogueEntry) -> str:
    return entry.publisher_label or ANONYMOUS


def lineage(entry: CatalogueEntry) -> str:
    return (
        f"Adapté du catalogue partagé : « {entry.title} », fiche n° {entry.id}, version "
        f"{entry.version} du {date_fr(entry.published_at)}, publiée par {publisher(entry)}."
    )[:500]


def assistant_preview(entry: CatalogueEntry) -> AssistantSpec:
    return builder.validate(dict(entry.payload))


def grid_preview(entry: CatalogueEntry) -> Grid:
    return parse(entry.payload)


# --- Adopting (the adopter's side): a copy, under the adopter's own governance.


def adopt(db: Session, *, user: User, entry_id: int, slug: str = "") -> tuple[Kind, str]:
    """Copy a live entry into the user's collectivité; returns (kind, slug of the copy)."""
    entry = visible(db, entry_id)
    if entry is None:
        raise CatalogueError(NOT_FOUND, 404)
    kind = Kind(entry.kind)
    if not may(user, kind):
        raise CatalogueError(
            "Votre rôle ne permet pas d'adopter ce type d'élément : "
            + ("un référent ou un administrateur" if kind is Kind.ASSISTANT else "le pilotage")
            + " peut le faire.",
            403,
        )
    if entry.tenant_id == user.tenant_id:
        raise CatalogueError("Cette fiche est une publication de votre collectivité.")
    origin = lineage(entry)
    slug = slug.strip()
    if kind is Kind.ASSISTANT:
        key = _adopt_assistant(db, user, entry, slug, origin)
    else:
        key = _adopt_grid(db, user, entry, slug, origin)
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="catalogue.adopted",
        target=f"{'assistant' if kind is Kind.ASSISTANT else 'grid'}:{key}",
        details={"entry": entry.id, "kind": kind.value, "version": entry.version},
    )
    return kind, key


def _adopt_assistant(db: Session, user: User, entry: CatalogueEntry, slug: str, origin: str) -> str:
    data = dict(entry.payload)
    if slug:
        data["id"] = slug
    try:
        spec = builder.validate(data)
        row = builder.create(db, user=user, spec=spec, note=origin[:300])
    except BuilderError as exc:
        message = " ; ".join(
            f"{builder.where_label(where)} : {text}" if where else text
            for where, text in exc.errors.items()
        )
        raise CatalogueError(message, 409 if "id" in exc.errors else 422) from None
    row.lineage = origin
    db.flush()
    return row.slug


def _adopt_grid(db: Session, user: User, entry: CatalogueEntry, slug: str, origin: str) -> str:
    data = dict(entry.payload)
    if slug:
        data["slug"] = slug
    try:
        grid = parse(data)
    except GridError as exc:
        raise CatalogueError(str(exc), 422) from None
    taken = grid.slug == builtin().slug or db.scalar(
        select(PlanningGrid.id).where(
            PlanningGrid.tenant_id == user.tenant_id, PlanningGrid.slug == grid.slug
        )
    )
    if taken:
        raise CatalogueError(
            f"Une grille de votre collectivité porte déjà l'identifiant « {grid.slug} » : "
            "choisissez-en un autre."
        )
    db.add(
        PlanningGrid(
            tenant_id=user.tenant_id,
            slug=grid.slug,
            title=grid.title,
            source=grid.as_yaml(),
            created_by=user.id,
            lineage=origin,
        )
    )
    db.flush()
    return grid.slug
