"""The DPO's answer to an access request (GDPR Art. 15) for a named person, user or not.

The same description and search as the erasure (`citizen_erasure`): the person's account data
when one of the collectivité's accounts bears that name or e-mail address, then every passage of
the registered text stores (conversations, results, documents, meetings…) that mentions them,
with its context unmasked — the person has the right to read it; the DPO reviews the document
before sending it. Audited with counts only: the name never enters the log.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime

from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import ROLE_LABELS, Role, User
from civia.audit import journal as audit
from civia.dates import date_fr, datetime_fr
from civia.governance.citizen_erasure import MAX_ITEMS, matcher, stores
from civia.plugins.registries import Governance
from civia.privacy.mentions import Subject

CONTEXT = 400  # characters shown around each mention


@dataclass(frozen=True)
class Passage:
    where: str
    text: str


@dataclass
class AccessReport:
    subject: Subject
    accounts: list[dict[str, str]] = field(default_factory=list)
    passages: dict[str, list[Passage]] = field(default_factory=dict)  # store label → passages
    truncated: bool = False

    def counts(self) -> dict[str, int]:
        return {label: len(items) for label, items in self.passages.items()}


def _around(text: str, start: int, end: int) -> str:
    low, high = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    shown = " ".join(text[low:high].split())
    return ("… " if low else "") + shown + (" …" if high < len(text) else "")


def _accounts(db: Session, tenant_id: int, subject: Subject) -> list[dict[str, str]]:
    found = matcher(subject)
    users = db.scalars(select(User).where(User.tenant_id == tenant_id)).all()
    email = subject.email.strip().lower()
    return [
        {
            "Identifiant": user.login,
            "Nom affiché": user.display_name,
            "Courriel": user.email or "—",
            "Rôle": ROLE_LABELS.get(Role(user.role), user.role),
            "Service": user.service.name if user.service else "—",
            "Compte actif": "oui" if user.active else "non",
            "Dernière connexion": datetime_fr(user.last_login_at) or "—",
        }
        for user in users
        if found.find(user.display_name) or (email and user.email.lower() == email)
    ]


def gather(db: Session, *, dpo: User, subject: Subject, hooks: Governance) -> AccessReport:
    found = matcher(subject)
    report = AccessReport(subject, accounts=_accounts(db, dpo.tenant_id, subject))
    total = 0
    for store in stores(hooks).values():
        for item in store.finder(db, dpo.tenant_id, found.anchors()):
            mentions = found.find(item.text)
            if not mentions:
                continue
            text = _around(item.text, mentions[0].start, mentions[-1].end)
            report.passages.setdefault(store.label, []).append(Passage(item.where, text))
            total += 1
            if total >= MAX_ITEMS:
                report.truncated = True
                break
        if report.truncated:
            break
    audit.record(
        db,
        tenant_id=dpo.tenant_id,
        actor=dpo,
        action="dsr.access",
        target="personne-citee",
        details={"accounts": len(report.accounts), "found": report.counts()},
    )
    return report


def as_docx(report: AccessReport, *, tenant_name: str) -> bytes:
    """The document the DPO reviews, then sends to the person."""
    doc = Document()
    doc.add_heading("Réponse à une demande d'accès (RGPD, article 15)", level=1)
    subject = report.subject
    person = " ".join(p for p in (subject.first_names, subject.last_name) if p)
    doc.add_paragraph(
        f"{tenant_name} — données concernant {person}, relevées le "
        f"{date_fr(datetime.now(UTC).date())} dans l'espace Civia de la collectivité."
    )
    doc.add_heading("Compte utilisateur", level=2)
    if not report.accounts:
        doc.add_paragraph("Aucun compte Civia ne porte ce nom ou cette adresse électronique.")
    for account in report.accounts:
        table = doc.add_table(rows=0, cols=2)
        for label, value in account.items():
            row = table.add_row().cells
            row[0].text, row[1].text = label, value
    doc.add_heading("Mentions dans les textes", level=2)
    if not report.passages:
        doc.add_paragraph("Aucune mention de cette personne dans les textes de la collectivité.")
    for label, passages in report.passages.items():
        doc.add_heading(f"{label} ({len(passages)})", level=3)
        for passage in passages:
            doc.add_paragraph(passage.where, style="List Bullet")
            doc.add_paragraph(passage.text)
    if report.truncated:
        doc.add_paragraph(f"Relevé limité aux {MAX_ITEMS} premiers passages : précisez la demande.")
    doc.add_paragraph(
        "Document préparé par le délégué à la protection des données : à relire avant envoi."
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
