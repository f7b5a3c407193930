"""The shared catalogue's data functions: what a snapshot holds, who publishes, withdraws and
adopts, and what an adopted copy is (a draft with its lineage, governed by the adopter)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants import builder
from civia.assistants.models import AssistantDefinition
from civia.audit.models import AuditEntry
from civia.catalogue import entries
from civia.catalogue.entries import CatalogueError, Kind
from civia.db.engine import session_scope
from civia.documents.models import Collection, Scope
from civia.planning import diagnostics
from civia.planning.grid import builtin
from civia.planning.models import PlanningGrid
from civia.settings import Settings
from tests.conftest import Personas

SPEC: dict[str, Any] = {
    "id": "courrier-voirie", "name": "Courrier voirie", "description": "Réponses aux riverains.",
    "category": "Courrier", "instructions": "Tu rédiges les courriers du service voirie.",
    "prompt": "Objet : {{ objet }} {{ sources }}",
    "fields": [{"name": "objet", "label": "Objet"},
               {"name": "base", "label": "Base", "kind": "collection", "required": False}],
}  # fmt: skip


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """SQLite, or SQLite and PostgreSQL for tests asking for `db_url`."""
    url = f"sqlite:///{tmp_path / 'civia.db'}"
    if "db_url" in request.fixturenames:
        url = request.getfixturevalue("db_url")
    return Settings(data_dir=tmp_path, database_url=url, max_tokens=8)


@pytest.fixture
def db(client: Any) -> Iterator[Session]:
    with session_scope(client.app.state.sessions) as session:
        yield session


def _u(db: Session, personas: Personas, login: str) -> User:
    """The persona as a row of this session (its relationships load)."""
    user = db.get(User, personas[login].id)
    assert user is not None
    return user


def _assistant(db: Session, user: User, **change: Any) -> AssistantDefinition:
    collection = Collection(tenant_id=user.tenant_id, scope=Scope.TENANT.value, name="Voirie")
    db.add(collection)
    db.flush()
    fields = [dict(f) for f in SPEC["fields"]]
    fields[1]["collection_id"] = collection.id
    spec = builder.validate({**SPEC, "fields": fields, **change})
    row = builder.create(db, user=user, spec=spec)
    row.status, row.sensitivity, row.sharing = "published", "personal", "tenant"
    db.flush()
    return row


def _grid(db: Session, user: User, slug: str = "grille-voirie") -> None:
    data = builtin().model_dump(mode="json")
    diagnostics.import_grid(db, user=user, text=builtin().as_yaml().replace(data["slug"], slug))


def _actions(db: Session, tenant_id: int) -> list[str]:
    stmt = select(AuditEntry.action).where(AuditEntry.tenant_id == tenant_id)
    return [a for a in db.scalars(stmt) if a.startswith("catalogue.")]


def test_a_published_assistant_is_its_spec_only(db: Session, personas: Personas) -> None:
    referent = _u(db, personas, "referent")
    _assistant(db, referent)
    entry = entries.publish(
        db, user=referent, kind="assistant", key="courrier-voirie", description=""
    )
    assert entry.title == "Courrier voirie" and entry.description == "Réponses aux riverains."
    assert entry.publisher_label == ""  # not named unless the publisher chose so
    assert entries.publisher(entry) == entries.ANONYMOUS
    for governed in ("status", "sharing", "sensitivity", "version"):
        assert governed not in entry.payload
    assert all("collection_id" not in f for f in entry.payload["fields"])
    assert _actions(db, referent.tenant_id) == ["catalogue.published"]


def test_publishing_again_is_a_new_version_and_may_name_the_collectivite(
    db: Session, personas: Personas
) -> None:
    admin = _u(db, personas, "admin")
    _assistant(db, admin)
    first = entries.publish(db, user=admin, kind="assistant", key="courrier-voirie")
    again = entries.publish(
        db, user=admin, kind="assistant", key="courrier-voirie", description="Voirie.", named=True
    )
    assert again.id == first.id and again.version == 2
    assert again.publisher_label == "Commune de Démoville" and again.description == "Voirie."


def test_who_may_publish_what(db: Session, personas: Personas) -> None:
    _assistant(db, _u(db, personas, "referent"))
    _grid(db, _u(db, personas, "pilotage"))
    with pytest.raises(CatalogueError) as refused:  # pilotage publishes grids, not assistants
        entries.publish(
            db, user=_u(db, personas, "pilotage"), kind="assistant", key="courrier-voirie"
        )
    assert refused.value.status == 404
    with pytest.raises(CatalogueError):  # a référent of another service cannot edit it
        _u(db, personas, "referent").service_id = personas.service_b.id
        entries.publish(
            db, user=_u(db, personas, "referent"), kind="assistant", key="courrier-voirie"
        )
    with pytest.raises(CatalogueError) as other:  # another collectivité's admin: not his
        entries.publish(db, user=_u(db, personas, "olivia"), kind="grille", key="grille-voirie")
    assert other.value.status == 404
    with pytest.raises(CatalogueError) as unknown:
        entries.publish(db, user=_u(db, personas, "admin"), kind="macro", key="x")
    assert unknown.value.status == 422
    grid = entries.publish(
        db, user=_u(db, personas, "pilotage"), kind="grille", key="grille-voirie"
    )
    assert grid.payload["slug"] == "grille-voirie"
    assert entries.publishable_grids(db, _u(db, personas, "pilotage")) == [
        ("grille-voirie", builtin().title)
    ]
    assert entries.publishable_assistants(db, _u(db, personas, "pilotage")) == []


def test_adopting_an_assistant_makes_a_governed_draft_with_lineage(
    db: Session, personas: Personas, db_url: str
) -> None:
    _assistant(db, _u(db, personas, "admin"))
    entry = entries.publish(
        db, user=_u(db, personas, "admin"), kind="assistant", key="courrier-voirie", named=True
    )
    olivia = _u(db, personas, "olivia")
    kind, slug = entries.adopt(db, user=olivia, entry_id=entry.id)
    assert (kind, slug) == (Kind.ASSISTANT, "courrier-voirie")
    copy = db.scalar(
        select(AssistantDefinition).where(
            AssistantDefinition.tenant_id == olivia.tenant_id, AssistantDefinition.slug == slug
        )
    )
    assert copy is not None
    # Trust fields come from the adopter's defaults, never from the publisher's row.
    assert (copy.status, copy.sharing, copy.sensitivity) == ("draft", "service", "internal")
    assert copy.owner_service_id == olivia.service_id
    assert all(f.get("collection_id") is None for f in copy.spec["fields"])
    assert copy.lineage.startswith("Adapté du catalogue partagé : « Courrier voirie »")
    assert f"fiche n° {entry.id}, version 1 du " in copy.lineage
    assert copy.lineage.endswith("publiée par Commune de Démoville.")
    assert _actions(db, olivia.tenant_id) == ["catalogue.adopted"]
    # The same slug again: a French refusal naming the field, nothing created.
    with pytest.raises(CatalogueError) as taken:
        entries.adopt(db, user=olivia, entry_id=entry.id)
    assert taken.value.status == 409 and "identifiant" in str(taken.value)
    kind, other = entries.adopt(db, user=olivia, entry_id=entry.id, slug="courrier-rues")
    assert other == "courrier-rues"


def test_adopting_needs_the_right_role_and_another_collectivite(
    db: Session, personas: Personas
) -> None:
    _assistant(db, _u(db, personas, "admin"))
    entry = entries.publish(
        db, user=_u(db, personas, "admin"), kind="assistant", key="courrier-voirie"
    )
    with pytest.raises(CatalogueError) as own:
        entries.adopt(db, user=_u(db, personas, "referent"), entry_id=entry.id)
    assert own.value.status == 409
    with pytest.raises(CatalogueError) as agent:
        entries.adopt(db, user=_u(db, personas, "carol"), entry_id=entry.id)
    assert agent.value.status == 403


def test_withdrawn_entries_are_gone_but_adopted_copies_stay(
    db: Session, personas: Personas, db_url: str
) -> None:
    _grid(db, _u(db, personas, "pilotage"))
    entry = entries.publish(
        db, user=_u(db, personas, "pilotage"), kind="grille", key="grille-voirie"
    )
    olivia = _u(db, personas, "olivia")
    entries.adopt(db, user=olivia, entry_id=entry.id)
    with pytest.raises(CatalogueError) as stranger:  # only the publishing collectivité withdraws
        entries.withdraw(db, user=olivia, entry_id=entry.id)
    assert stranger.value.status == 404
    entries.withdraw(db, user=_u(db, personas, "admin"), entry_id=entry.id)
    assert entries.visible(db, entry.id) is None and entries.live(db) == []
    with pytest.raises(CatalogueError) as gone:
        entries.adopt(db, user=olivia, entry_id=entry.id, slug="autre-grille")
    assert gone.value.status == 404
    kept = db.scalar(select(PlanningGrid).where(PlanningGrid.tenant_id == olivia.tenant_id))
    assert kept is not None and kept.slug == "grille-voirie"
    assert kept.lineage.startswith("Adapté du catalogue partagé")
    assert "grille-voirie" in diagnostics.grids(db, olivia.tenant_id)
    assert diagnostics.lineages(db, olivia.tenant_id) == {"grille-voirie": kept.lineage}
    assert _actions(db, personas.tenant.id) == ["catalogue.published", "catalogue.withdrawn"]


def test_a_grid_slug_already_taken_is_refused(db: Session, personas: Personas) -> None:
    _grid(db, _u(db, personas, "pilotage"))
    entry = entries.publish(
        db, user=_u(db, personas, "pilotage"), kind="grille", key="grille-voirie"
    )
    with pytest.raises(CatalogueError) as builtin_slug:
        entries.adopt(db, user=_u(db, personas, "olivia"), entry_id=entry.id, slug=builtin().slug)
    assert "déjà" in str(builtin_slug.value)
    with pytest.raises(CatalogueError) as bad:
        entries.adopt(db, user=_u(db, personas, "olivia"), entry_id=entry.id, slug="Pas Valide")
    assert bad.value.status == 422
