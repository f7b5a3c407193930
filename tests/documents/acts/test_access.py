"""Who reads which acts, on SQLite and PostgreSQL: the importing tenant, then pooling."""

from __future__ import annotations

from civia.accounts.models import Tenant
from civia.documents.acts.access import can_manage, readable_act, set_sharing, sharing_of
from civia.documents.acts.models import Act
from civia.documents.acts.search import search_acts
from civia.documents.acts.similar import similar_acts
from civia.documents.acts.store import corpus_for
from tests.documents.acts.conftest import BELLECOMBE, SAINT_AUBIN, ActsWorld


def _visible(world: ActsWorld, login: str, query: str = "") -> set[str]:
    with world.sessions() as db:
        found = search_acts(db, scope=world.scope(db, login), query=query, per_page=100)
        return {a.identifier for a in found.acts}


def test_acts_stay_in_the_importing_tenant_until_shared(acts_world: ActsWorld) -> None:
    acts_world.import_file("demoville", SAINT_AUBIN)
    acts_world.import_file("autreville", BELLECOMBE)
    demoville, autreville = _visible(acts_world, "agent"), _visible(acts_world, "carol")
    assert "2024-001" in demoville and "D2024-01" not in demoville
    assert "D2024-01" in autreville and "2024-001" not in autreville
    assert _visible(acts_world, "gina") == set()
    assert "AR-2024-031" not in _visible(acts_world, "carol", "brocante")
    with acts_world.sessions() as db:
        act = db.query(Act).filter_by(identifier="AR-2024-031").one()
        carol, agent = acts_world.user(db, "carol"), acts_world.user(db, "agent")
        assert readable_act(db, carol, act.id) is None
        assert readable_act(db, agent, act.id) is not None
        # Similar acts never cross into a tenant the user may not read.
        similar = similar_acts(db, scope=acts_world.scope(db, "agent"), act=act)
        assert similar and {a.tenant_id for a in similar} == {act.tenant_id}
        assert can_manage(acts_world.user(db, "referent"), act) and not can_manage(agent, act)


def _opt_in(world: ActsWorld, *slugs: str, on: bool = True) -> None:
    with world.sessions() as db:
        for slug in slugs:
            tenant = db.get(Tenant, world.tenants[slug])
            assert tenant is not None
            tenant.pooling = on
        db.commit()


def test_sharing_with_one_tenant_or_with_all(acts_world: ActsWorld) -> None:
    acts_world.import_file("demoville", SAINT_AUBIN)
    acts_world.import_file("cdg", BELLECOMBE)  # a centre de gestion with its members' acts
    _opt_in(acts_world, "demoville", "autreville", "cdg")
    with acts_world.sessions() as db:
        referent = acts_world.user(db, "referent")
        set_sharing(
            db,
            corpus=corpus_for(db, acts_world.tenants["demoville"]),
            shared_with_all=False,
            reader_ids={acts_world.tenants["autreville"], 999_999},  # unknown ids are ignored
            by=referent,
        )
        db.commit()
        sharing = sharing_of(db, acts_world.tenants["demoville"])
        assert sharing.reader_ids == {acts_world.tenants["autreville"]}
        assert {name for _, name in sharing.others} == {"Commune d'Autreville", "Centre de gestion"}
    assert "2024-001" in _visible(acts_world, "carol")
    assert "2024-001" not in _visible(acts_world, "gina")  # shared with Autreville only
    assert "D2024-01" not in _visible(acts_world, "agent")
    with acts_world.sessions() as db:
        set_sharing(
            db,
            corpus=corpus_for(db, acts_world.tenants["cdg"]),
            shared_with_all=True,
            reader_ids=set(),
            by=acts_world.user(db, "gina"),
        )
        db.commit()
    assert "D2024-01" in _visible(acts_world, "agent") and "D2024-01" in _visible(
        acts_world, "carol"
    )
    # Reading only: the readers' acts do not flow back, and managing stays with the owner.
    assert "2024-001" not in _visible(acts_world, "gina")
    with acts_world.sessions() as db:
        shared = db.query(Act).filter_by(identifier="D2024-01").one()
        assert readable_act(db, acts_world.user(db, "agent"), shared.id) is not None
        assert not can_manage(acts_world.user(db, "referent"), shared)
        # Revoking takes effect at once.
        set_sharing(
            db,
            corpus=corpus_for(db, acts_world.tenants["demoville"]),
            shared_with_all=False,
            reader_ids=set(),
            by=acts_world.user(db, "referent"),
        )
        db.commit()
    assert "2024-001" not in _visible(acts_world, "carol")


def test_nothing_crosses_without_both_opting_in(acts_world: ActsWorld) -> None:
    """Pooling by consent: no collectivité sees the names of those that did not opt in, and no
    collectivité can push its acts into the search of one that did not choose to."""
    acts_world.import_file("demoville", SAINT_AUBIN)
    with acts_world.sessions() as db:
        sharing = sharing_of(db, acts_world.tenants["demoville"])
        assert sharing.others == [] and not sharing.pooling  # not even the list of names
    _opt_in(acts_world, "demoville")
    with acts_world.sessions() as db:
        assert sharing_of(db, acts_world.tenants["demoville"]).others == []  # alone so far
        set_sharing(
            db,
            corpus=corpus_for(db, acts_world.tenants["demoville"]),
            shared_with_all=True,
            reader_ids={acts_world.tenants["autreville"]},
            by=acts_world.user(db, "referent"),
        )
        db.commit()
        # Autreville did not opt in: it is not a reader, and "all" reaches it not.
        assert sharing_of(db, acts_world.tenants["demoville"]).reader_ids == frozenset()
    assert "2024-001" not in _visible(acts_world, "carol")
    _opt_in(acts_world, "autreville")
    assert "2024-001" in _visible(acts_world, "carol")  # shared with all who opted in
    with acts_world.sessions() as db:
        names = {n for _, n in sharing_of(db, acts_world.tenants["autreville"]).others}
        assert names == {"Commune de Démoville"}  # the centre de gestion did not opt in
    _opt_in(acts_world, "autreville", on=False)  # opting out stops it at once
    assert "2024-001" not in _visible(acts_world, "carol")
    assert _visible(acts_world, "gina") == set()
