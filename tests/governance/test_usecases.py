"""The use-case register and review workflow: rules, kill switch, audit, DPO drafts."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants.renderers import render
from civia.audit import journal as audit
from civia.audit.models import AuditEntry
from civia.governance import dpo_docs, usecases
from civia.governance.models import UseCase
from civia.governance.usecases import Card, CardError, WorkflowError
from tests.conftest import Personas
from tests.governance.conftest import user


def second_member(db: Session, people: Personas) -> User:
    member = User(
        login="comite2",
        display_name="Claude Comité",
        role="comite",
        tenant_id=people.tenant.id,
        password_hash="x",
    )
    db.add(member)
    db.flush()
    return member


def full_card(people: Personas, **overrides: object) -> Card:
    values: dict[str, object] = dict(
        assistant_id="courrier",
        title="Courriers aux usagers",
        purpose="Premier jet des réponses aux courriers des usagers.",
        owner_service_id=people.service_a.id,
        users_description="Agents de l'accueil (12 personnes).",
        data_categories=["identification"],
        hosting_class="fr_sovereign",
        human_oversight="Chaque courrier est relu et signé par un agent.",
        overseers="Marie Exemple, cheffe de service",
        expected_benefit="30 minutes par courrier.",
        risk_class="minimal",
    )
    values.update(overrides)
    return Card(**values)  # type: ignore[arg-type]


def actions(db: Session, case: UseCase, action: str = "usecase.transition") -> list[str]:
    rows = db.scalars(
        select(AuditEntry.details).where(
            AuditEntry.target == f"usecase:{case.id}", AuditEntry.action == action
        )
    )
    return [d.get("action", d.get("choice", "")) for d in rows]


def to_review(db: Session, people: Personas, **overrides: object) -> UseCase:
    referent, comite = user(db, "referent"), user(db, "comite")
    case = usecases.create(db, actor=referent, card=full_card(people, **overrides))
    usecases.transition(db, case, actor=referent, action="submit")
    usecases.transition(db, case, actor=comite, action="review")
    return case


def test_happy_path_with_kill_switch(db: Session, people: Personas) -> None:
    referent, comite, dpo = user(db, "referent"), user(db, "comite"), user(db, "dpo")
    case = usecases.create(db, actor=referent, card=full_card(people, purpose=""))
    with pytest.raises(WorkflowError, match="la finalité"):
        usecases.transition(db, case, actor=referent, action="submit")
    usecases.update(db, case, actor=referent, card=full_card(people))
    usecases.transition(db, case, actor=referent, action="submit")
    assert case.submitted_by == referent.id
    usecases.transition(db, case, actor=comite, action="review")
    usecases.vote(db, case, voter=comite, choice="approve", comment="Utile et encadré.")
    usecases.transition(db, case, actor=comite, action="approve", note="Accord.")
    assert case.status == "approved" and case.decided_by == comite.id
    usecases.transition(db, case, actor=comite, action="pilot")
    usecases.transition(db, case, actor=user(db, "admin"), action="generalise")
    assert not usecases.is_suspended(db, people.tenant.id, "courrier")
    usecases.transition(db, case, actor=dpo, action="suspend", note="Fuite signalée.")
    db.commit()
    assert usecases.is_suspended(db, people.tenant.id, "courrier")
    assert not usecases.is_suspended(db, people.other_tenant.id, "courrier")
    assert not usecases.is_suspended(db, people.tenant.id, "traduction")
    usecases.transition(db, case, actor=comite, action="reopen")
    assert case.status == "in_review" and case.review_round == 2
    assert usecases.votes_tally(db, case) == {}  # a new examination: votes start again
    db.commit()
    assert actions(db, case) == [
        "submit",
        "review",
        "approve",
        "pilot",
        "generalise",
        "suspend",
        "reopen",
    ]
    suspended = db.scalar(select(AuditEntry).where(AuditEntry.action == "assistant.suspended"))
    assert suspended is not None and suspended.target == "assistant:courrier"
    assert audit.verify(db) == []


def test_nobody_reviews_their_own_case(db: Session, people: Personas) -> None:
    comite, other = user(db, "comite"), second_member(db, people)
    case = usecases.create(db, actor=comite, card=full_card(people))
    usecases.transition(db, case, actor=comite, action="submit")
    for attempt in ("review",):
        with pytest.raises(WorkflowError) as exc:
            usecases.transition(db, case, actor=comite, action=attempt)
        assert exc.value.code == "own_case" and exc.value.status == 403
    usecases.transition(db, case, actor=other, action="review")
    with pytest.raises(WorkflowError, match="voter") as vote_exc:
        usecases.vote(db, case, voter=comite, choice="approve")
    assert vote_exc.value.code == "own_case"
    with pytest.raises(WorkflowError, match="rédigé ou soumis"):
        usecases.transition(db, case, actor=comite, action="approve")
    assert [s.action for s in usecases.available_steps(case, comite)] == ["suspend"]
    usecases.vote(db, case, voter=other, choice="approve")
    usecases.transition(db, case, actor=other, action="approve")
    assert case.status == "approved"


def test_only_comite_votes_and_decides(db: Session, people: Personas) -> None:
    case = to_review(db, people)
    for login in ("dpo", "admin", "agent", "pilotage", "referent"):
        with pytest.raises(WorkflowError) as exc:
            usecases.vote(db, case, voter=user(db, login), choice="approve")
        assert exc.value.code in ("role", "own_case"), login
        with pytest.raises(WorkflowError):
            usecases.transition(db, case, actor=user(db, login), action="approve")
    with pytest.raises(WorkflowError, match="Vote inconnu"):
        usecases.vote(db, case, voter=user(db, "comite"), choice="peut-être")
    with pytest.raises(WorkflowError) as foreign:
        usecases.vote(db, case, voter=user(db, "carol"), choice="approve")
    assert foreign.value.status == 404


def test_approval_needs_a_majority(db: Session, people: Personas) -> None:
    case = to_review(db, people)
    comite, other = user(db, "comite"), second_member(db, people)
    with pytest.raises(WorkflowError, match="votes favorables") as exc:
        usecases.transition(db, case, actor=comite, action="approve")
    assert exc.value.code == "votes"
    usecases.vote(db, case, voter=comite, choice="approve")
    usecases.vote(db, case, voter=other, choice="changes")
    with pytest.raises(WorkflowError, match="votes favorables"):
        usecases.transition(db, case, actor=comite, action="approve")
    usecases.vote(db, case, voter=other, choice="approve")  # a member may change their vote
    assert usecases.votes_tally(db, case) == {"approve": 2}
    with pytest.raises(WorkflowError, match="motif"):
        usecases.transition(db, case, actor=comite, action="request_changes")
    usecases.transition(db, case, actor=comite, action="approve")


def test_high_risk_needs_fria_and_overseer(db: Session, people: Personas) -> None:
    case = to_review(db, people, risk_class="high", overseers="", fria="")
    comite = user(db, "comite")
    usecases.vote(db, case, voter=comite, choice="approve")
    with pytest.raises(WorkflowError, match=r"art\. 27") as exc:
        usecases.transition(db, case, actor=comite, action="approve")
    assert exc.value.code == "high_risk_fria"
    assert len(usecases.warnings(case)) == 2
    case.fria = "Analyse : risques d'exclusion de bénéficiaires, mesures de recours humain."
    with pytest.raises(WorkflowError, match=r"art\. 26"):
        usecases.transition(db, case, actor=comite, action="approve")
    case.overseers = "Jeanne Exemple\n"
    usecases.transition(db, case, actor=comite, action="approve")
    assert case.status == "approved"


def test_prohibited_is_never_approved(db: Session, people: Personas) -> None:
    case = to_review(db, people, risk_class="prohibited", fria="x" * 40)
    comite, other = user(db, "comite"), second_member(db, people)
    usecases.vote(db, case, voter=comite, choice="approve")
    usecases.vote(db, case, voter=other, choice="approve")
    with pytest.raises(WorkflowError, match="article 5") as exc:
        usecases.transition(db, case, actor=comite, action="approve")
    assert exc.value.code == "prohibited"
    usecases.transition(db, case, actor=comite, action="reject", note="Notation sociale.")
    assert case.status == "rejected"
    usecases.transition(db, case, actor=user(db, "referent"), action="rework")
    assert case.status == "draft"


def test_states_and_editing_rules(db: Session, people: Personas) -> None:
    referent, bob = user(db, "referent"), user(db, "bob")
    case = usecases.create(db, actor=referent, card=full_card(people))
    with pytest.raises(WorkflowError, match="« Brouillon »"):
        usecases.transition(db, case, actor=user(db, "comite"), action="approve")
    with pytest.raises(WorkflowError, match="inconnue"):
        usecases.transition(db, case, actor=referent, action="teleport")
    with pytest.raises(WorkflowError) as exc:
        usecases.update(db, case, actor=user(db, "dpo"), card=full_card(people))
    assert exc.value.code == "role"
    with pytest.raises(WorkflowError):
        usecases.create(db, actor=bob, card=full_card(people, assistant_id="traduction"))
    usecases.transition(db, case, actor=referent, action="submit")
    with pytest.raises(WorkflowError, match="modifiable"):
        usecases.update(db, case, actor=referent, card=full_card(people))
    # The command line may only suspend.
    with pytest.raises(WorkflowError):
        usecases.transition(db, case, actor=None, action="review")


def test_card_validation(db: Session, people: Personas) -> None:
    referent = user(db, "referent")
    foreign_service = db.scalar(
        select(User.service_id).where(User.login == "carol")
    )  # another collectivité's service
    with pytest.raises(CardError) as exc:
        usecases.create(
            db,
            actor=referent,
            card=full_card(
                people,
                assistant_id="inexistant",
                title="x",
                data_categories=["astrologie"],
                hosting_class="lune",
                risk_class="enorme",
                owner_service_id=foreign_service,
                retention_days=0,
            ),
        )
    assert set(exc.value.errors) == {
        "assistant_id",
        "title",
        "data_categories",
        "hosting_class",
        "risk_class",
        "owner_service_id",
        "retention_days",
    }
    usecases.create(db, actor=referent, card=full_card(people))
    with pytest.raises(CardError, match="existe déjà"):
        usecases.create(db, actor=referent, card=full_card(people))


def test_suspend_without_a_card_and_isolation(db: Session, people: Personas) -> None:
    case = usecases.suspend_assistant(
        db,
        tenant_id=people.tenant.id,
        actor=user(db, "dpo"),
        assistant_id="traduction",
        reason="Erreurs de traduction juridiques.",
    )
    db.commit()
    assert case.status == "suspended" and case.created_by is None
    assert usecases.is_suspended(db, people.tenant.id, "traduction")
    assert usecases.get(db, people.other_tenant.id, case.id) is None
    with pytest.raises(WorkflowError, match="déjà suspendu"):
        usecases.suspend_assistant(
            db, tenant_id=people.tenant.id, actor=None, assistant_id="traduction", reason="encore"
        )
    with pytest.raises(WorkflowError, match="inconnu"):
        usecases.suspend_assistant(
            db, tenant_id=people.tenant.id, actor=None, assistant_id="inexistant", reason="x"
        )


def test_training_flag(db: Session, people: Personas) -> None:
    usecases.create(db, actor=user(db, "referent"), card=full_card(people, training_required=True))
    assert usecases.requires_training(db, people.tenant.id, "courrier")
    assert not usecases.requires_training(db, people.tenant.id, "traduction")
    assert not usecases.requires_training(db, people.other_tenant.id, "courrier")


def test_dpo_drafts(db: Session, people: Personas) -> None:
    case = usecases.create(
        db,
        actor=user(db, "referent"),
        card=full_card(
            people,
            risk_class="high",
            hosting_class="outside_eu",
            data_categories=["identification", "health"],
            fria="Analyse des droits : accès aux aides.",
        ),
    )
    for kind in dpo_docs.KINDS:
        doc = dpo_docs.build(db, case, kind, author=user(db, "dpo"))
        for fmt in ("docx", "odt"):
            data, _mime, filename = render(doc, fmt)
            assert filename.endswith(f".{fmt}") and len(data) > 1000
            inner = "word/document.xml" if fmt == "docx" else "content.xml"
            xml = zipfile.ZipFile(io.BytesIO(data)).read(inner).decode()
            assert "Premier jet des réponses" in xml and "À compléter par le DPO" in xml
            if kind == "registre":
                assert "article 9.2" in xml and "hors de l'Union européenne" in xml
            else:
                assert "Analyse des droits : accès aux aides." in xml and "Marie Exemple" in xml
