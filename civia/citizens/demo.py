"""Demo data (clearly synthetic): Démoville's public assistant, on its FAQ collection and a
practical guide for residents, registered in the use-case register (so the transparency page
lists it) and writing to the demo shared mailbox."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Tenant, User
from civia.citizens.config import ASSISTANT_ID
from civia.citizens.models import PublicAssistant
from civia.db.base import utcnow
from civia.documents import storage
from civia.documents.ingest import register, sha256
from civia.documents.jobs import enqueue_analysis
from civia.documents.models import Collection, Scope
from civia.governance.models import UseCase
from civia.mailbox import intake

GUIDE_NAME = "Guide pratique des habitants (démo)"
GUIDE_FILE = "guide-pratique-demoville.md"
FAQ_NAME = "FAQ de la mairie (démo)"  # civia.demo_content.FAQ_NAME


def guide_text() -> str:
    return (Path(__file__).parent / "demo_guide.md").read_text(encoding="utf-8")


def _guide(db: Session, tenant: Tenant, admin: User, data_dir: Path) -> Collection:
    found = db.scalar(
        select(Collection).where(Collection.tenant_id == tenant.id, Collection.name == GUIDE_NAME)
    )
    if found is not None:
        return found
    collection = Collection(
        tenant_id=tenant.id,
        scope=Scope.TENANT.value,
        name=GUIDE_NAME,
        description="Horaires et démarches publiés sur le site (données fictives, démo).",
    )
    db.add(collection)
    db.flush()
    data = guide_text().encode()
    document = register(
        db,
        collection=collection,
        filename=GUIDE_FILE,
        size=len(data),
        digest=sha256(data),
        title="Guide pratique des habitants de Démoville",
        mime="text/markdown",
        uploaded_by_id=admin.id,
    )
    target = storage.path_of(data_dir, tenant.id, document.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    enqueue_analysis(db, user=admin, document=document)
    return collection


def load(db: Session, tenant: Tenant, *, admin: User, data_dir: Path) -> None:
    """Idempotent: nothing is changed once the public assistant exists."""
    if db.scalar(select(PublicAssistant).where(PublicAssistant.tenant_id == tenant.id)):
        return
    guide = _guide(db, tenant, admin, data_dir)
    faq = db.scalar(
        select(Collection).where(Collection.tenant_id == tenant.id, Collection.name == FAQ_NAME)
    )
    boxes = intake.mailboxes(db, tenant.id)
    db.add(
        PublicAssistant(
            tenant_id=tenant.id,
            enabled=True,
            title="Assistant de la mairie (démonstration)",
            welcome="Posez vos questions sur les démarches et services de la commune "
            "(assistant de démonstration : les informations sont fictives).",
            collection_ids=[c.id for c in (faq, guide) if c is not None],
            retention_hours=24,
            mailbox_id=boxes[0].id if boxes else None,
        )
    )
    if (
        db.scalar(
            select(UseCase).where(
                UseCase.tenant_id == tenant.id, UseCase.assistant_id == ASSISTANT_ID
            )
        )
        is None
    ):
        db.add(
            UseCase(
                tenant_id=tenant.id,
                assistant_id=ASSISTANT_ID,
                title="Assistant public du site internet (démo)",
                purpose=f"Répondre aux questions des habitants sur /citoyens/{tenant.slug} à "
                "partir de la FAQ et du guide pratique publiés, en citant ses sources.",
                users_description="Habitants, sans compte ; les agents reçoivent les messages.",
                data_categories=["none"],
                hosting_class="local",
                human_oversight="Réponses limitées aux documents publiés ; « écrire à un agent » "
                "toujours proposé ; refus des décisions individuelles et des conseils juridiques.",
                risk_class="transparency",
                risk_notes="Art. 50 du règlement sur l'IA : l'assistant dit qu'il est une IA.",
                status="pilot",
                decided_at=utcnow() - timedelta(days=10),
            )
        )
    db.flush()
