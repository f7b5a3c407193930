"""A collectivité's branding: name, logo, colours, letterhead and signatory, used by every
export (DOCX, ODT, PDF, PPTX letters and reports) and readable by any area through
`branding_of(tenant)`.

The admin edits it (`/admin/identite`); the logo is an upload, treated as hostile: only PNG and
JPEG are accepted, decoded within a pixel budget and re-encoded as a fresh PNG (metadata, text
chunks and anything after the image data are dropped); SVG is refused (it may carry scripts and
external references, and the exports need a bitmap). Colours must read on white with a contrast
of at least 4.5:1 (RGAA 3.2, WCAG 1.4.3): they colour headings and table headers.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from dataclasses import dataclass
from typing import Any

from civia.accounts.models import Tenant

HEX_RE = re.compile(r"^#?([0-9A-Fa-f]{6})$")
DEFAULT_PRIMARY = "000091"  # bleu France
DEFAULT_SECONDARY = "6A6A6A"
MIN_CONTRAST = 4.5
MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_PIXELS = 4096 * 4096  # decompression bombs: refused before decoding
LOGO_MAX_SIDE = 600  # stored size; the exports print it at about 3 cm
TEXT_FIELDS = {  # profile key → (French label, max length)
    "display_name": ("Nom affiché sur les documents", 200),
    "address": ("Adresse postale (en-tête)", 300),
    "city": ("Commune (« Fait à … »)", 100),
    "phone": ("Téléphone (en-tête)", 40),
    "email": ("Courriel (en-tête)", 200),
    "letterhead_extra": ("Ligne complémentaire de l'en-tête", 300),
    "signataire": ("Signataire (nom et qualité)", 200),
    "autorite": ("Autorité qui signe les arrêtés", 300),
}


class BrandingError(ValueError):
    """French message for the admin."""


@dataclass(frozen=True)
class Branding:
    """What documents, posters and pages show of a collectivité."""

    name: str
    logo_png: bytes | None
    primary_colour: str  # 6 hex digits, no '#'
    secondary_colour: str
    address: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    letterhead_extra: str = ""
    signatory: str = ""
    authority: str = ""

    @property
    def primary_css(self) -> str:
        return f"#{self.primary_colour}"

    @property
    def secondary_css(self) -> str:
        return f"#{self.secondary_colour}"


def _colour(value: Any, default: str) -> str:
    found = HEX_RE.match(str(value or ""))
    return found.group(1).upper() if found else default


def branding_of(tenant: Tenant) -> Branding:
    profile = tenant.profile or {}
    logo = None
    if profile.get("logo_png_b64"):
        try:
            logo = base64.b64decode(profile["logo_png_b64"], validate=True)
        except (binascii.Error, ValueError):
            logo = None
    return Branding(
        name=str(profile.get("display_name") or tenant.name),
        logo_png=logo,
        primary_colour=_colour(profile.get("primary_colour"), DEFAULT_PRIMARY),
        secondary_colour=_colour(profile.get("secondary_colour"), DEFAULT_SECONDARY),
        address=str(profile.get("address", "")),
        city=str(profile.get("city", "")),
        phone=str(profile.get("phone", "")),
        email=str(profile.get("email", "")),
        letterhead_extra=str(profile.get("letterhead_extra", "")),
        signatory=str(profile.get("signataire", "")),
        authority=str(profile.get("autorite", "")),
    )


def _luminance(hex_colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours (6 hex digits)."""
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def check_colour(value: str, label: str) -> str:
    found = HEX_RE.match(value.strip())
    if not found:
        raise BrandingError(f"{label} : indiquez une couleur en hexadécimal (ex. #000091).")
    colour = found.group(1).upper()
    ratio = contrast(colour, "FFFFFF")
    if ratio < MIN_CONTRAST:
        raise BrandingError(
            f"{label} : contraste de {ratio:.1f}:1 sur fond blanc, insuffisant (au moins "
            f"{MIN_CONTRAST}:1 exigé par le RGAA pour des titres lisibles). Choisissez une "
            "couleur plus foncée."
        )
    return colour


def sanitise_logo(data: bytes) -> bytes:
    """A fresh PNG from an uploaded PNG or JPEG, or `BrandingError` (French)."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise BrandingError("Le fichier du logo est vide.")
    if len(data) > MAX_LOGO_BYTES:
        raise BrandingError("Logo trop lourd : 1 Mo au plus.")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype")) or b"<svg" in head:
        raise BrandingError(
            "Les logos SVG sont refusés (ils peuvent contenir des scripts) : envoyez un PNG ou "
            "un JPEG."
        )
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise BrandingError("Format de logo non reconnu : envoyez un PNG ou un JPEG.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ("PNG", "JPEG"):
                raise BrandingError("Format de logo non reconnu : envoyez un PNG ou un JPEG.")
            width, height = probe.size
            if not width or not height or width * height > MAX_LOGO_PIXELS:
                raise BrandingError("Logo trop grand : 4096 × 4096 pixels au plus.")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            converted = image.convert("RGBA")
    except BrandingError:
        raise
    except Image.DecompressionBombError:
        raise BrandingError("Logo trop grand : 4096 × 4096 pixels au plus.") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise BrandingError(
            "Le logo est illisible ou endommagé : envoyez un PNG ou un JPEG."
        ) from None
    converted.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    out = io.BytesIO()
    converted.save(out, format="PNG", optimize=True)
    return out.getvalue()


def updated_profile(
    tenant: Tenant,
    *,
    fields: dict[str, str],
    primary_colour: str,
    secondary_colour: str,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> dict[str, Any]:
    """The tenant's new profile (nothing written if a value is refused)."""
    profile = dict(tenant.profile or {})
    for key, (label, limit) in TEXT_FIELDS.items():
        value = (fields.get(key) or "").strip()
        if len(value) > limit:
            raise BrandingError(f"{label} : {limit} caractères au plus.")
        profile[key] = value
    profile["primary_colour"] = check_colour(primary_colour, "Couleur principale")
    profile["secondary_colour"] = check_colour(secondary_colour, "Couleur secondaire")
    if logo is not None:
        profile["logo_png_b64"] = base64.b64encode(sanitise_logo(logo)).decode("ascii")
    elif remove_logo:
        profile.pop("logo_png_b64", None)
    return profile
