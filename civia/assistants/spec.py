"""The assistant spec: strict, validated data (built-ins are YAML, services' ones live in the DB).

Fields that widen what an assistant may do (sensitivity, status, sharing) are decided by
governance; `from_import` drops them from shared files so an import cannot raise privileges.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Literal

from jinja2 import TemplateSyntaxError
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from civia.assistants.templating import LimitedSandbox

JINJA = LimitedSandbox(autoescape=False, trim_blocks=True, lstrip_blocks=True)
# Besides its own fields, a prompt or template may use `context` (the collectivité: name, city,
# autorite, signataire, services) and a template also `inputs` (the form values).
FORMATS = ("docx", "odt", "pptx", "xlsx", "csv", "pdf", "html")
TEXT_CHECKS = ("hours", "rewrite")  # post-checks of a text answer; the others read structured data


class Sensitivity(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    PERSONAL = "personal"
    SENSITIVE = "sensitive"


class Status(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    SUSPENDED = "suspended"


class Sharing(StrEnum):
    PERSONAL = "personal"
    SERVICE = "service"
    TENANT = "tenant"


class FieldKind(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    DATE = "date"
    NUMBER = "number"
    FILE = "file"
    COLLECTION = "collection"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FormField(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label: str = Field(min_length=1, max_length=120)
    kind: FieldKind = FieldKind.SHORT_TEXT
    required: bool = True
    help: str = Field("", max_length=300)
    placeholder: str = Field("", max_length=300)
    choices: tuple[str, ...] = ()
    default: str = ""
    max_length: int = Field(20_000, ge=1, le=200_000)
    # A collection field whose collection the référent fixed: the agent does not choose it.
    # Tenant-specific, so never exported nor imported (see `from_import`).
    collection_id: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _choices_match_kind(self) -> FormField:
        if self.kind is FieldKind.CHOICE and not self.choices:
            raise ValueError(f"le champ « {self.name} » est un choix : indiquez ses `choices`")
        if self.kind is not FieldKind.CHOICE and self.choices:
            raise ValueError(f"le champ « {self.name} » a des `choices` mais n'est pas un choix")
        if self.collection_id is not None and self.kind is not FieldKind.COLLECTION:
            raise ValueError(
                f"le champ « {self.name} » désigne une collection mais n'est pas de type collection"
            )
        return self


class Output(_Strict):
    """text: free Markdown. structured: JSON constrained by `json_schema`, shown through
    `template` (Jinja → Markdown). tables: the tables of an uploaded file, found by a library
    (no model call). All can be exported to `formats`. `batch`: a structured assistant can
    also classify every row of a CSV file (one run per row, as a background job)."""

    kind: Literal["text", "structured", "tables"] = "text"
    json_schema: dict[str, Any] | None = None
    template: str = ""
    formats: tuple[str, ...] = ()
    letterhead: bool = False  # print the collectivité's letterhead on exports
    compare_with: str = ""  # a field shown beside the result (before/after)
    diff: bool = False  # show every change between `compare_with` and the result
    batch: bool = False
    # Deterministic post-processing by name (civia/assistants/postchecks.py): « letter » builds
    # the salutation and closing formula and checks the body the model wrote; « arrete » sets
    # the visas from the agent's texts or the library and marks what the request did not say;
    # « faq » turns each source into a verbatim sentence of the text (or a numbered extract);
    # « triage » checks the service against the collectivité's routing rules; « reply » sends a
    # complaint, an appeal or a delicate situation to a human and marks invented numbers.
    # « minutes », « swot », « slides », « social » finish the compte rendu, the SWOT, the
    # slides and the posts (civia/assistants/forms); « hours » (a text answer) puts a
    # translation's times on the 24-hour clock; « rewrite » checks a reformulation against its
    # source (length asked, FALC sentences, numbers and dates kept or marked).
    checks: Literal[
        "",
        "letter",
        "arrete",
        "faq",
        "triage",
        "reply",
        "minutes",
        "swot",
        "slides",
        "social",
        "hours",
        "rewrite",
    ] = ""

    @model_validator(mode="after")
    def _coherent(self) -> Output:
        if self.kind == "structured":
            if not self.json_schema or not self.template:
                raise ValueError("une sortie structurée demande `json_schema` et `template`")
            try:
                Draft202012Validator.check_schema(self.json_schema)
            except SchemaError as exc:
                raise ValueError(f"schéma JSON invalide : {exc.message}") from None
        if self.template:
            try:
                JINJA.parse(self.template)
            except TemplateSyntaxError as exc:
                raise ValueError(f"gabarit invalide (ligne {exc.lineno}) : {exc.message}") from None
        if self.checks in TEXT_CHECKS and self.kind != "text":
            raise ValueError(f"la vérification « {self.checks} » demande une sortie texte")
        if self.checks and self.checks not in TEXT_CHECKS and self.kind != "structured":
            raise ValueError("les vérifications (`checks`) demandent une sortie structurée")
        if self.batch and self.kind != "structured":
            raise ValueError("le mode par lot (`batch`) demande une sortie structurée")
        unknown = set(self.formats) - set(FORMATS)
        if unknown:
            raise ValueError(f"formats inconnus : {', '.join(sorted(unknown))}")
        return self


class AssistantSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    name: str = Field(min_length=2, max_length=80)
    description: str = Field(max_length=400)
    category: str = Field(max_length=40)
    icon: str = Field("💬", max_length=8)
    instructions: str = Field(min_length=10, max_length=8000)
    prompt: str = Field("", max_length=8000, description="Jinja template of the user message")
    fields: tuple[FormField, ...] = ()
    output: Output = Output()
    max_tokens: int = Field(1024, ge=16, le=8192)
    temperature: float = Field(0.2, ge=0, le=1.5)
    # llama.cpp's penalty on recently generated tokens: 1.1 stops the loops that ran into
    # max_tokens; 1.0 (off) for assistants whose job is to copy the input (correction).
    repeat_penalty: float = Field(1.1, ge=1.0, le=2.0)
    time_saved_minutes: int = Field(5, ge=0, le=480)
    sensitivity: Sensitivity = Sensitivity.INTERNAL
    sharing: Sharing = Sharing.TENANT
    status: Status = Status.PUBLISHED
    version: int = Field(1, ge=1)
    transparency: str = Field(
        "Document rédigé avec l'aide d'une intelligence artificielle et relu par un agent.",
        max_length=300,
    )

    @field_validator("fields")
    @classmethod
    def _unique_names(cls, fields: tuple[FormField, ...]) -> tuple[FormField, ...]:
        names = [f.name for f in fields]
        if len(names) != len(set(names)):
            raise ValueError("deux champs portent le même nom")
        return fields

    @model_validator(mode="after")
    def _compare_with_a_field(self) -> AssistantSpec:
        if self.output.compare_with and self.output.compare_with not in {
            f.name for f in self.fields
        }:
            raise ValueError(
                f"`compare_with` désigne un champ inconnu : {self.output.compare_with}"
            )
        return self

    @model_validator(mode="after")
    def _prompt_uses_fields(self) -> AssistantSpec:
        if self.fields and not self.prompt:
            raise ValueError(
                "un assistant à formulaire doit avoir un `prompt` utilisant ses champs"
            )
        if self.prompt:
            try:
                JINJA.parse(self.prompt)
            except TemplateSyntaxError as exc:
                raise ValueError(f"prompt invalide (ligne {exc.lineno}) : {exc.message}") from None
            used = set(re.findall(r"{{\s*([a-z_][a-z0-9_]*)", self.prompt))
            unknown = used - {f.name for f in self.fields} - {"context", "sources"}
            if unknown:
                raise ValueError(
                    f"le prompt utilise des champs inconnus : {', '.join(sorted(unknown))}"
                )
        return self

    @model_validator(mode="after")
    def _tables_need_a_file(self) -> AssistantSpec:
        if self.output.kind == "tables" and not any(f.kind is FieldKind.FILE for f in self.fields):
            raise ValueError("une extraction de tableaux demande un champ de type fichier")
        return self

    @property
    def is_chat(self) -> bool:
        """Plain conversational assistants (no form) open in the chat UI."""
        return not self.fields

    def fields_of(self, kind: FieldKind) -> list[FormField]:
        return [f for f in self.fields if f.kind is kind]


PRIVILEGED = ("sensitivity", "status", "sharing")


def from_import(data: dict[str, Any], **governed: Any) -> AssistantSpec:
    """Validate an imported spec; privileged fields come from `governed`, never from the file."""
    clean = {k: v for k, v in data.items() if k not in PRIVILEGED}
    return AssistantSpec.model_validate({**clean, **governed})


def without_collections(data: dict[str, Any]) -> dict[str, Any]:
    """A spec's data without the collections a référent fixed: they belong to one collectivité
    (another one's ids would point at unrelated collections), so files never carry them."""
    fields = data.get("fields")
    if not isinstance(fields, list | tuple):
        return data
    return {
        **data,
        "fields": [
            {k: v for k, v in f.items() if k != "collection_id"} if isinstance(f, dict) else f
            for f in fields
        ],
    }
