"""Drafts for the DPO, built from a use-case card as `OfficialDocument`s (exported in DOCX or ODT
by `civia.assistants.renderers.render`): the GDPR processing-record entry (Art. 30) and a data
protection impact assessment (Art. 35). What the card cannot know is marked « À compléter »."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from civia.accounts.models import Service, Tenant, User
from civia.assistants.context import letterhead, primary_colour
from civia.assistants.document import (
    Block,
    Bullets,
    Heading,
    OfficialDocument,
    Paragraph,
    Provenance,
    Table,
)
from civia.governance import fria, retention
from civia.governance.models import UseCase
from civia.governance.usecases import (
    DATA_CATEGORIES,
    RISK_LABELS,
    SENSITIVE_CATEGORIES,
    STATUS_LABELS,
    CaseStatus,
    RiskClass,
    overseer_names,
)
from civia.providers.models import HOSTING_LABELS, HostingClass

TODO = "À compléter par le DPO."
KINDS = {
    "registre": "Fiche du registre des traitements (RGPD art. 30)",
    "aipd": "Analyse d'impact relative à la protection des données (RGPD art. 35)",
}


def build(db: Session, case: UseCase, kind: str, *, author: User) -> OfficialDocument:
    tenant = db.get(Tenant, case.tenant_id)
    assert tenant is not None
    service = db.get(Service, case.owner_service_id) if case.owner_service_id else None
    facts = _Facts(db, case, tenant, service.name if service else "")
    blocks = _record(facts) if kind == "registre" else _dpia(facts)
    status = STATUS_LABELS[CaseStatus(case.status)]
    intro = Paragraph(
        text=f"Projet établi le {date.today().strftime('%d/%m/%Y')} à partir de la fiche n° "
        f"{case.id} du registre des cas d'usage de l'IA ({status}). Il doit être complété, "
        "vérifié et validé par le délégué à la protection des données.",
    )
    return OfficialDocument(
        title=f"{KINDS[kind]} – {case.title}"[:200],
        blocks=[Heading(text=KINDS[kind], level=1), intro, *blocks],
        provenance=Provenance(
            assistant_id="gouvernance",
            assistant_name="Registre des cas d'usage",
            author=author.display_name,
            transparency="Projet généré automatiquement par Civia à partir de la fiche du cas "
            "d'usage, à compléter et valider par le DPO.",
        ),
        letterhead=letterhead(tenant, "Délégué à la protection des données"),
        primary_colour=primary_colour(tenant),
    )


class _Facts:
    def __init__(self, db: Session, case: UseCase, tenant: Tenant, service: str) -> None:
        self.case, self.tenant, self.service = case, tenant, service or TODO
        self.categories = [DATA_CATEGORIES.get(c, c) for c in case.data_categories or []]
        self.sensitive = bool(set(case.data_categories or []) & SENSITIVE_CATEGORIES)
        self.hosting = HOSTING_LABELS.get(HostingClass(case.hosting_class), case.hosting_class)
        self.outside_eu = case.hosting_class == HostingClass.OUTSIDE_EU.value
        self.risk = RISK_LABELS[RiskClass(case.risk_class)]
        self.retention = retention.settings_for(db, tenant.id)
        self.fria_file = fria.current(db, case)
        uploader = db.get(User, self.fria_file.uploaded_by) if self.fria_file else None
        self.fria_uploader = uploader.display_name if uploader else ""

    def days(self, value: int | None) -> str:
        return f"{value} jours" if value else "sans limite fixée (à définir)"


def _record(f: _Facts) -> list[Block]:
    c, r = f.case, f.retention
    profile = f.tenant.profile or {}
    return [
        Heading(text="1. Responsable du traitement", level=2),
        Table(
            header=["Rubrique", "Valeur"],
            rows=[
                ["Responsable", f.tenant.name],
                ["Adresse", profile.get("address", "") or TODO],
                ["Service responsable de la mise en œuvre", f.service],
                ["Délégué à la protection des données", TODO],
            ],
        ),
        Heading(text="2. Finalité", level=2),
        Paragraph(text=c.purpose or TODO),
        Paragraph(text=f"Outil : assistant « {c.assistant_id} » de Civia (IA générative)."),
        Heading(text="3. Base légale", level=2),
        Paragraph(
            text="Proposition : exécution d'une mission d'intérêt public (RGPD art. 6.1.e). " + TODO
        ),
        *(
            [Paragraph(text="Données sensibles : préciser l'exception de l'article 9.2 du RGPD.")]
            if f.sensitive
            else []
        ),
        Heading(text="4. Personnes concernées", level=2),
        Bullets(
            items=[
                f"Utilisateurs : {c.users_description or TODO}",
                "Personnes citées dans les textes traités (usagers, agents, élus…) : " + TODO,
            ]
        ),
        Heading(text="5. Catégories de données", level=2),
        Bullets(items=f.categories or [TODO]),
        Heading(text="6. Destinataires", level=2),
        Bullets(
            items=[
                f"Agents habilités du service : {f.service}",
                f"Fournisseur du modèle d'IA, hébergement : {f.hosting}",
            ]
        ),
        Heading(text="7. Transferts hors de l'Union européenne", level=2),
        Paragraph(
            text="Oui : modèle hébergé hors de l'Union européenne. Préciser les garanties "
            "(art. 46) ; Civia masque les données personnelles avant l'envoi."
            if f.outside_eu
            else "Non."
        ),
        Heading(text="8. Durées de conservation", level=2),
        Bullets(
            items=[
                f"Conversations : {f.days(r.conversations_days)}",
                f"Résultats des assistants : {f.days(r.runs_days)}",
                *([f"Pour cet assistant : {c.retention_days} jours"] if c.retention_days else []),
                f"Journal d'audit : {r.audit_days} jours (six mois au moins)",
            ]
        ),
        Heading(text="9. Mesures de sécurité", level=2),
        Bullets(items=_measures(f)),
    ]


def _measures(f: _Facts) -> list[str]:
    c = f.case
    return [
        "Accès réservé aux agents authentifiés, droits par rôle et par service.",
        "Masquage (pseudonymisation) des données personnelles avant l'envoi à un modèle non "
        "autorisé à les recevoir ; la table de correspondance reste sur le serveur.",
        "Journal d'audit chaîné et scellé par une clé hors de la base (HMAC), vérifiable avec "
        "des points de contrôle signés, conservé au moins six mois ; entrées pseudonymes (numéro "
        "de compte, identifiant retrouvé à l'affichage, absent après un effacement).",
        f"Contrôle humain : {c.human_oversight or TODO}",
        "Relecture et validation de chaque résultat par un agent avant usage ; mention de l'IA "
        "sur les documents exportés.",
        "Charte d'utilisation acceptée par chaque utilisateur ; module d'acculturation.",
        "Signalement des incidents au comité d'éthique ; suspension immédiate possible.",
    ]


def _fria(f: _Facts) -> list[Block]:
    """The Art. 27 assessment: the attached file (named, versioned, hashed) and/or the text."""
    c, attached = f.case, f.fria_file
    blocks: list[Block] = []
    if attached is not None:
        who = f" par {f.fria_uploader}" if f.fria_uploader else ""
        blocks.append(
            Paragraph(
                text=f"Analyse jointe à la fiche : « {attached.filename} » (version "
                f"{attached.version}, {fria.FORMAT_LABELS[attached.format]}, déposée le "
                f"{attached.created_at.strftime('%d/%m/%Y')}{who} ; empreinte SHA-256 "
                f"{attached.sha256[:16]}…). Elle fait partie du dossier soumis au comité."
            )
        )
    if c.fria.strip():
        blocks.append(Paragraph(text=c.fria))
    if not blocks:
        required = c.risk_class == RiskClass.HIGH
        blocks.append(Paragraph(text=TODO if required else "Non requise pour ce niveau de risque."))
    return blocks


def _dpia(f: _Facts) -> list[Block]:
    c = f.case
    overseers = overseer_names(c)
    risks = [
        ["Accès illégitime aux données", "Compte compromis, erreur de partage", "", "", ""],
        [
            "Modification non désirée",
            "Erreur ou invention du modèle reprise sans relecture",
            "",
            "",
            "",
        ],
        ["Disparition des données", "Suppression, panne", "", "", ""],
        ["Décision défavorable ou discriminatoire", "Biais du modèle, automatisation", "", "", ""],
        ["Atteinte à la neutralité du service public", "Contenu orienté", "", "", ""],
    ]
    if f.outside_eu:
        risks.append(["Transfert hors UE", "Hébergement du modèle", "", "", ""])
    return [
        Heading(text="1. Description du traitement", level=2),
        Table(
            header=["Rubrique", "Description"],
            rows=[
                ["Finalité", c.purpose or TODO],
                ["Assistant", c.assistant_id],
                ["Service", f.service],
                ["Utilisateurs", c.users_description or TODO],
                ["Données", ", ".join(f.categories) or TODO],
                ["Hébergement du modèle", f.hosting],
                ["Classe de risque (règlement IA)", f.risk],
            ],
        ),
        Heading(text="2. Nécessité et proportionnalité", level=2),
        Bullets(
            items=[
                f"Bénéfice attendu : {c.expected_benefit or TODO}",
                "Minimisation : seules les données nécessaires ; masquage automatique.",
                "Information des personnes : page publique de transparence de la collectivité.",
                "Droits des personnes : export et effacement des données par le DPO.",
            ]
        ),
        Heading(text="3. Risques pour les droits et libertés", level=2),
        Table(
            header=["Risque", "Sources", "Impacts", "Gravité", "Vraisemblance"],
            rows=risks,
            caption="Gravité et vraisemblance à évaluer (négligeable, limitée, importante, "
            "maximale).",
        ),
        Heading(text="4. Mesures", level=2),
        Bullets(items=_measures(f)),
        Paragraph(
            text="Personnes chargées du contrôle humain : "
            + (", ".join(overseers) if overseers else TODO)
        ),
        Heading(
            text="5. Analyse d'impact sur les droits fondamentaux (règlement IA, art. 27)", level=2
        ),
        *_fria(f),
        Heading(text="6. Avis du DPO", level=2),
        Paragraph(text=TODO),
        Heading(text="7. Décision du comité d'éthique", level=2),
        Paragraph(
            text=f"{STATUS_LABELS[CaseStatus(c.status)]}."
            + (f" Motif : {c.decision_note}" if c.decision_note else "")
        ),
    ]
