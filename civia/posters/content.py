"""What a poster says (title, tagline, practical lines, pictogram, layout, alternative text)
and whose it is (the collectivité's name, colour and logo), checked with French messages."""

from __future__ import annotations

import base64
import binascii
import io
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from civia.posters.pictograms import catalogue

log = logging.getLogger(__name__)

DEFAULT_COLOUR = "000091"
MAX_TITLE, MAX_TAGLINE, MAX_LINE, MAX_LINES, MAX_ALT = 90, 180, 140, 6, 1000
LAYOUT_KEYS = ("bandeau", "plein", "colonne")


class PosterError(ValueError):
    """Bad input; `errors` maps a form field to its French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Logo:
    png: bytes
    width_px: int
    height_px: int

    @property
    def aspect(self) -> float:
        return self.height_px / self.width_px


@dataclass(frozen=True)
class Brand:
    name: str
    colour: str = DEFAULT_COLOUR  # hex, no #
    logo: Logo | None = None


@dataclass(frozen=True)
class Poster:
    title: str
    tagline: str = ""
    lines: list[str] = field(default_factory=list)
    pictogram: str = "agenda"
    layout: str = "bandeau"
    alt_text: str = ""

    def as_data(self) -> dict[str, Any]:
        return {"titre": self.title, "accroche": self.tagline, "infos": list(self.lines),
                "pictogramme": self.pictogram, "mise_en_page": self.layout,
                "texte_alternatif": self.alt_text}  # fmt: skip


def _one_line(text: str) -> str:
    return " ".join(text.split())


def colour_of(profile: dict[str, Any]) -> str:
    value = str(profile.get("primary_colour") or "").strip().lstrip("#")
    return value.lower() if re.fullmatch(r"[0-9A-Fa-f]{6}", value) else DEFAULT_COLOUR


def logo_of(profile: dict[str, Any]) -> Logo | None:
    """The profile's logo re-encoded as a plain RGBA PNG; None when absent or unreadable (a
    broken logo must not cost the agent the poster: the name stands alone)."""
    encoded = profile.get("logo_png_b64")
    if not encoded:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        raw = base64.b64decode(encoded)
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            out = io.BytesIO()
            image.convert("RGBA").save(out, format="PNG")
            width, height = image.size
    except (binascii.Error, ValueError, UnidentifiedImageError, OSError) as exc:
        log.warning("logo ignored, not a readable image: %s", exc)
        return None
    return Logo(out.getvalue(), width, height) if width and height else None


def brand_of(name: str, profile: dict[str, Any] | None) -> Brand:
    profile = profile or {}
    return Brand(name=name, colour=colour_of(profile), logo=logo_of(profile))


def describe(poster: Poster, brand: Brand) -> str:
    """The alternative text: every word the image shows (it is an image of text), then what it
    looks like."""
    picto = catalogue().get(poster.pictogram)
    parts = [f"Affiche de {brand.name} : « {poster.title} »."]
    if poster.tagline:
        parts.append(poster.tagline.rstrip(".") + ".")
    if poster.lines:
        parts.append("Informations pratiques : " + " ; ".join(poster.lines) + ".")
    if picto is not None:
        parts.append(f"Pictogramme : {picto.label.lower()}.")
    return _one_line(" ".join(parts))[:MAX_ALT]


def from_model(data: dict[str, Any], brand: Brand) -> Poster:
    """The poster the model proposed (or the one the agent saved, under « affiche »)."""
    saved = data.get("affiche")
    if isinstance(saved, dict):
        try:
            return from_form(
                {
                    "titre": str(saved.get("titre", "")),
                    "accroche": str(saved.get("accroche", "")),
                    "infos": "\n".join(str(x) for x in saved.get("infos", [])),
                    "pictogramme": str(saved.get("pictogramme", "")),
                    "mise_en_page": str(saved.get("mise_en_page", "")),
                    "texte_alternatif": str(saved.get("texte_alternatif", "")),
                },
                brand,
            )
        except PosterError:
            pass  # a saved poster the rules now refuse: start again from the model's texts
    lines = [_one_line(str(x))[:MAX_LINE] for x in data.get("infos") or [] if str(x).strip()]
    pictogram = str(data.get("pictogramme", ""))
    poster = Poster(
        title=_one_line(str(data.get("titre", "")))[:MAX_TITLE] or "Événement",
        tagline=_one_line(str(data.get("accroche", "")))[:MAX_TAGLINE],
        lines=lines[:MAX_LINES],
        pictogram=pictogram if pictogram in catalogue() else "agenda",
    )
    return Poster(**{**poster.__dict__, "alt_text": describe(poster, brand)})


def from_form(values: dict[str, str], brand: Brand, previous: Poster | None = None) -> Poster:
    """The poster as the agent edited it; raises PosterError with a French message per field.
    The alternative text is written again from the texts when it is empty, or when it is the
    one Civia wrote for the `previous` texts (the agent did not write their own)."""
    errors: dict[str, str] = {}
    title = _one_line(values.get("titre", ""))
    tagline = _one_line(values.get("accroche", ""))
    lines = [_one_line(x) for x in values.get("infos", "").splitlines() if x.strip()]
    pictogram = values.get("pictogramme", "")
    layout = values.get("mise_en_page", "")
    alt = _one_line(values.get("texte_alternatif", ""))
    if not title:
        errors["titre"] = "Le titre est obligatoire."
    elif len(title) > MAX_TITLE:
        errors["titre"] = (
            f"Le titre dépasse {MAX_TITLE} caractères ({len(title)}) : raccourcissez-le."
        )
    if len(tagline) > MAX_TAGLINE:
        errors["accroche"] = (
            f"L'accroche dépasse {MAX_TAGLINE} caractères ({len(tagline)}) : raccourcissez-la."
        )
    if len(lines) > MAX_LINES:
        errors["infos"] = f"Le bloc pratique compte {len(lines)} lignes ; {MAX_LINES} au plus."
    elif any(len(line) > MAX_LINE for line in lines):
        errors["infos"] = f"Une ligne du bloc pratique dépasse {MAX_LINE} caractères."
    if pictogram not in catalogue():
        errors["pictogramme"] = "Choisissez un pictogramme de la liste."
    if layout not in LAYOUT_KEYS:
        errors["mise_en_page"] = "Choisissez une mise en page de la liste."
    if len(alt) > MAX_ALT:
        errors["texte_alternatif"] = f"Le texte alternatif dépasse {MAX_ALT} caractères."
    if errors:
        raise PosterError(errors)
    poster = Poster(title, tagline, lines, pictogram, layout, alt)
    if not alt or (previous is not None and alt == describe(previous, brand)):
        poster = Poster(title, tagline, lines, pictogram, layout, describe(poster, brand))
    return poster
