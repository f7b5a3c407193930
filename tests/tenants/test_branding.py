"""A collectivité's branding: set by its admin (hostile logo uploads re-encoded or refused,
colours checked for contrast), read by every export and by other areas through `branding_of`;
one collectivité's admin never sees or changes another's."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from fastapi.testclient import TestClient
from PIL import Image, PngImagePlugin

from civia.accounts.branding import Branding, branding_of, contrast
from civia.accounts.models import Tenant
from civia.assistants.renderers import render
from civia.db.engine import session_scope
from civia.meetings import exports as meeting_exports
from civia.meetings.models import Meeting, MeetingSegment
from tests.conftest import Personas, login_as, page_text

FIELDS = {
    "display_name": "Ville de Démoville-sur-Mer",
    "address": "1 place de la Mairie, 99000 Démoville",
    "city": "Démoville",
    "phone": "01 23 45 67 89",
    "email": "mairie@demoville.fr",
    "letterhead_extra": "SIRET 123 456 789 00012",
    "signataire": "La Maire, Anne Exemple",
    "autorite": "La Maire de Démoville",
    "primary_colour": "#1F3A93",
    "secondary_colour": "#5A3E00",
}


def _png(text_chunk: str = "", size: tuple[int, int] = (40, 20)) -> bytes:
    image = Image.new("RGB", size, (200, 10, 10))
    info = PngImagePlugin.PngInfo()
    if text_chunk:
        info.add_text("Comment", text_chunk)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _post(client: TestClient, headers: dict[str, str], logo: tuple[str, bytes, str] | None = None,
          **fields: str):  # fmt: skip
    files = {"logo": logo} if logo else None
    return client.post("/admin/identite", data={**FIELDS, **fields}, files=files, headers=headers)


def _tenant(client: TestClient, tenant_id: int) -> Tenant:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, tenant_id)
        assert tenant is not None
        db.expunge(tenant)
        return tenant


def test_admin_brands_the_collectivite_and_exports_carry_it(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "admin")
    # A PNG with a text chunk and bytes after its end: both must be gone once re-encoded.
    hostile = _png("<script>alert(1)</script>") + b"TRAILING-PAYLOAD"
    resp = _post(client, headers, logo=("logo.png", hostile, "image/png"))
    assert "Identité de la collectivité enregistrée" in page_text(resp)
    brand = branding_of(_tenant(client, personas.tenant.id))
    assert isinstance(brand, Branding)
    assert brand.name == "Ville de Démoville-sur-Mer" and brand.primary_colour == "1F3A93"
    assert brand.primary_css == "#1F3A93" and brand.signatory == "La Maire, Anne Exemple"
    assert brand.logo_png is not None and brand.logo_png.startswith(b"\x89PNG")
    assert b"script" not in brand.logo_png and b"TRAILING" not in brand.logo_png
    with Image.open(io.BytesIO(brand.logo_png)) as image:
        assert image.size == (40, 20) and not image.info.get("Comment")

    # Every export through the renderers: a meeting transcript in DOCX and ODT.
    tenant = _tenant(client, personas.tenant.id)
    meeting = Meeting(title="Conseil", meeting_date="2026-12-04", model="m")
    rows = [MeetingSegment(position=0, start=0.0, end=1.0, text="Bonjour.", speaker="")]
    for fmt in ("docx", "odt"):
        data, _, _ = meeting_exports.export(meeting, rows, fmt, author="Admin", tenant=tenant)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            xml = "".join(
                archive.read(n).decode("utf-8", "ignore") for n in names if n.endswith(".xml")
            )
        assert "Ville de Démoville-sur-Mer" in xml and "SIRET 123 456 789 00012" in xml, fmt
        assert "1F3A93" in xml.upper(), fmt
        assert any(n.lower().endswith(".png") for n in names), fmt
    pdf, mime, _ = render(
        meeting_exports.to_document(meeting, rows, author="Admin", tenant=tenant), "pdf"
    )
    assert mime == "application/pdf" and pdf.startswith(b"%PDF")


def test_hostile_or_unreadable_logos_and_poor_contrast_are_refused(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "admin")
    _post(client, headers)  # a first, valid identity
    before = _tenant(client, personas.tenant.id).profile
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'

    def header_only(side: int) -> bytes:
        """A PNG claiming side x side pixels: refused before anything is decoded."""
        ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
        idat = zlib.compress(b"")
        return (
            b"\x89PNG\r\n\x1a\n"
            + struct.pack(">I", 13) + b"IHDR" + ihdr
            + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
            + struct.pack(">I", len(idat)) + b"IDAT" + idat
            + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
        )  # fmt: skip

    cases = [
        ({"logo": ("logo.svg", svg, "image/svg+xml")}, "SVG sont refusés"),
        ({"logo": ("logo.png", b"GIF89a" + b"\0" * 50, "image/png")}, "non reconnu"),
        ({"logo": ("logo.png", header_only(5000), "image/png")}, "4096 × 4096"),
        ({"logo": ("logo.png", header_only(30000), "image/png")}, "4096 × 4096"),
        ({"logo": ("logo.png", _png()[:60], "image/png")}, "illisible"),
        ({"logo": ("logo.png", b"\x89PNG" + b"\0" * 1_100_000, "image/png")}, "1 Mo"),
        ({"primary_colour": "#FFFF00"}, "contraste de 1.1:1"),
        ({"secondary_colour": "#999999"}, "Couleur secondaire"),
        ({"primary_colour": "bleu"}, "hexadécimal"),
        ({"display_name": "x" * 201}, "200 caractères"),
    ]
    for case, message in cases:
        logo = case.pop("logo", None)
        resp = _post(client, headers, logo=logo, **case)  # type: ignore[arg-type]
        assert resp.status_code == 422, message
        assert message in page_text(resp), message
    assert _tenant(client, personas.tenant.id).profile == before  # nothing lost, nothing saved
    assert contrast("000091", "FFFFFF") > 4.5 and contrast("FFFF00", "FFFFFF") < 1.2


def test_a_jpeg_logo_is_accepted_and_removable(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "admin")
    out = io.BytesIO()
    Image.new("RGB", (1200, 300), (0, 0, 120)).save(out, format="JPEG")
    _post(client, headers, logo=("logo.jpg", out.getvalue(), "image/jpeg"))
    logo = branding_of(_tenant(client, personas.tenant.id)).logo_png
    assert logo is not None
    with Image.open(io.BytesIO(logo)) as image:
        assert image.format == "PNG" and max(image.size) == 600  # stored at a bounded size
    page = client.get("/admin/identite")
    assert 'alt="Logo actuel de la collectivité"' in page.text
    _post(client, headers, remove_logo="oui")
    assert branding_of(_tenant(client, personas.tenant.id)).logo_png is None


def test_branding_stays_in_its_collectivite(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "admin")
    _post(client, headers)
    client.cookies.clear()
    olivia = login_as(client, "olivia")  # admin of Autreville
    page = client.get("/admin/identite")
    assert page.status_code == 200
    assert "Démoville" not in page.text and "Commune d'Autreville" in page_text(page)
    _post(client, olivia, display_name="Autreville", signataire="Le Maire d'Autreville")
    assert branding_of(_tenant(client, personas.tenant.id)).name == "Ville de Démoville-sur-Mer"
    assert branding_of(_tenant(client, personas.other_tenant.id)).name == "Autreville"
    client.cookies.clear()
    agent = login_as(client, "agent")
    assert client.get("/admin/identite").status_code == 403
    assert _post(client, agent).status_code == 403
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None and branding_of(tenant).signatory == "La Maire, Anne Exemple"
