"""Demo data: a shared mailbox (paused: the operator has declared no server in the demo) with
three clearly synthetic citizens' emails waiting for analysis. The periodic analysis triages
them and drafts replies with the local model, so the queue fills on first run."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Service, Tenant
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus

KEY = "demo"
MESSAGES = (
    ("Demande d'acte de naissance", "Camille Exemple", "camille.exemple@exemple.invalid",
     "Bonjour,\nJe souhaite recevoir une copie intégrale de mon acte de naissance pour un "
     "dossier de mariage. Comment faire ?\nMerci,\nCamille Exemple\n(message de démonstration)"),
    ("Abri de jardin", "Dominique Exemple", "dominique.exemple@exemple.invalid",
     "Bonjour, je voudrais installer un abri de jardin de 10 m² derrière ma maison. Faut-il une "
     "déclaration préalable ?\n(message de démonstration)"),
    ("Passeport", "Alex Exemple", "alex.exemple@exemple.invalid",
     "Bonjour, mon passeport expire le mois prochain. Faut-il prendre rendez-vous pour le "
     "renouveler ?\n(message de démonstration)"),
)  # fmt: skip


def load(db: Session, tenant: Tenant, default_service: Service) -> None:
    """Idempotent: nothing is added once the demo mailbox exists."""
    if db.scalar(select(Mailbox).where(Mailbox.tenant_id == tenant.id, Mailbox.key == KEY)):
        return
    box = Mailbox(tenant_id=tenant.id, key=KEY, service_id=default_service.id, active=False,
                  uidvalidity=1, last_uid=len(MESSAGES))  # fmt: skip
    db.add(box)
    db.flush()
    for uid, (subject, name, address, body) in enumerate(MESSAGES, start=1):
        db.add(
            MailMessage(
                tenant_id=tenant.id, mailbox_id=box.id, uidvalidity=1, uid=uid,
                message_id=f"<demo-{uid}@exemple.invalid>", subject=subject, sender=address,
                sender_name=name, body=body, status=MessageStatus.RECEIVED,
                service_id=default_service.id,
            )
        )  # fmt: skip
