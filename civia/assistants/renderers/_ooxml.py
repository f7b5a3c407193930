"""Custom document properties (`docProps/custom.xml`) for DOCX and PPTX.

Neither python-docx nor python-pptx has an API for them (python-docx issue #91, open since 2014),
so the part is built here per ECMA-376 Part 1 §15.2.12.2 / §22.3 and attached to the package
with the libraries' own OPC layer: relating it to the package writes the `_rels/.rels` entry, and
its content type becomes an `Override` in `[Content_Types].xml` when the package is saved.
Both libraries' default templates have no such part, so it is always added, never merged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:  # each renderer imports only its own library
    from docx.package import Package as DocxPackage
    from pptx.package import Package as PptxPackage

PARTNAME = "/docProps/custom.xml"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# The one format id Office uses for user-defined properties; pids start at 2 (§22.3.2.2).
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def custom_xml(properties: dict[str, bool | str]) -> bytes:
    """Serialise name → value (bool or str) as a custom-properties part."""
    items = []
    for pid, (name, value) in enumerate(properties.items(), start=2):
        if isinstance(value, bool):
            typed = f"<vt:bool>{'true' if value else 'false'}</vt:bool>"
        else:
            typed = f"<vt:lpwstr>{escape(value)}</vt:lpwstr>"
        attrs = f'fmtid="{FMTID}" pid="{pid}" name={quoteattr(name)}'
        items.append(f"<property {attrs}>{typed}</property>")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{NS}" xmlns:vt="{NS_VT}">{"".join(items)}</Properties>'
    ).encode()


def attach_docx(package: DocxPackage, properties: dict[str, bool | str]) -> None:
    """Add the custom-properties part to a python-docx package."""
    from docx.opc.packuri import PackURI as DocxPackURI
    from docx.opc.part import Part as DocxPart

    part = DocxPart(DocxPackURI(PARTNAME), CONTENT_TYPE, custom_xml(properties), package)
    package.relate_to(part, RELTYPE)


def attach_pptx(package: PptxPackage, properties: dict[str, bool | str]) -> None:
    """Add the custom-properties part to a python-pptx package."""
    from pptx.opc.package import Part as PptxPart
    from pptx.opc.packuri import PackURI as PptxPackURI

    part = PptxPart(PptxPackURI(PARTNAME), CONTENT_TYPE, package, custom_xml(properties))
    package.relate_to(part, RELTYPE)
