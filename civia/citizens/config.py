"""The public assistant's settings: which collections are public, for how long exchanges are
kept, the colour, the mailbox « écrire à un agent » writes to, the sites that may embed it.
Chosen by an admin or a référent; every change is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Tenant, User
from civia.audit import journal as audit
from civia.citizens.models import PublicAssistant
from civia.db.base import utcnow
from civia.documents.models import Collection, Scope
from civia.mailbox import intake
from civia.mailbox.models import Mailbox

ASSISTANT_ID = "assistant-citoyen"  # its card in the use-case register (kill switch)
DEFAULT_COLOUR = "000091"  # bleu France: white text on it passes AA
MIN_HOURS, MAX_HOURS = 1, 24 * 30
PUBLISHABLE = (Scope.TENANT.value, Scope.SERVICE.value)  # never an agent's own collection
_HEX = re.compile(r"^[0-9a-fA-F]{6}$")


class ConfigError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class Values:
    enabled: bool = False
    title: str = ""
    welcome: str = ""
    collection_ids: list[int] = field(default_factory=list)
    retention_hours: int = 24
    colour: str = ""
    mailbox_id: int | None = None
    embed_origins: str = ""


def of(db: Session, tenant_id: int) -> PublicAssistant | None:
    return db.scalar(select(PublicAssistant).where(PublicAssistant.tenant_id == tenant_id))


def publishable(db: Session, tenant_id: int) -> list[Collection]:
    """The collections an admin may publish: the collectivité's and its services'."""
    return list(
        db.scalars(
            select(Collection)
            .where(Collection.tenant_id == tenant_id, Collection.scope.in_(PUBLISHABLE))
            .order_by(Collection.name)
        )
    )


def published_ids(db: Session, row: PublicAssistant) -> list[int]:
    """The published collections that still exist, belong to this collectivité and are not an
    agent's own, whatever the stored list says."""
    if not row.collection_ids:
        return []
    return list(
        db.scalars(
            select(Collection.id).where(
                Collection.id.in_([int(i) for i in row.collection_ids]),
                Collection.tenant_id == row.tenant_id,
                Collection.scope.in_(PUBLISHABLE),
            )
        )
    )


def colour(row: PublicAssistant | None, tenant: Tenant) -> str:
    chosen = (row.colour if row else "") or str((tenant.profile or {}).get("primary_colour", ""))
    return chosen if _HEX.match(chosen) else DEFAULT_COLOUR


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(background: str) -> str:
    """White or near-black text, whichever reads best on the collectivité's colour."""
    return (
        "ffffff" if contrast("ffffff", background) >= contrast("161616", background) else "161616"
    )


def link_colour(colour: str) -> str:
    """The colour for links on white when it passes RGAA's 4.5:1, else near-black."""
    return colour if contrast(colour, "ffffff") >= 4.5 else "161616"


def title(row: PublicAssistant | None, tenant: Tenant) -> str:
    return (row.title if row else "") or f"Assistant de {tenant.name}"


def origins(row: PublicAssistant | None) -> list[str]:
    return (row.embed_origins.split() if row else []) or []


def _origin(value: str) -> str | None:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def validate(db: Session, tenant_id: int, values: Values) -> Values:
    """The values, cleaned, or `ConfigError` with a French message per field."""
    errors: dict[str, str] = {}
    values.title = " ".join(values.title.split())
    if len(values.title) > 120:
        errors["title"] = "Le nom de l'assistant dépasse 120 caractères."
    values.welcome = values.welcome.strip()
    if len(values.welcome) > 1000:
        errors["welcome"] = "Le message d'accueil dépasse 1 000 caractères."
    allowed = {c.id for c in publishable(db, tenant_id)}
    if any(i not in allowed for i in values.collection_ids):
        errors["collection_ids"] = (
            "Une des collections choisies n'existe pas ou ne peut pas être publiée."
        )
    if values.enabled and not values.collection_ids:
        errors["collection_ids"] = (
            "Choisissez au moins une collection à publier pour ouvrir l'assistant."
        )
    if not MIN_HOURS <= values.retention_hours <= MAX_HOURS:
        errors["retention_hours"] = (
            f"La durée de conservation va de {MIN_HOURS} heure à {MAX_HOURS} heures (30 jours)."
        )
    values.colour = values.colour.strip().lstrip("#")
    if values.colour and not _HEX.match(values.colour):
        errors["colour"] = "La couleur s'écrit en six chiffres hexadécimaux, par exemple 000091."
    if values.mailbox_id is not None and values.mailbox_id not in {
        m.id for m in intake.mailboxes(db, tenant_id)
    }:
        errors["mailbox_id"] = "Cette boîte partagée n'existe pas dans votre collectivité."
    cleaned = []
    for raw in values.embed_origins.split():
        origin = _origin(raw)
        if origin is None:
            errors["embed_origins"] = (
                f"« {raw[:80]} » n'est pas l'adresse d'un site (par exemple https://www.ville.fr)."
            )
            break
        cleaned.append(origin)
    values.embed_origins = " ".join(dict.fromkeys(cleaned))
    if errors:
        raise ConfigError(errors)
    return values


def save(db: Session, *, actor: User, values: Values) -> PublicAssistant:
    values = validate(db, actor.tenant_id, values)
    row = of(db, actor.tenant_id) or PublicAssistant(tenant_id=actor.tenant_id)
    was_enabled = bool(row.enabled)
    row.enabled = values.enabled
    row.title = values.title
    row.welcome = values.welcome
    row.collection_ids = values.collection_ids
    row.retention_hours = values.retention_hours
    row.colour = values.colour
    row.mailbox_id = values.mailbox_id
    row.embed_origins = values.embed_origins
    row.updated_at = utcnow()
    db.add(row)
    db.flush()
    audit.record(
        db,
        tenant_id=actor.tenant_id,
        actor=audit.Actor(actor.id),
        action="citizens.settings",
        target=f"citizen_assistant:{row.id}",
        details={
            "enabled": values.enabled,
            "was_enabled": was_enabled,
            "collections": values.collection_ids,
            "retention_hours": values.retention_hours,
        },
    )
    return row


def mailbox_for(db: Session, row: PublicAssistant) -> Mailbox | None:
    """Where « écrire à un agent » goes: the chosen mailbox, else the collectivité's first."""
    boxes = intake.mailboxes(db, row.tenant_id)
    if row.mailbox_id is not None:
        return next((b for b in boxes if b.id == row.mailbox_id), None)
    return boxes[0] if boxes else None
