"""The demo's content, so every page shows something on the first run: a comité of three
(élu, DGS, agents' representative, so a card can be approved by two members), a FAQ collection
queued for analysis, a few acts, and the built-ins' standing card approved by the comité.
Everything is fictitious and says so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts import manage as accounts
from civia.accounts.models import Role, Tenant, User
from civia.db.base import utcnow
from civia.documents import storage
from civia.documents.acts.jobs import enqueue_embedding
from civia.documents.acts.models import ActKind
from civia.documents.acts.records import ActRecord
from civia.documents.acts.store import corpus_for, upsert_many
from civia.documents.ingest import register, sha256
from civia.documents.jobs import enqueue_analysis
from civia.documents.models import Collection, Scope
from civia.governance import standing
from civia.governance.models import UseCase, UseCaseVote
from civia.governance.usecase_terms import CaseStatus, RiskClass
from civia.providers.models import HostingClass

# Extra comité members: login → display name. Password: `<login>-demo-civia`.
COMITE = {"comite-elu": "Élise Élue (comité)", "comite-personnel": "Paul Représentant (comité)"}
FAQ_NAME = "FAQ de la mairie (démo)"
FAQ_FILE = "faq-demoville.md"
FAQ = """# Foire aux questions de la mairie de Démoville (données fictives de démonstration)

## État civil

### Comment obtenir un acte de naissance ?
La demande se fait en ligne sur le site de la commune ou au guichet Population, du lundi au
vendredi de 8 h 30 à 17 h. L'acte est envoyé gratuitement par courrier sous cinq jours ouvrés.

### Quels sont les délais pour une carte d'identité ?
Le rendez-vous se prend en ligne. Le délai de fabrication est d'environ trois semaines après le
dépôt du dossier ; un SMS prévient quand la carte est disponible en mairie.

## Urbanisme

### Faut-il une autorisation pour poser une clôture ?
Oui : une déclaration préalable est demandée dans toute la commune. Le service Urbanisme répond
sous un mois ; le formulaire Cerfa 13703 est disponible à l'accueil.

## Vie locale

### Comment réserver la salle des fêtes ?
La salle des fêtes se réserve auprès de l'accueil de la mairie au moins deux mois à l'avance. Le
tarif est de 150 euros le week-end pour les habitants de Démoville.

### À qui signaler un lampadaire en panne ?
Par le formulaire « Signaler un problème » du site de la commune ou au 01 00 00 00 00. Les
services techniques interviennent sous 48 heures ouvrées.
"""
SIRET = "00000000000000"  # not a real SIRET: the demo commune is fictitious
ACTS = (  # kind, identifier, date, subject code, subject, object, body
    (
        ActKind.DELIBERATION,
        "2026-041",
        date(2026, 3, 12),
        "7.1",
        "Décisions budgétaires",
        "Vote du budget primitif 2026",
        "Le conseil municipal, après en avoir délibéré, adopte le budget primitif 2026 de la "
        "commune (données fictives de démonstration).",
    ),
    (
        ActKind.DELIBERATION,
        "2026-052",
        date(2026, 5, 21),
        "3.3",
        "Locations",
        "Tarifs de location de la salle des fêtes",
        "Le conseil municipal fixe le tarif de location de la salle des fêtes à 150 euros le "
        "week-end pour les habitants (données fictives de démonstration).",
    ),
    (
        ActKind.ARRETE,
        "2026-A-017",
        date(2026, 6, 2),
        "6.1",
        "Police municipale",
        "Réglementation temporaire du stationnement rue des Lilas",
        "Le Maire de Démoville arrête : le stationnement est interdit rue des Lilas du 10 au "
        "14 juin 2026 pour travaux (données fictives de démonstration).",
    ),
    (
        ActKind.ARRETE,
        "2026-A-023",
        date(2026, 7, 1),
        "6.4",
        "Autres actes réglementaires",
        "Autorisation d'occupation du domaine public pour une terrasse",
        "Le Maire autorise l'occupation du domaine public par la terrasse du café de la Place "
        "du 1er juillet au 30 septembre 2026 (données fictives de démonstration).",
    ),
)


def load(db: Session, tenant: Tenant, *, admin: User, data_dir: Path, service_id: int) -> None:
    """Add the demo's content; running it again changes nothing."""
    for login, display in COMITE.items():
        if db.scalar(select(User).where(User.login == login)) is None:
            accounts.create_user(
                db,
                tenant=tenant,
                login=login,
                password=f"{login}-demo-civia",
                role=Role.COMITE.value,
                display_name=display,
                service_id=service_id,
            )
    _faq(db, tenant, admin=admin, data_dir=data_dir)
    _acts(db, tenant, admin=admin)
    _standing_card(db, tenant, service_id=service_id)


def _standing_card(db: Session, tenant: Tenant, *, service_id: int) -> None:
    """The built-ins' standing card, approved by two comité members (the comité decides once)."""
    if standing.card(db, tenant.id) is not None:
        return
    members = {
        u.login: u
        for u in db.scalars(select(User).where(User.tenant_id == tenant.id, User.role == "comite"))
    }
    author, voters = members.get(Role.COMITE.value), [members.get(login) for login in COMITE]
    now = utcnow()
    case = UseCase(
        tenant_id=tenant.id,
        assistant_id=standing.BUILTINS_ID,
        title="Assistants intégrés de Civia",
        purpose="Aider les agents à rédiger, corriger, reformuler, traduire et résumer : "
        "courriers, réponses aux usagers, arrêtés, comptes rendus, FAQ, publications.",
        owner_service_id=service_id,
        users_description="Tous les agents de la commune, après acceptation de la charte.",
        data_categories=["identification"],
        hosting_class=HostingClass.LOCAL.value,
        human_oversight="L'agent relit, corrige et valide chaque brouillon ; Civia n'envoie et "
        "ne publie rien.",
        expected_benefit="Du temps de rédaction rendu aux agents pour l'accueil des habitants.",
        risk_class=RiskClass.TRANSPARENCY.value,
        status=CaseStatus.APPROVED.value,
        created_by=author.id if author else None,
        submitted_by=author.id if author else None,
        submitted_at=now,
        decided_by=voters[0].id if voters[0] else None,
        decided_at=now,
        decision_note="Approuvé pour toute la commune (démonstration).",
    )
    db.add(case)
    db.flush()
    for voter in voters:
        if voter is not None:
            db.add(UseCaseVote(use_case_id=case.id, round=1, voter_id=voter.id, choice="approve"))


def _faq(db: Session, tenant: Tenant, *, admin: User, data_dir: Path) -> None:
    found = db.scalar(
        select(Collection).where(Collection.tenant_id == tenant.id, Collection.name == FAQ_NAME)
    )
    if found is not None:
        return
    collection = Collection(
        tenant_id=tenant.id,
        scope=Scope.TENANT.value,
        name=FAQ_NAME,
        description="Questions fréquentes des habitants (données fictives de démonstration).",
    )
    db.add(collection)
    db.flush()
    data = FAQ.encode()
    document = register(
        db,
        collection=collection,
        filename=FAQ_FILE,
        size=len(data),
        digest=sha256(data),
        title="FAQ de la mairie de Démoville",
        mime="text/markdown",
        uploaded_by_id=admin.id,
    )
    target = storage.path_of(data_dir, tenant.id, document.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    enqueue_analysis(db, user=admin, document=document)


def _acts(db: Session, tenant: Tenant, *, admin: User) -> None:
    records = [
        ActRecord(
            kind=kind.value,
            coll_name=tenant.name,
            coll_siret=SIRET,
            identifier=identifier,
            act_date=day,
            matiere_code=code,
            matiere_name=subject,
            objet=objet,
            budget_year="",
            budget_name="",
            pref_id="",
            pref_date=None,
            vote_effectif=19 if kind is ActKind.DELIBERATION else None,
            vote_reel=19 if kind is ActKind.DELIBERATION else None,
            vote_pour=17 if kind is ActKind.DELIBERATION else None,
            vote_contre=2 if kind is ActKind.DELIBERATION else None,
            vote_abstention=0 if kind is ActKind.DELIBERATION else None,
            url="",
            body=body,
        )
        for kind, identifier, day, code, subject, objet, body in ACTS
    ]
    done = upsert_many(
        db,
        corpus=corpus_for(db, tenant.id),
        records=records,
        source="fichier",
        imported_by_id=admin.id,
    )
    if "created" in done.outcomes:
        enqueue_embedding(db, tenant_id=tenant.id, user_id=admin.id)
