"""What assistants know about the collectivité (its profile): prompts, templates, letterheads."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Service, Tenant
from civia.assistants.document import Letterhead
from civia.assistants.letters.salutation import DEFAULT_CLOSINGS, closings_of

PROFILE_FIELDS = {  # key → (French label, help)
    "city": ("Commune / ville", "Ex. : Démoville (utilisé dans « Fait à … »)"),
    "address": ("Adresse postale", "1 place de la Mairie, 99000 Démoville"),
    "phone": ("Téléphone", ""),
    "email": ("Courriel de contact", ""),
    "autorite": ("Autorité qui signe les arrêtés", "Le Maire de la commune de Démoville"),
    "signataire": ("Signataire par défaut", "Le Maire, Prénom Nom"),
    "primary_colour": ("Couleur principale (hexadécimal)", "000091"),
    "formule_usager": ("Formule de politesse aux usagers", DEFAULT_CLOSINGS["usager"]),
    "formule_elu": ("Formule de politesse aux élus", DEFAULT_CLOSINGS["élu"]),
    "formule_administration": (
        "Formule de politesse aux administrations",
        DEFAULT_CLOSINGS["administration"],
    ),
}


def assistant_context(db: Session, tenant: Tenant) -> dict[str, Any]:
    profile = tenant.profile or {}
    services = db.scalars(select(Service.name).where(Service.tenant_id == tenant.id)).all()
    return {
        "collectivite": tenant.name,
        "city": profile.get("city", ""),
        "address": profile.get("address", ""),
        "autorite": profile.get("autorite") or f"L'autorité territoriale de {tenant.name}",
        "signataire": profile.get("signataire", ""),
        "services": "; ".join(services),
        "service_list": list(services),
        "formules": closings_of(profile),  # closing formula per kind of recipient (courrier)
        "routage": profile.get("routage") or {},  # service → « mot, mot » (tri des demandes)
    }


def letterhead(tenant: Tenant, service: str = "") -> Letterhead:
    profile = tenant.profile or {}
    logo = None
    if profile.get("logo_png_b64"):
        try:
            logo = base64.b64decode(profile["logo_png_b64"])
        except (binascii.Error, ValueError):
            logo = None
    return Letterhead(
        collectivite=tenant.name,
        address=profile.get("address", ""),
        service=service,
        phone=profile.get("phone", ""),
        email=profile.get("email", ""),
        city=profile.get("city", ""),
        logo_png=logo,
    )
