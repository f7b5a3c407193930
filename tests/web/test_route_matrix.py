"""The authorisation matrix, generated from the app's route table.

Every route of a real app (all default plugins) is declared below with the policy it must
enforce; a route without a declaration, or a declaration without a route, fails the module. Then
every route is requested by every persona: the six roles of Démoville's service A, bob (agent of
another service), carol and olivia (agent and admin of another collectivité), anonymous, and an API
token holder. Path parameters are filled with objects seeded in Démoville.

What is asserted, for every request: no 5xx; anonymous (and a bearer token on a web route) never
gets a 2xx on a non-public route, only a redirect to /connexion or a 401; a persona outside the
route's policy gets 401/403/404; a persona inside never gets 403; a user of the other
collectivité gets 403/404 on every route naming one of Démoville's objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import ApiToken, User
from civia.accounts.tokens import new_api_token
from civia.assistants.models import AssistantRun, SavedPrompt
from civia.chat.models import Conversation, Message
from civia.db.base import utcnow
from civia.db.engine import session_scope
from civia.documents.models import Collection, Document, Scope
from civia.governance import incidents, usecases
from civia.governance.usecases import Card
from civia.jobs.models import Job
from civia.meetings.models import Meeting, MeetingStatus
from civia.planning import diagnostics
from civia.planning import grid as diagnostic_grid
from civia.planning.models import Candidate, Survey, SurveyTheme
from civia.providers.models import Provider
from civia.settings import Settings
from civia.steering import reviews
from civia.steering.models import Review
from tests.conftest import PASSWORD, Personas, build_app, login

ROLES = ("agent", "referent", "comite", "dpo", "pilotage", "admin")
ALL = frozenset(ROLES)

# Policies: the roles that pass the route's authorisation (by role; ownership and tenant checks
# inside the route may still answer 404). PUBLIC needs no login; API needs an API token.
PUBLIC = "PUBLIC"
API = "API"
POLICIES: dict[str, frozenset[str] | str] = {
    "PUBLIC": PUBLIC,
    "API": API,
    "ANY_USER": ALL,
    "USER_OR_API": ALL,  # any logged-in user, or an API token instead of the session
    "ADMIN": frozenset({"admin"}),
    "DPO": frozenset({"dpo"}),
    "COMITE": frozenset({"comite"}),
    "STEERING": frozenset({"pilotage", "admin"}),
    "BUILDERS": frozenset({"referent", "admin"}),
    "KEEPERS": frozenset({"dpo", "admin"}),
    "AUDITORS": frozenset({"comite", "dpo", "admin"}),
    "CASE_EDITORS": frozenset({"referent", "comite", "dpo", "admin"}),
    "CASE_VIEWERS": frozenset({"referent", "comite", "dpo", "pilotage", "admin"}),
    "POOLERS": frozenset({"referent", "pilotage", "admin"}),
    # the card's author (référent) and admins edit it; the comité may also attach the FRIA
    "CASE_WRITERS": frozenset({"referent", "admin"}),
    "FRIA_WRITERS": frozenset({"referent", "comite", "admin"}),
    # the platform operator (no collectivité's persona is one): everyone here is refused
    "OPERATOR": frozenset({"operateur"}),
}

# Every route of the app: (method, path) -> policy name.
EXPECTED: dict[tuple[str, str], str] = {
    # Shared services: the operator's pages, single sign-on, a collectivité's quotas.
    ("GET", "/plateforme"): "OPERATOR",
    ("GET", "/plateforme/sso"): "OPERATOR",
    ("POST", "/plateforme/sso"): "OPERATOR",
    ("POST", "/plateforme/sso/{name}/retirer"): "OPERATOR",
    ("POST", "/plateforme/collectivites"): "OPERATOR",
    ("POST", "/plateforme/collectivites/{slug}/administrateur"): "OPERATOR",
    ("POST", "/plateforme/collectivites/{slug}/mots-de-passe"): "OPERATOR",
    ("POST", "/plateforme/collectivites/{slug}/quota"): "OPERATOR",
    ("POST", "/plateforme/collectivites/{slug}/siret"): "OPERATOR",
    ("POST", "/plateforme/collectivites/{slug}/statut"): "OPERATOR",
    ("GET", "/plateforme/collectivites/{slug}/releve/{month}.{fmt}"): "OPERATOR",
    ("GET", "/admin/quotas/releve/{month}.{fmt}"): "ADMIN",
    ("GET", "/plateforme/cles"): "OPERATOR",
    ("POST", "/plateforme/cles"): "OPERATOR",
    ("POST", "/plateforme/cles/{name}/retirer"): "OPERATOR",
    ("GET", "/sso/{name}/connexion"): "PUBLIC",
    ("GET", "/sso/{name}/retour"): "PUBLIC",
    ("GET", "/admin/quotas"): "ADMIN",
    ("POST", "/admin/quotas"): "ADMIN",
    ("POST", "/admin/quotas/retirer"): "ADMIN",
    ("GET", "/admin/identite"): "ADMIN",
    ("POST", "/admin/identite"): "ADMIN",
    ("GET", "/admin/mutualisation"): "ADMIN",
    ("POST", "/admin/mutualisation"): "ADMIN",
    # accounts, home
    ("GET", "/connexion"): "PUBLIC",
    ("POST", "/connexion"): "PUBLIC",
    ("POST", "/deconnexion"): "PUBLIC",
    ("GET", "/"): "ANY_USER",
    ("GET", "/sante"): "PUBLIC",
    ("GET", "/openapi.json"): "USER_OR_API",
    ("GET", "/compte/jetons"): "ANY_USER",
    ("POST", "/compte/jetons"): "ANY_USER",
    ("POST", "/compte/jetons/{token_id}/revoquer"): "ANY_USER",
    ("GET", "/compte/mot-de-passe"): "ANY_USER",
    ("POST", "/compte/mot-de-passe"): "ANY_USER",
    # chat
    ("GET", "/conversations/nouvelle"): "ANY_USER",
    ("POST", "/conversations/nouvelle"): "ANY_USER",
    ("POST", "/conversations"): "ANY_USER",
    ("GET", "/conversations/liste"): "ANY_USER",
    ("GET", "/conversations/{conversation_id}"): "ANY_USER",
    ("POST", "/conversations/{conversation_id}/messages"): "ANY_USER",
    ("POST", "/conversations/{conversation_id}/regenerer"): "ANY_USER",
    ("POST", "/conversations/{conversation_id}/reponses/{message_id}/arret"): "ANY_USER",
    ("GET", "/conversations/{conversation_id}/reponses/{message_id}/flux"): "ANY_USER",
    ("POST", "/conversations/{conversation_id}/renommer"): "ANY_USER",
    ("POST", "/conversations/{conversation_id}/supprimer"): "ANY_USER",
    # assistants and their results
    ("POST", "/assistants/{assistant_id}/lot"): "ANY_USER",
    ("POST", "/resultats/{run_id}/lot"): "ANY_USER",
    ("POST", "/resultats/{run_id}/tableaux"): "ANY_USER",
    ("GET", "/resultats/{run_id}/tableaux/{number}"): "ANY_USER",
    ("POST", "/resultats/{run_id}/tableaux/{number}"): "ANY_USER",
    ("GET", "/assistants/{assistant_id}"): "ANY_USER",
    ("POST", "/assistants/{assistant_id}"): "ANY_USER",
    ("GET", "/resultats"): "ANY_USER",
    ("GET", "/resultats/{run_id}"): "ANY_USER",
    ("GET", "/resultats/{run_id}/flux"): "ANY_USER",
    ("POST", "/resultats/{run_id}/brouillon"): "ANY_USER",
    ("POST", "/resultats/{run_id}/valider"): "ANY_USER",
    ("POST", "/resultats/{run_id}/avis"): "ANY_USER",
    ("GET", "/resultats/{run_id}/export/{fmt}"): "ANY_USER",
    # posters laid out from an « Affiche et visuel » result (the owner's)
    ("GET", "/affiches/{run_id}"): "ANY_USER",
    ("POST", "/affiches/{run_id}"): "ANY_USER",
    ("GET", "/affiches/{run_id}/apercu/{fmt}"): "ANY_USER",
    # assistant builder and prompts
    ("GET", "/atelier"): "BUILDERS",
    ("GET", "/atelier/nouveau"): "BUILDERS",
    ("POST", "/atelier/nouveau"): "BUILDERS",
    ("GET", "/atelier/importer"): "BUILDERS",
    ("POST", "/atelier/importer"): "BUILDERS",
    ("GET", "/atelier/export/{assistant_id}"): "BUILDERS",
    ("GET", "/atelier/{slug}"): "BUILDERS",
    ("POST", "/atelier/{slug}"): "BUILDERS",
    ("POST", "/atelier/{slug}/essayer"): "BUILDERS",
    ("POST", "/atelier/{slug}/soumettre"): "BUILDERS",
    ("POST", "/atelier/{slug}/publier"): "ADMIN",
    ("POST", "/atelier/{slug}/suspendre"): "ADMIN",
    ("GET", "/atelier/{slug}/versions"): "BUILDERS",
    ("POST", "/atelier/{slug}/versions/{number}/restaurer"): "BUILDERS",
    ("GET", "/prompts"): "ANY_USER",
    ("POST", "/prompts"): "ANY_USER",
    ("GET", "/prompts/{prompt_id}"): "ANY_USER",
    ("POST", "/prompts/{prompt_id}"): "ANY_USER",
    ("GET", "/prompts/{prompt_id}/modifier"): "ANY_USER",
    ("POST", "/prompts/{prompt_id}/modifier"): "ANY_USER",
    ("POST", "/prompts/{prompt_id}/supprimer"): "ANY_USER",
    # administration
    ("GET", "/admin/utilisateurs"): "ADMIN",
    ("POST", "/admin/utilisateurs"): "ADMIN",
    ("POST", "/admin/utilisateurs/{user_id}"): "ADMIN",
    ("GET", "/admin/services"): "ADMIN",
    ("POST", "/admin/services"): "ADMIN",
    ("GET", "/admin/fournisseurs"): "ADMIN",
    ("POST", "/admin/fournisseurs"): "ADMIN",
    ("POST", "/admin/fournisseurs/tester"): "ADMIN",
    ("POST", "/admin/politique-donnees"): "ADMIN",
    ("GET", "/admin/courriers"): "ADMIN",
    ("POST", "/admin/courriers"): "ADMIN",
    ("GET", "/admin/vocabulaire"): "ADMIN",
    ("POST", "/admin/vocabulaire"): "ADMIN",
    ("GET", "/admin/routage"): "ADMIN",
    ("POST", "/admin/routage"): "ADMIN",
    ("GET", "/admin/index"): "ADMIN",
    ("POST", "/admin/index/{collection_id}/reindexer"): "ADMIN",
    ("GET", "/admin/courriels"): "ADMIN",
    ("POST", "/admin/courriels"): "ADMIN",
    ("POST", "/admin/courriels/{mailbox_id}/pause"): "ADMIN",
    # jobs
    ("GET", "/travaux"): "ANY_USER",
    ("GET", "/travaux/{job_id}"): "ANY_USER",
    ("POST", "/travaux/{job_id}/annuler"): "ANY_USER",
    # documents
    ("GET", "/documents"): "ANY_USER",
    ("POST", "/documents/collections"): "ANY_USER",
    ("GET", "/documents/collections/{collection_id}"): "ANY_USER",
    ("POST", "/documents/collections/{collection_id}/renommer"): "BUILDERS",
    ("POST", "/documents/collections/{collection_id}/supprimer"): "BUILDERS",
    ("POST", "/documents/collections/{collection_id}/depot"): "BUILDERS",
    ("GET", "/documents/{document_id:int}"): "ANY_USER",
    ("GET", "/documents/{document_id:int}/original"): "ANY_USER",
    ("POST", "/documents/{document_id:int}/supprimer"): "ANY_USER",
    ("POST", "/documents/{document_id:int}/relancer"): "BUILDERS",
    # meetings
    ("GET", "/reunions"): "ANY_USER",
    ("POST", "/reunions"): "ANY_USER",
    ("GET", "/reunions/{meeting_id}"): "ANY_USER",
    ("GET", "/reunions/{meeting_id}/audio"): "ANY_USER",
    ("GET", "/reunions/{meeting_id}/export/{fmt}"): "ANY_USER",
    ("POST", "/reunions/{meeting_id}/audio/supprimer"): "ANY_USER",
    ("POST", "/reunions/{meeting_id}/supprimer"): "ANY_USER",
    ("POST", "/reunions/{meeting_id}/transcription"): "ANY_USER",
    # acts
    ("GET", "/actes/importer"): "BUILDERS",
    ("POST", "/actes/importer/scdl"): "BUILDERS",
    ("POST", "/actes/importer/acte"): "BUILDERS",
    ("GET", "/actes/imports/{import_id}"): "BUILDERS",
    ("POST", "/actes/{act_id}/supprimer"): "BUILDERS",
    ("GET", "/actes/partage"): "ADMIN",
    ("POST", "/actes/partage"): "ADMIN",
    ("GET", "/actes"): "ANY_USER",
    ("GET", "/actes/{act_id}"): "ANY_USER",
    ("POST", "/actes/rediger"): "ANY_USER",
    # OpenAI-compatible API
    ("GET", "/v1/models"): "API",
    ("POST", "/v1/chat/completions"): "API",
    ("POST", "/v1/embeddings"): "API",
    ("POST", "/v1/audio/transcriptions"): "API",
    # governance
    ("GET", "/gouvernance"): "ANY_USER",
    ("GET", "/gouvernance/journal"): "AUDITORS",
    ("GET", "/gouvernance/journal.csv"): "AUDITORS",
    ("GET", "/charte"): "ANY_USER",
    ("POST", "/charte"): "ANY_USER",
    ("GET", "/gouvernance/charte"): "ADMIN",
    ("POST", "/gouvernance/charte"): "ADMIN",
    ("GET", "/formation"): "ANY_USER",
    ("POST", "/formation"): "ANY_USER",
    ("GET", "/gouvernance/formation"): "STEERING",
    ("GET", "/gouvernance/cas-usage"): "CASE_VIEWERS",
    ("GET", "/gouvernance/cas-usage/nouveau"): "CASE_EDITORS",
    ("POST", "/gouvernance/cas-usage"): "CASE_EDITORS",
    ("GET", "/gouvernance/cas-usage/{case_id}"): "CASE_VIEWERS",
    ("GET", "/gouvernance/cas-usage/{case_id}/modifier"): "CASE_EDITORS",
    ("POST", "/gouvernance/cas-usage/{case_id}/modifier"): "CASE_WRITERS",
    ("POST", "/gouvernance/cas-usage/{case_id}/analyse-impact"): "FRIA_WRITERS",
    ("GET", "/gouvernance/cas-usage/{case_id}/analyse-impact/{version}"): "CASE_VIEWERS",
    ("POST", "/gouvernance/cas-usage/{case_id}/transition"): "AUDITORS",
    ("POST", "/gouvernance/cas-usage/{case_id}/vote"): "COMITE",
    ("POST", "/gouvernance/cas-usage/{case_id}/commentaire"): "CASE_VIEWERS",
    ("GET", "/gouvernance/cas-usage/{case_id}/{kind}.{fmt}"): "AUDITORS",
    ("POST", "/gouvernance/suspendre"): "AUDITORS",
    ("GET", "/incidents/nouveau"): "ANY_USER",
    ("POST", "/incidents"): "ANY_USER",
    ("GET", "/gouvernance/incidents"): "AUDITORS",
    ("GET", "/gouvernance/incidents/{incident_id}"): "AUDITORS",
    ("POST", "/gouvernance/incidents/{incident_id}"): "COMITE",
    ("GET", "/transparence/{slug}.json"): "PUBLIC",
    ("GET", "/transparence/{slug}.csv"): "PUBLIC",
    ("GET", "/transparence/{slug}"): "PUBLIC",
    ("GET", "/gouvernance/droits/personne-citee"): "DPO",
    ("POST", "/gouvernance/droits/personne-citee"): "DPO",
    ("POST", "/gouvernance/droits/personne-citee/effacer"): "DPO",
    ("POST", "/gouvernance/droits/personne-citee/acces"): "DPO",
    ("GET", "/compte/mes-donnees"): "ANY_USER",
    ("GET", "/compte/mes-donnees.json"): "ANY_USER",
    ("GET", "/gouvernance/parametres"): "KEEPERS",
    ("POST", "/gouvernance/parametres"): "KEEPERS",
    ("GET", "/gouvernance/droits"): "DPO",
    ("POST", "/gouvernance/droits/{user_id}/effacer"): "DPO",
    # planning
    ("GET", "/pilotage/diagnostic"): "STEERING",
    ("GET", "/pilotage/diagnostic/nouveau"): "STEERING",
    ("POST", "/pilotage/diagnostic"): "STEERING",
    ("GET", "/pilotage/diagnostic/grilles/{slug}.yaml"): "STEERING",
    ("POST", "/pilotage/diagnostic/grilles"): "STEERING",
    ("GET", "/pilotage/diagnostic/{diagnostic_id:int}"): "STEERING",
    ("GET", "/pilotage/diagnostic/{diagnostic_id:int}/export.{fmt}"): "STEERING",
    ("GET", "/pilotage/portefeuille"): "STEERING",
    ("POST", "/pilotage/portefeuille"): "STEERING",
    ("GET", "/pilotage/portefeuille/export.yaml"): "STEERING",
    ("POST", "/pilotage/portefeuille/importer"): "STEERING",
    ("POST", "/pilotage/portefeuille/depuis-enquete"): "STEERING",
    ("POST", "/pilotage/portefeuille/depuis-atelier"): "STEERING",
    ("GET", "/pilotage/portefeuille/{candidate_id:int}"): "STEERING",
    ("POST", "/pilotage/portefeuille/{candidate_id:int}/noter"): "STEERING",
    ("POST", "/pilotage/portefeuille/{candidate_id:int}/placer"): "STEERING",
    ("POST", "/pilotage/portefeuille/{candidate_id:int}/brouillon"): "STEERING",
    ("POST", "/pilotage/portefeuille/{candidate_id:int}/supprimer"): "STEERING",
    ("GET", "/pilotage/enquetes"): "STEERING",
    ("POST", "/pilotage/enquetes"): "STEERING",
    ("GET", "/pilotage/enquetes/{survey_id:int}"): "STEERING",
    ("POST", "/pilotage/enquetes/{survey_id:int}/clore"): "STEERING",
    ("POST", "/pilotage/enquetes/{survey_id:int}/regroupements"): "STEERING",
    ("POST", "/pilotage/enquetes/{survey_id:int}/regroupements/{theme_id:int}"): "STEERING",
    ("GET", "/enquete/{token}"): "PUBLIC",
    ("POST", "/enquete/{token}"): "PUBLIC",
    # steering
    ("GET", "/pilotage/tarifs"): "ADMIN",
    ("POST", "/pilotage/tarifs/fournisseurs/{provider_id}"): "ADMIN",
    ("POST", "/pilotage/tarifs/reglages"): "ADMIN",
    ("GET", "/pilotage/revues"): "STEERING",
    ("POST", "/pilotage/revues"): "STEERING",
    ("GET", "/pilotage/revues/{review_id}"): "STEERING",
    ("POST", "/pilotage/revues/{review_id}"): "STEERING",
    ("GET", "/pilotage/revues/{review_id}/revue.docx"): "STEERING",
    ("GET", "/pilotage/revues/{review_id}/revue.pdf"): "STEERING",
    ("GET", "/pilotage"): "STEERING",
    ("GET", "/pilotage/export.csv"): "STEERING",
    ("POST", "/pilotage/cibles"): "STEERING",
    ("GET", "/pilotage/satisfaction"): "STEERING",
    ("GET", "/pilotage/satisfaction/export.csv"): "STEERING",
    ("GET", "/satisfaction"): "ANY_USER",
    ("POST", "/satisfaction"): "ANY_USER",
    ("GET", "/satisfaction/bandeau"): "ANY_USER",
    ("POST", "/satisfaction/plus-tard"): "ANY_USER",
    ("POST", "/satisfaction/ne-plus-proposer"): "ANY_USER",
    # mailbox
    ("GET", "/courriels"): "ANY_USER",
    ("POST", "/courriels/relever"): "ANY_USER",
    ("GET", "/courriels/{message_id}"): "ANY_USER",
    ("POST", "/courriels/{message_id}"): "ANY_USER",
    ("POST", "/courriels/{message_id}/reanalyser"): "ANY_USER",
    # public assistant (citizens)
    ("GET", "/citoyens/{slug}"): "PUBLIC",
    ("GET", "/citoyens/{slug}/theme.css"): "PUBLIC",
    ("POST", "/citoyens/{slug}/questions"): "PUBLIC",
    ("POST", "/citoyens/{slug}/reponses/{token}/avis"): "PUBLIC",
    ("GET", "/citoyens/{slug}/agent"): "PUBLIC",
    ("POST", "/citoyens/{slug}/agent"): "PUBLIC",
    ("GET", "/citoyens/{slug}/sources/{document_id}"): "PUBLIC",
    ("GET", "/admin/assistant-citoyen"): "BUILDERS",
    ("POST", "/admin/assistant-citoyen"): "BUILDERS",
    ("GET", "/pilotage/citoyens"): "STEERING",
    # shared catalogue (entry_id names nothing here: tests/catalogue covers live entries)
    ("GET", "/catalogue"): "POOLERS",
    ("GET", "/catalogue/publier"): "POOLERS",
    ("POST", "/catalogue/publier"): "POOLERS",
    ("GET", "/catalogue/{entry_id:int}"): "POOLERS",
    ("POST", "/catalogue/{entry_id:int}/adopter"): "POOLERS",
    ("POST", "/catalogue/{entry_id:int}/retirer"): "POOLERS",
    # operations: no login; details and metrics for the operator only (tests/ops)
    ("GET", "/healthz"): "PUBLIC",
    ("GET", "/readyz"): "PUBLIC",
    ("GET", "/metrics"): "PUBLIC",
}
# Probes that answer 503 when a dependency is missing (no model file on this machine): that
# is their answer, not a server error.
MAY_BE_UNAVAILABLE = {("GET", "/readyz")}

# Bodies that pass validation, so the request reaches the route's own checks (the route's
# authorisation, not a 422 for a missing field). "files" sends one small text file (multipart).
FORMS: dict[tuple[str, str], dict[str, str] | str] = {
    ("POST", "/conversations/{conversation_id}/messages"): {"content": "Bonjour"},
    ("POST", "/conversations/{conversation_id}/renommer"): {"title": "Renommée"},
    ("POST", "/admin/utilisateurs/{user_id}"): {"role": "agent", "active": "true"},
    ("POST", "/documents/collections/{collection_id}/renommer"): {"name": "Renommée"},
    ("POST", "/documents/collections/{collection_id}/supprimer"): {"confirm": "oui"},
    ("POST", "/documents/collections/{collection_id}/depot"): "files",
    ("POST", "/gouvernance/cas-usage/{case_id}/modifier"): {"title": "Fiche"},
    ("POST", "/gouvernance/cas-usage/{case_id}/transition"): {"action": "suspend", "note": "Essai"},
    ("POST", "/gouvernance/cas-usage/{case_id}/vote"): {"choice": "approve"},
    ("POST", "/gouvernance/cas-usage/{case_id}/commentaire"): {"body": "Vu."},
    ("POST", "/resultats/{run_id}/brouillon"): {"text": "Texte relu."},
    ("POST", "/resultats/{run_id}/valider"): {"text": "Texte relu."},
    ("POST", "/resultats/{run_id}/avis"): {"rating": "useful"},
    ("POST", "/satisfaction"): {"vague": "J+15", "ease": "4", "recommend": "9"},
    ("POST", "/satisfaction/plus-tard"): {"vague": "J+15"},
    ("POST", "/satisfaction/ne-plus-proposer"): {"vague": "J+15"},
    ("POST", "/pilotage/portefeuille/{candidate_id:int}/placer"): {"circle": "1"},
    ("POST", "/pilotage/enquetes/{survey_id:int}/regroupements"): {"method": "mots-cles"},
    ("POST", "/pilotage/enquetes/{survey_id:int}/regroupements/{theme_id:int}"): {
        "action": "discard"
    },
}

# Routes that would reach the model (or the network) for an allowed persona: only the refusal
# cases are requested (no real model call from this matrix).
MODEL_CALLS = {
    ("POST", "/conversations"),
    ("POST", "/conversations/{conversation_id}/messages"),
    ("POST", "/conversations/{conversation_id}/regenerer"),
    ("GET", "/conversations/{conversation_id}/reponses/{message_id}/flux"),
    ("POST", "/assistants/{assistant_id}"),
    ("POST", "/assistants/{assistant_id}/lot"),
    ("POST", "/resultats/{run_id}/lot"),
    ("GET", "/resultats/{run_id}/flux"),
    ("POST", "/atelier/{slug}/essayer"),
    ("POST", "/actes/rediger"),
    ("POST", "/prompts/{prompt_id}"),
    ("POST", "/courriels/relever"),
    ("POST", "/pilotage/portefeuille/{candidate_id:int}/brouillon"),
}
# Logging out or changing one's own password/charter would change the personas' sessions.
SESSION_CHANGING = {("POST", "/deconnexion"), ("POST", "/gouvernance/charte")}
# Requested last: they delete the seeded objects the other routes use.
DESTRUCTIVE = ("/supprimer", "/effacer", "/revoquer")

# Parameters naming objects private to the agent (their conversation, meeting, token, job,
# result, personal prompt): any other persona of the same collectivité gets 403/404 there, but
# the admins of the collectivité, who also follow its jobs.
OWNED = {"conversation_id", "message_id", "meeting_id", "token_id", "job_id", "run_id", "prompt_id"}
ALSO_SEEN_BY = {"job_id": "admin"}
OWNER = "agent"
OTHER_TENANT = ("carol", "olivia")
COOKIE_PERSONAS = (*ROLES, "bob", *OTHER_TENANT)
ROLE_OF = {**{r: r for r in ROLES}, "bob": "agent", "carol": "agent", "olivia": "admin"}
ANONYMOUS, TOKEN = "anonymous", "api-token"


@dataclass
class World:
    clients: dict[str, TestClient]
    csrf: dict[str, str]
    params: dict[str, str]
    tenant_params: set[str]
    api_token: str


def app_routes(client: TestClient) -> set[tuple[str, str]]:
    """(method, path) of every route, included routers flattened (HEAD apart)."""
    app: FastAPI = client.app  # type: ignore[assignment]
    found: set[tuple[str, str]] = set()
    for route in iter_route_contexts(app.routes):
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                found.add((method, str(route.path)))
    return found


def _seed(client: TestClient, personas: Personas) -> tuple[dict[str, str], str]:
    """Objects of Démoville named in paths: agent's conversation, meeting and API token, a
    tenant collection, the référent's use case, an incident and a spare user."""
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        agent = db.get(User, personas["agent"].id)
        referent = db.get(User, personas["referent"].id)
        assert agent is not None and referent is not None
        target = User(
            login="cible",
            display_name="Cible",
            role="agent",
            tenant_id=personas.tenant.id,
            service_id=personas.service_a.id,
            password_hash=agent.password_hash,
        )
        conversation = Conversation(tenant_id=agent.tenant_id, user_id=agent.id, title="Matrice")
        db.add_all([target, conversation])
        db.flush()
        question = Message(conversation_id=conversation.id, role="user", content="Bonjour")
        answer = Message(conversation_id=conversation.id, role="assistant", content="Bonjour.")
        db.add_all([question, answer])
        collection = Collection(tenant_id=agent.tenant_id, scope=Scope.TENANT.value, name="Commune")
        meeting = Meeting(
            tenant_id=agent.tenant_id,
            user_id=agent.id,
            service_id=agent.service_id,
            title="Conseil",
            status=MeetingStatus.READY,
        )
        secret, prefix, digest = new_api_token()
        token = ApiToken(
            user_id=agent.id,
            name="matrice",
            prefix=prefix,
            token_hash=digest,
            expires_at=utcnow().replace(year=utcnow().year + 1),
        )
        db.add_all([collection, meeting, token])
        card = Card(assistant_id="courrier", title="Courriers", owner_service_id=None)
        case = usecases.create(db, actor=referent, card=card)
        incident = incidents.report(db, reporter=agent, kind="other", description="À vérifier.")
        db.flush()
        provider_id = db.scalar(select(Provider.id).where(Provider.tenant_id == agent.tenant_id))
        more = _seed_more(db, agent, collection.id)
        params = {
            **more,
            "conversation_id": str(conversation.id),
            "message_id": str(answer.id),
            "collection_id": str(collection.id),
            "meeting_id": str(meeting.id),
            "token_id": str(token.id),
            "case_id": str(case.id),
            "incident_id": str(incident.id),
            "user_id": str(target.id),
            "provider_id": str(provider_id),
        }
    return params, secret


def _seed_more(db: Session, agent: User, collection_id: int) -> dict[str, str]:
    """The agent's job, assistant result, saved prompt and document; a survey, diagnostic,
    portfolio candidate and review of Démoville."""
    tenant_id = agent.tenant_id
    job = Job(
        tenant_id=tenant_id, user_id=agent.id, kind="ingest", queue="documents", status="done"
    )
    run = AssistantRun(
        tenant_id=tenant_id, user_id=agent.id, assistant_id="faq", status="draft", draft="Texte."
    )
    prompt = SavedPrompt(tenant_id=tenant_id, user_id=agent.id, title="Modèle", body="Bonjour")
    document = Document(
        tenant_id=tenant_id,
        collection_id=collection_id,
        uploaded_by_id=agent.id,
        title="Note",
        sha256="0" * 64,
        status="ready",
    )
    survey = Survey(tenant_id=tenant_id, title="Enquête", token="jeton-enquete-matrice")
    grid = diagnostic_grid.builtin()
    answers = {q.id: q.options[0].value for d in grid.dimensions for q in d.questions}
    diagnostic = diagnostics.create(db, user=agent, grid=grid, title="Diagnostic", answers=answers)
    candidate = Candidate(tenant_id=tenant_id, title="Courriers")
    launch = date(2026, 10, 1)
    figures = reviews.figures(db, tenant_id, None, 30, launch)
    verdict = reviews.verdict(30, figures)
    review = Review(
        tenant_id=tenant_id,
        milestone=30,
        launch_date=launch,
        figures=figures,
        recommendation=verdict.recommendation,
        reasons=verdict.reasons,
    )
    db.add_all([job, run, prompt, document, survey, candidate, review])
    db.flush()
    theme = SurveyTheme(
        survey_id=survey.id, tenant_id=tenant_id, title="Courriels", size=5, method="mots-cles"
    )
    db.add(theme)
    db.flush()
    return {
        "theme_id": str(theme.id),
        "job_id": str(job.id),
        "run_id": str(run.id),
        "prompt_id": str(prompt.id),
        "document_id": str(document.id),
        "survey_id": str(survey.id),
        "diagnostic_id": str(diagnostic.id),
        "candidate_id": str(candidate.id),
        "review_id": str(review.id),
    }


# Values for the parameters no object is seeded for: they name nothing (404), or a public item.
DEFAULTS = {
    "assistant_id": "faq",
    "slug": "demoville",
    "number": "1",
    "fmt": "csv",
    "kind": "aipd",
    "version": "1",
    "token": "jeton-inconnu",
    "import_id": "999999",
    "act_id": "999999",
    "mailbox_id": "999999",
    "name": "fournisseur-inconnu",
    "month": "2026-12",
    "entry_id": "999999",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, password_hash: str) -> Iterator[World]:
    tmp: Path = tmp_path_factory.mktemp("matrix")
    settings = Settings(
        data_dir=tmp,
        database_url=f"sqlite:///{tmp / 'civia.db'}",
        max_tokens=8,
        login_rate_limit="100/minute",
        retention_sweep_hours=0,
        jobs_in_process=False,
    )
    main, personas = build_app(settings, password_hash)
    with main:
        params, secret = _seed(main, personas)
        clients: dict[str, TestClient] = {ANONYMOUS: TestClient(main.app), TOKEN: main}
        csrf = {}
        for name in COOKIE_PERSONAS:
            clients[name] = TestClient(main.app)
            csrf[name] = login(clients[name], name, PASSWORD)
        yield World(clients, csrf, {**DEFAULTS, **params}, set(params), secret)
    main.app.state.engine.dispose()  # type: ignore[attr-defined]


def test_every_route_is_declared(world: World) -> None:
    present = app_routes(world.clients[ANONYMOUS])
    present.discard(("GET", "/static"))
    undeclared = sorted(present - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - present)
    assert undeclared == [], f"routes without a policy in EXPECTED: {undeclared}"
    assert stale == [], f"declared routes the app no longer has: {stale}"
    assert set(EXPECTED.values()) <= POLICIES.keys()


def fill(path: str, params: dict[str, str]) -> tuple[str, set[str]]:
    """The path with its parameters (`{name}` or `{name:int}`) replaced, and their names."""
    names = set(re.findall(r"{(\w+)(?::\w+)?}", path))
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: params[m.group(1)], path), names


def _request(
    world: World, persona: str, method: str, url: str, form: dict[str, str] | str | None
) -> Any:  # the TestClient response
    client = world.clients[persona]
    headers: dict[str, str] = {}
    data: dict[str, str] | None = None
    if persona == TOKEN:
        headers["Authorization"] = f"Bearer {world.api_token}"
    if persona in world.csrf:
        headers["X-CSRF-Token"] = world.csrf[persona]
    if url.startswith("/v1/") and method == "POST":
        return client.post(url, json={}, headers=headers, follow_redirects=False)
    if method == "POST":
        data = {"csrf_token": world.csrf.get(persona, "")}
        if form == "files":
            files = [("files", ("note.txt", b"Texte.", "text/plain"))]
            return client.post(url, data=data, files=files, headers=headers, follow_redirects=False)
        if isinstance(form, dict):
            data.update(form)
    return client.request(method, url, data=data, headers=headers, follow_redirects=False)


def _verdict(
    persona: str,
    policy: frozenset[str] | str,
    status: int,
    location: str,
    cross_tenant: bool,
    owned: frozenset[str] | set[str] = frozenset(),
    token_ok: bool = False,
) -> str | None:
    """Why the status breaks the policy, or None."""
    if status >= 500:
        return "server error"
    if policy == PUBLIC:
        return None
    denied_anonymously = status == 401 or (status == 303 and location.startswith("/connexion"))
    if persona == ANONYMOUS:
        return None if denied_anonymously else "anonymous not sent to /connexion"
    if persona == TOKEN:
        if policy == API or token_ok:
            return "API token refused" if status in (401, 403) else None
        return None if denied_anonymously else "API token opened a web route"
    if policy == API:  # a browser session is not an API credential
        return None if status in (401, 403) else "session cookie accepted by the API"
    if persona in OTHER_TENANT and cross_tenant:
        return None if status in (403, 404) else "other collectivité reached Démoville's object"
    others = {ALSO_SEEN_BY.get(name) for name in owned}
    if owned and persona != OWNER and not (persona in ROLES and persona in others):
        return None if status in (403, 404) else "another user reached the agent's own object"
    assert isinstance(policy, frozenset)
    if ROLE_OF[persona] in policy:
        return "allowed role refused (403)" if status == 403 else None
    return None if status in (401, 403, 404) else "role outside the policy not refused"


def _ordered() -> list[tuple[str, str]]:
    return sorted(EXPECTED, key=lambda route: route[1].endswith(DESTRUCTIVE))


def _skipped(
    route: tuple[str, str],
    persona: str,
    policy: frozenset[str] | str,
    inside: bool,
    cross_tenant: bool,
) -> bool:
    """Requests left out: an allowed persona on a route that would call the model, or change
    the personas' own sessions (logging out, publishing a new charter)."""
    if route in SESSION_CHANGING:
        return persona != ANONYMOUS if policy == PUBLIC else persona in COOKIE_PERSONAS and inside
    if route in MODEL_CALLS and policy != API:
        return inside and not (persona in OTHER_TENANT and cross_tenant)
    return False


def test_route_matrix(world: World) -> None:
    failures = []
    checked = 0
    # Outsiders first on each route, so an allowed persona's change comes after the refusals.
    personas = [ANONYMOUS, TOKEN, *OTHER_TENANT, "bob", *ROLES]
    for method, path in _ordered():
        policy = POLICIES[EXPECTED[(method, path)]]
        url, names = fill(path, world.params)
        cross_tenant = bool(names & world.tenant_params)
        for persona in personas:
            if policy == PUBLIC:
                inside = True
            elif policy == API:
                inside = persona == TOKEN
            else:
                inside = ROLE_OF.get(persona, "") in policy
            if _skipped((method, path), persona, policy, inside, cross_tenant):
                continue
            resp = _request(world, persona, method, url, FORMS.get((method, path)))
            checked += 1
            if (method, path) in MAY_BE_UNAVAILABLE and resp.status_code == 503:
                continue
            why = _verdict(
                persona,
                policy,
                resp.status_code,
                resp.headers.get("location", ""),
                cross_tenant,
                owned=names & OWNED,
                token_ok=EXPECTED[(method, path)] == "USER_OR_API",
            )
            if why:
                failures.append(f"{method} {url} as {persona}: {resp.status_code} ({why})")
    print(f"\n{checked} requests over {len(EXPECTED)} routes")
    assert failures == [], "\n".join(failures)
