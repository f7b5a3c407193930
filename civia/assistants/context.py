"""What assistants know about the collectivité (its profile): prompts, templates, letterheads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.branding import branding_of
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
    brand = branding_of(tenant)
    services = db.scalars(select(Service.name).where(Service.tenant_id == tenant.id)).all()
    return {
        "collectivite": brand.name,
        "city": brand.city,
        "address": brand.address,
        "autorite": brand.authority or f"L'autorité territoriale de {brand.name}",
        "signataire": brand.signatory,
        "services": "; ".join(services),
        "service_list": list(services),
        "formules": closings_of(profile),  # closing formula per kind of recipient (courrier)
        "routage": profile.get("routage") or {},  # service → « mot, mot » (tri des demandes)
        "routage_exemples": profile.get("routage_exemples") or {},  # service → [exemple, …]
    }


def letterhead(tenant: Tenant, service: str = "") -> Letterhead:
    """The collectivité's header on every export, from its branding (`/admin/identite`)."""
    brand = branding_of(tenant)
    return Letterhead(
        collectivite=brand.name,
        address=brand.address,
        service=service,
        phone=brand.phone,
        email=brand.email,
        city=brand.city,
        logo_png=brand.logo_png,
        extra=brand.letterhead_extra,
    )


def primary_colour(tenant: Tenant) -> str:
    return branding_of(tenant).primary_colour
