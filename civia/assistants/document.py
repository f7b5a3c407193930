"""The document an assistant's result becomes before it is exported (DOCX, ODT, PPTX, XLSX, CSV,
PDF). Renderers only read this model; assistants only produce it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from civia.dates import date_fr


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Heading(_Strict):
    kind: Literal["heading"] = "heading"
    text: str
    level: int = Field(1, ge=1, le=3)


class Paragraph(_Strict):
    kind: Literal["paragraph"] = "paragraph"
    text: str
    bold: bool = False
    align: Literal["left", "center", "right", "justify"] = "left"


class Bullets(_Strict):
    kind: Literal["bullets"] = "bullets"
    items: list[str]


class Table(_Strict):
    kind: Literal["table"] = "table"
    header: list[str]
    rows: list[list[str]]
    caption: str = ""


class Notes(_Strict):
    """Speaker notes for the slide of the preceding heading (PPTX); ignored elsewhere."""

    kind: Literal["notes"] = "notes"
    text: str


Block = Annotated[Heading | Paragraph | Bullets | Table | Notes, Field(discriminator="kind")]


class Letterhead(_Strict):
    """The collectivité's header on letters and arrêtés (from its settings)."""

    collectivite: str
    address: str = ""
    service: str = ""
    phone: str = ""
    email: str = ""
    logo_png: bytes | None = None
    city: str = ""
    extra: str = ""  # the admin's complementary line (SIRET, website…)


class Provenance(_Strict):
    """Who and what produced the document: shown as a visible mention and as file metadata."""

    assistant_id: str
    assistant_name: str
    author: str  # the agent who generated it
    validated_by: str = ""  # the agent who validated the final text ("" = draft)
    validated_at: datetime | None = None
    model: str = ""
    transparency: str = (
        "Document rédigé avec l'aide d'une intelligence artificielle et relu par un agent."
    )

    @property
    def mention(self) -> str:
        if self.validated_by and self.validated_at:
            when = date_fr(self.validated_at)
            return f"{self.transparency} Validé par {self.validated_by} le {when}."
        # A draft was not reviewed yet: it must not claim to be (the transparency text does).
        return DRAFT_MENTION


DRAFT_MENTION = (
    "Brouillon rédigé avec l'aide d'une intelligence artificielle, "
    "pas encore relu ni validé par un agent."
)


class OfficialDocument(_Strict):
    title: str
    blocks: list[Block]
    provenance: Provenance
    letterhead: Letterhead | None = None
    primary_colour: str = Field("000091", pattern=r"^[0-9A-Fa-f]{6}$")
    language: str = "fr-FR"
