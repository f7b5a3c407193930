"""The no-code builder: a service's own assistants, versioned, reviewed, shared as YAML files.

Every save is validated by `AssistantSpec` and stored as a new `AssistantVersion`. Status,
sharing and sensitivity live on the definition row: the form sets the sharing it asks for, an
admin sets the sensitivity when publishing, and an imported file sets none of them. Errors are
French and keyed by where they are (`fields.0.label`, "" for the whole), so a form shows each one
beside its input and an import lists them all.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from jinja2 import TemplateSyntaxError
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from civia.accounts import roles
from civia.accounts.models import Role, User
from civia.assistants import access, postchecks
from civia.assistants.catalogue import builtins
from civia.assistants.models import AssistantDefinition, AssistantVersion
from civia.assistants.spec import (
    JINJA,
    PRIVILEGED,
    AssistantSpec,
    Sensitivity,
    Sharing,
    Status,
    from_import,
    without_collections,
)
from civia.db.base import utcnow
from civia.db.engine import affected
from civia.documents.permissions import readable_collection_ids

MAX_IMPORT_BYTES = 256 * 1024
GOVERNED = (*PRIVILEGED, "version")
RESERVED = frozenset({"nouveau", "importer", "export"})  # path segments under /atelier


class BuilderError(ValueError):
    """`errors` maps where the problem is (a dotted path, "" for the whole) to a French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k or '-'}: {v}" for k, v in errors.items()))
        self.errors = errors

    @classmethod
    def one(cls, message: str, where: str = "") -> BuilderError:
        return cls({where: message})


class Conflict(BuilderError):
    """Someone saved a newer version meanwhile."""


# --- French messages for pydantic's (English) errors; Civia's own validators are French already.

_FRENCH = {
    "missing": "obligatoire : cette information manque",
    "extra_forbidden": "clé inconnue : elle n'existe pas dans le format des assistants "
    "(faute de frappe ?)",
    "string_type": "doit être un texte",
    "string_too_short": "trop court : au moins {min_length} caractère(s)",
    "string_too_long": "trop long : au plus {max_length} caractères",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "float_parsing": "doit être un nombre",
    "float_type": "doit être un nombre",
    "bool_parsing": "doit valoir vrai ou faux (true / false)",
    "bool_type": "doit valoir vrai ou faux (true / false)",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "enum": "valeur non autorisée : choisissez parmi {expected}",
    "literal_error": "valeur non autorisée : choisissez parmi {expected}",
    "model_type": "doit être un ensemble de paires « clé : valeur »",
    "model_attributes_type": "doit être un ensemble de paires « clé : valeur »",
    "dict_type": "doit être un ensemble de paires « clé : valeur »",
    "tuple_type": "doit être une liste",
    "list_type": "doit être une liste",
}
_PATTERNS = {
    "id": "identifiant invalide : 2 à 63 caractères, minuscules sans accent, chiffres et tirets "
    "(ex. « courrier-voirie »)",
    "name": "nom technique invalide : commence par une lettre minuscule, puis minuscules sans "
    "accent, chiffres ou « _ », 40 caractères au plus (ex. « objet »)",
}


def french_errors(exc: ValidationError) -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors():
        where = ".".join(str(part) for part in err["loc"])
        message = _french(err)
        out[where] = f"{out[where]} ; {message}" if where in out else message
    return out


def _french(err: ErrorDetails) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind in ("string_too_short", "too_short", "string_pattern_mismatch") and not err["input"]:
        return "obligatoire : cette information est vide"
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(str(err["loc"][-1]), "format invalide")
    if kind == "string_type" and isinstance(err["input"], date | int | float):
        return "doit être un texte : mettez la valeur entre guillemets"
    template = _FRENCH.get(kind)
    if template is None:
        return f"valeur invalide ({err['msg']})"
    return template.format(**{k: str(v).replace(" or ", " ou ") for k, v in ctx.items()})


def where_label(where: str) -> str:
    """`fields.0.label` → `fields › n° 1 › label`, for people reading their YAML file."""
    if not where:
        return "ensemble"
    return " › ".join(f"n° {int(p) + 1}" if p.isdigit() else p for p in where.split("."))


def _deep_checks(data: dict[str, Any]) -> dict[str, str]:
    """Checks pydantic skips once an earlier one failed, so that every problem is told at once."""
    errors: dict[str, str] = {}
    output = data.get("output")
    if isinstance(output, dict):
        schema = output.get("json_schema")
        if isinstance(schema, dict):
            try:
                Draft202012Validator.check_schema(schema)
            except SchemaError as exc:
                errors["output.json_schema"] = f"schéma JSON invalide : {exc.message}"
            checks = output.get("checks")
            if isinstance(checks, str) and checks and (where := postchecks.clash(checks, schema)):
                errors["output.checks"] = (
                    f"la vérification « {checks} » lit des champs d'un autre type que ce schéma "
                    f"(« {where} ») : choisissez-en une autre, ou aucune"
                )
        _parses(output.get("template"), "output.template", "gabarit invalide", errors)
    _parses(data.get("prompt"), "prompt", "prompt invalide", errors)
    return errors


def _parses(source: Any, where: str, label: str, errors: dict[str, str]) -> None:
    if isinstance(source, str):
        try:
            JINJA.parse(source)
        except TemplateSyntaxError as exc:
            errors[where] = f"{label} (ligne {exc.lineno}) : {exc.message}"


def validate(data: dict[str, Any]) -> AssistantSpec:
    """A builder spec; governed fields are ignored here (they live on the definition row)."""
    errors = _deep_checks(data)
    try:
        spec = from_import(
            data, status=Status.DRAFT, sharing=Sharing.SERVICE, sensitivity=Sensitivity.INTERNAL
        )
    except ValidationError as exc:
        told = set(errors.values())
        for where, message in french_errors(exc).items():
            if message not in told:
                errors[where] = f"{errors[where]} ; {message}" if where in errors else message
        raise BuilderError(errors) from None
    if errors:  # what only these checks see (a post-check that cannot read the schema)
        raise BuilderError(errors)
    return spec


# --- Who may build what.


def can_build(user: User) -> bool:
    return user.role in roles.BUILDERS


def can_edit(user: User, row: AssistantDefinition) -> bool:
    """An admin edits any assistant of the collectivité; a référent those of their service."""
    if row.tenant_id != user.tenant_id:
        return False
    if user.role == Role.ADMIN.value:
        return True
    return (
        user.role == Role.REFERENT.value
        and user.service_id is not None
        and row.owner_service_id == user.service_id
    )


def listed(db: Session, *, user: User) -> list[AssistantDefinition]:
    stmt = select(AssistantDefinition).where(AssistantDefinition.tenant_id == user.tenant_id)
    if user.role != Role.ADMIN.value:
        stmt = stmt.where(AssistantDefinition.owner_service_id == user.service_id)
    return list(db.scalars(stmt.order_by(AssistantDefinition.slug)))


def editable(db: Session, *, user: User, slug: str) -> AssistantDefinition | None:
    row = db.scalar(
        select(AssistantDefinition).where(
            AssistantDefinition.tenant_id == user.tenant_id, AssistantDefinition.slug == slug
        )
    )
    return row if row is not None and can_build(user) and can_edit(user, row) else None


def find_for_owner(db: Session, user: User, assistant_id: str) -> AssistantSpec | None:
    """Like `access.find`, plus the drafts (any status) the user may edit: the test pane."""
    found = access.find(db, user, assistant_id)
    if found is not None:
        return found
    row = editable(db, user=user, slug=assistant_id)
    return access.definition_spec(row) if row is not None else None


# --- Definitions and their versions.


def check_collections(db: Session, *, user: User, spec: AssistantSpec) -> None:
    """A référent fixes only a collection they may read themselves."""

    fixed = [(i, f) for i, f in enumerate(spec.fields) if f.collection_id is not None]
    if not fixed:
        return
    readable = set(readable_collection_ids(db, user))
    errors = {
        f"fields.{i}.collection_id": "choisissez une collection que vous pouvez consulter"
        for i, f in fixed
        if f.collection_id not in readable
    }
    if errors:
        raise BuilderError(errors)


def _stored(spec: AssistantSpec) -> dict[str, Any]:
    return spec.model_dump(mode="json", exclude=set(GOVERNED))


def _check_slug(db: Session, *, user: User, slug: str) -> None:
    if slug in builtins():
        raise BuilderError.one(
            f"« {slug} » est l'identifiant d'un assistant intégré : choisissez-en un autre.", "id"
        )
    if slug in RESERVED:
        raise BuilderError.one(
            f"« {slug} » est un identifiant réservé : choisissez-en un autre.", "id"
        )
    taken = db.scalar(
        select(AssistantDefinition.id).where(
            AssistantDefinition.tenant_id == user.tenant_id, AssistantDefinition.slug == slug
        )
    )
    if taken is not None:
        raise BuilderError.one(_taken(slug), "id")


def _taken(slug: str) -> str:
    return (
        f"Un assistant de la collectivité porte déjà l'identifiant « {slug} » : "
        "choisissez-en un autre."
    )


def create(
    db: Session,
    *,
    user: User,
    spec: AssistantSpec,
    sharing: Sharing = Sharing.SERVICE,
    note: str = "Création",
    service_id: int | None = None,
) -> AssistantDefinition:
    """A new draft of the user's service (or of `service_id`, for a draft proposed to a
    service from the portfolio), version 1."""
    owner = service_id if service_id is not None else user.service_id
    if owner is None and user.role != Role.ADMIN.value:
        raise BuilderError.one(
            "Votre compte n'est rattaché à aucun service : "
            "demandez à un administrateur de le faire."
        )
    _check_slug(db, user=user, slug=spec.id)
    check_collections(db, user=user, spec=spec)
    row = AssistantDefinition(
        tenant_id=user.tenant_id,
        slug=spec.id,
        owner_service_id=owner,
        created_by=user.id,
        spec=_stored(spec),
        version=1,
        status=Status.DRAFT.value,
        sharing=sharing.value,
        sensitivity=Sensitivity.INTERNAL.value,
    )
    db.add(row)
    try:
        db.flush()
    except IntegrityError:  # the same slug created concurrently
        db.rollback()
        raise BuilderError.one(_taken(spec.id), "id") from None
    _add_version(db, row, user=user, note=note)
    return row


def _add_version(db: Session, row: AssistantDefinition, *, user: User, note: str) -> None:
    db.add(
        AssistantVersion(
            definition_id=row.id,
            version=row.version,
            spec=row.spec,
            author_id=user.id,
            note=note[:300],
        )
    )
    db.flush()


def save(
    db: Session,
    *,
    user: User,
    row: AssistantDefinition,
    spec: AssistantSpec,
    sharing: Sharing,
    base_version: int,
    note: str = "",
) -> bool:
    """Store a new version (False when nothing changed). Any change sends the assistant back to
    draft: what agents use is always what an admin published."""
    stored = _stored(spec)
    if stored == row.spec and sharing.value == row.sharing and base_version == row.version:
        return False
    check_collections(db, user=user, spec=spec)
    done = affected(
        db.execute(
            update(AssistantDefinition)
            .where(AssistantDefinition.id == row.id, AssistantDefinition.version == base_version)
            .values(
                version=base_version + 1,
                spec=stored,
                sharing=sharing.value,
                status=Status.DRAFT.value,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
    )
    db.refresh(row)
    if not done:
        raise Conflict.one(
            f"La version {row.version} a été enregistrée par quelqu'un d'autre pendant que vous "
            f"modifiiez la version {base_version}. Vos saisies sont conservées ci-dessous : "
            "consultez l'historique, puis enregistrez à nouveau pour les garder."
        )
    _add_version(db, row, user=user, note=note)
    return True


def versions(db: Session, *, row: AssistantDefinition) -> list[AssistantVersion]:
    stmt = select(AssistantVersion).where(AssistantVersion.definition_id == row.id)
    return list(db.scalars(stmt.order_by(AssistantVersion.version.desc())))


def version(db: Session, *, row: AssistantDefinition, number: int) -> AssistantVersion | None:
    return db.scalar(
        select(AssistantVersion).where(
            AssistantVersion.definition_id == row.id, AssistantVersion.version == number
        )
    )


def rollback(db: Session, *, user: User, row: AssistantDefinition, number: int) -> bool:
    """A new version equal to version `number`."""
    old = version(db, row=row, number=number)
    if old is None:
        raise BuilderError.one(f"La version {number} n'existe pas.")
    try:
        spec = validate({**old.spec, "id": row.slug})
    except BuilderError:
        raise BuilderError.one(
            f"La version {number} n'est plus valide avec le format actuel des assistants : "
            "reprenez-la à la main depuis l'historique."
        ) from None
    return save(
        db,
        user=user,
        row=row,
        spec=spec,
        sharing=Sharing(row.sharing),
        base_version=row.version,
        note=f"Retour à la version {number}",
    )


@dataclass(frozen=True)
class DiffLine:
    kind: str  # hunk | same | add | del
    text: str


def diff(old: AssistantVersion, new: AssistantVersion) -> list[DiffLine]:
    """Line diff of the two versions' YAML, as people would read the exported files."""
    a, b = dump_yaml(old.spec).splitlines(), dump_yaml(new.spec).splitlines()
    lines = list(difflib.unified_diff(a, b, lineterm="", n=3))[2:]  # drop the ---/+++ header
    kinds = {"@": "hunk", "+": "add", "-": "del"}
    return [DiffLine(kinds.get(line[:1], "same"), line[1:]) for line in lines]


# --- Review (until the governance workflow: an admin publishes).


def submit(*, row: AssistantDefinition) -> None:
    if row.status != Status.DRAFT.value:
        raise BuilderError.one("Seul un brouillon peut être soumis pour publication.")
    row.status = Status.IN_REVIEW.value
    row.updated_at = utcnow()


def publish(*, admin: User, row: AssistantDefinition, sensitivity: Sensitivity) -> None:
    """The admin decides the data sensitivity at publication, never the form nor a file."""
    if admin.role != Role.ADMIN.value or admin.tenant_id != row.tenant_id:
        raise BuilderError.one("Seul un administrateur de la collectivité peut publier.")
    if row.status not in (Status.IN_REVIEW.value, Status.SUSPENDED.value):
        raise BuilderError.one("Seul un assistant en relecture ou suspendu peut être publié.")
    row.status, row.sensitivity = Status.PUBLISHED.value, sensitivity.value
    row.updated_at = utcnow()


def suspend(*, admin: User, row: AssistantDefinition) -> None:
    if admin.role != Role.ADMIN.value or admin.tenant_id != row.tenant_id:
        raise BuilderError.one("Seul un administrateur de la collectivité peut suspendre.")
    if row.status != Status.PUBLISHED.value:
        raise BuilderError.one("Seul un assistant publié peut être suspendu.")
    row.status, row.updated_at = Status.SUSPENDED.value, utcnow()


# --- YAML: readable dumps, export, strict import.


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None  # instructions and templates stay readable
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def export_yaml(spec: AssistantSpec, *, origin: str) -> str:
    data = without_collections(
        spec.model_dump(mode="json", exclude=set(GOVERNED), exclude_defaults=True)
    )
    header = (
        f"# Assistant Civia « {spec.name} », partagé par {origin} le {date.today():%d/%m/%Y}.\n"
        "# La sensibilité des données, le statut et le partage ne sont pas exportés :\n"
        "# la collectivité qui importe ce fichier en décide.\n"
    )
    return header + dump_yaml(data)


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without aliases (no expansion bombs) and without duplicate keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "les alias YAML (*nom) ne sont pas acceptés", mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"la clé « {key.value} » apparaît deux fois", key.start_mark
                    )
                seen.add(key.value)
        return super().construct_mapping(node, deep=deep)


_YAML_PROBLEMS = {
    "mapping values are not allowed": "« : » inattendu : une valeur contenant « : » doit être "
    "entre guillemets",
    "could not find expected ':'": "« : » attendu après une clé",
    "cannot start any token": "caractère interdit ici (une tabulation ? indentez avec des espaces)",
    "expected <block end>": "indentation incohérente",
    "did not find expected key": "clé attendue : vérifiez l'indentation",
    "did not find expected '-'": "élément de liste « - » attendu : vérifiez l'indentation",
    "did not find expected node content": "valeur attendue",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
    "expected a single document": "un seul assistant par fichier (un seul document YAML)",
    "found unexpected ':'": "« : » inattendu",
    "expected the node content": "valeur attendue (crochet, accolade ou guillemet non fermé ?)",
    "expected ',' or ']'": "« , » ou « ] » attendu : crochet non fermé ?",
    "expected ',' or '}'": "« , » ou « } » attendu : accolade non fermée ?",
}


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = f"{exc.context or ''} {exc.problem or ''}".strip()
    french = next((fr for en, fr in _YAML_PROBLEMS.items() if en in problem), problem)
    mark = exc.problem_mark or exc.context_mark
    where = f" ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else ""
    end = "" if french.endswith(("?", ".")) else "."
    return f"Erreur de syntaxe YAML{where} : {french}{end}"


def read_import(content: bytes) -> dict[str, Any]:
    """The file as a mapping, or a BuilderError saying in French why not."""
    if len(content) > MAX_IMPORT_BYTES:
        raise BuilderError.one(
            f"Le fichier fait plus de {MAX_IMPORT_BYTES // 1024} Ko : un assistant tient en "
            "quelques Ko. Vérifiez que c'est le bon fichier."
        )
    if not content.strip():
        raise BuilderError.one("Le fichier est vide.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BuilderError.one(
            f"Le fichier n'est pas encodé en UTF-8 (octet invalide à la position {exc.start}) : "
            "enregistrez-le en UTF-8 puis réessayez."
        ) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as exc:
        raise BuilderError.one(_yaml_message(exc)) from None
    except yaml.reader.ReaderError as exc:
        raise BuilderError.one(
            f"Caractère interdit (code {exc.character!r}) à la position {exc.position}."
        ) from None
    except RecursionError:
        raise BuilderError.one("Le fichier est imbriqué trop profondément (crochets ?).") from None
    except yaml.YAMLError:
        raise BuilderError.one("Le fichier n'est pas du YAML lisible.") from None
    if data is None:
        raise BuilderError.one(
            "Le fichier ne contient aucune donnée (seulement des commentaires ?)."
        )
    if not isinstance(data, dict):
        kind = "une liste" if isinstance(data, list) else "une valeur seule"
        raise BuilderError.one(
            "Le fichier doit décrire un assistant par des paires « clé : valeur » ; "
            f"il contient {kind}."
        )
    return {str(k): v for k, v in data.items()}


def import_file(
    db: Session, *, user: User, content: bytes, slug: str = ""
) -> tuple[AssistantDefinition, list[str]]:
    """A draft of the importing user's service; also returns the governed keys ignored."""
    data = without_collections(read_import(content))
    if slug.strip():
        data["id"] = slug.strip()
    ignored = sorted(k for k in data if k in GOVERNED)
    errors: dict[str, str] = {}
    spec = None
    try:
        spec = validate(data)
    except BuilderError as exc:
        errors.update(exc.errors)
    if isinstance(data.get("id"), str) and "id" not in errors:
        try:
            _check_slug(db, user=user, slug=data["id"])
        except BuilderError as exc:
            errors.update(exc.errors)
    if errors or spec is None:
        raise BuilderError(errors)
    return create(db, user=user, spec=spec, note="Import d'un fichier YAML"), ignored


# --- The no-code form: flat inputs named like the error paths (`fields.0.label`).

SCALARS = (
    "id", "name", "description", "category", "icon", "instructions", "prompt",
    "time_saved_minutes", "max_tokens", "temperature", "repeat_penalty", "transparency",
    "sharing", "output.kind", "output.json_schema", "output.template", "output.compare_with",
    "output.letterhead", "output.diff", "output.batch", "output.checks", "base_version",
)  # fmt: skip
ROW = ("name", "label", "kind", "required", "help", "placeholder", "default", "choices",
       "max_length", "collection_id")  # fmt: skip
MAX_ROWS = 40


@dataclass
class FormState:
    values: dict[str, str] = field(default_factory=dict)
    formats: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)


def blank_row() -> dict[str, str]:
    return {**dict.fromkeys(ROW, ""), "kind": "short_text", "required": "true"}


def read_form(items: list[tuple[str, str]], *, add_field: bool = False) -> FormState:
    """What was typed, as typed. Rows ticked « supprimer » go; empty rows go unless adding."""
    state = FormState(values=dict.fromkeys(SCALARS, ""))
    rows: dict[int, dict[str, str]] = {}
    for key, raw in items:
        value = raw.replace("\r\n", "\n")  # browsers send textareas with CRLF
        if key == "output.formats":
            state.formats.append(value)
        elif key in state.values:
            state.values[key] = value
        elif key.startswith("fields.") and key.count(".") == 2:
            _, index, attr = key.split(".")
            if index.isdigit() and int(index) < MAX_ROWS and attr in (*ROW, "remove"):
                rows.setdefault(int(index), dict.fromkeys(ROW, ""))[attr] = value
    for _, row in sorted(rows.items()):
        blank = not any(row[k].strip() for k in ROW if k not in ("kind", "required"))
        if row.pop("remove", "") or (blank and not add_field):
            continue
        state.rows.append(row)
    if add_field and len(state.rows) < MAX_ROWS:
        state.rows.append(blank_row())
    return state


def state_from_spec(spec: AssistantSpec, *, sharing: str, base_version: int = 0) -> FormState:
    out = spec.output
    values = {
        "id": spec.id, "name": spec.name, "description": spec.description,
        "category": spec.category, "icon": spec.icon, "instructions": spec.instructions,
        "prompt": spec.prompt, "time_saved_minutes": str(spec.time_saved_minutes),
        "max_tokens": str(spec.max_tokens), "temperature": str(spec.temperature),
        "repeat_penalty": str(spec.repeat_penalty),
        "transparency": spec.transparency, "sharing": sharing, "output.kind": out.kind,
        "output.json_schema": json.dumps(out.json_schema, ensure_ascii=False, indent=2)
        if out.json_schema else "",
        "output.template": out.template, "output.compare_with": out.compare_with,
        "output.letterhead": "true" if out.letterhead else "",
        "output.diff": "true" if out.diff else "", "base_version": str(base_version),
        "output.batch": "true" if out.batch else "", "output.checks": out.checks,
    }  # fmt: skip
    rows = [
        {
            **{k: str(getattr(f, k)) for k in ("name", "label", "help", "placeholder", "default")},
            "kind": f.kind.value,
            "required": "true" if f.required else "",
            "choices": "\n".join(f.choices),
            "max_length": str(f.max_length),
            "collection_id": str(f.collection_id or ""),
        }
        for f in spec.fields
    ]
    return FormState(values=values, formats=list(out.formats), rows=rows)


def default_state() -> FormState:
    fields = AssistantSpec.model_fields
    values = dict.fromkeys(SCALARS, "")
    for name in (
        "icon", "time_saved_minutes", "max_tokens", "temperature", "repeat_penalty", "transparency",
    ):  # fmt: skip
        values[name] = str(fields[name].default)
    values.update({"sharing": Sharing.SERVICE.value, "output.kind": "text", "base_version": "0"})
    return FormState(values=values, rows=[blank_row()])


def default_prompt(fields: list[dict[str, Any]]) -> str:
    """Left empty, the prompt lists each field: « Label : {{ name }} »."""
    return "\n".join(f"{f['label']} : {{{{ {f['name']} }}}}" for f in fields)


def from_form(state: FormState) -> tuple[AssistantSpec, Sharing]:
    """Validate the form; every problem comes back keyed by its input's name."""
    v = state.values
    errors: dict[str, str] = {}
    fields: list[dict[str, Any]] = []
    for row in state.rows:
        item: dict[str, Any] = {k: row[k].strip() for k in ("name", "label", "kind", "help")}
        item.update(placeholder=row["placeholder"], default=row["default"])
        item["required"] = row["required"] == "true"
        item["choices"] = [c.strip() for c in row["choices"].splitlines() if c.strip()]
        if row["max_length"].strip():
            item["max_length"] = row["max_length"].strip()
        if row.get("collection_id", "").strip():
            item["collection_id"] = row["collection_id"].strip()
        fields.append(item)
    output: dict[str, Any] = {
        "kind": v["output.kind"] or "text",
        "formats": state.formats,
        "letterhead": v["output.letterhead"] == "true",
        "diff": v["output.diff"] == "true",
        "batch": v["output.batch"] == "true",
        "compare_with": v["output.compare_with"].strip(),
        "checks": v["output.checks"].strip(),
    }
    if output["kind"] == "structured":
        output["template"] = v["output.template"]
        output["json_schema"] = _schema(v["output.json_schema"], errors)
    data: dict[str, Any] = {k: v[k].strip() for k in ("id", "name", "category", "icon")}
    data.update(
        description=v["description"],
        instructions=v["instructions"],
        prompt=v["prompt"] if v["prompt"].strip() else default_prompt(fields),
        fields=fields,
        output=output,
        transparency=v["transparency"],
    )
    for name in ("time_saved_minutes", "max_tokens", "temperature", "repeat_penalty"):
        if v[name].strip():
            data[name] = v[name].strip().replace(",", ".")
    try:
        sharing = Sharing(v["sharing"])
    except ValueError:
        sharing = Sharing.SERVICE
        errors["sharing"] = "choisissez un partage proposé"
    try:
        spec = validate(data)
    except BuilderError as exc:
        raise BuilderError({**exc.errors, **errors}) from None
    if errors:
        raise BuilderError(errors)
    return spec, sharing


def _schema(raw: str, errors: dict[str, str]) -> Any:
    """The JSON schema typed in the textarea; a neutral one on error so other checks still run."""
    if not raw.strip():
        return None
    try:
        schema = json.loads(raw)
    except json.JSONDecodeError as exc:
        errors["output.json_schema"] = (
            f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} : vérifiez les guillemets "
            "doubles, les virgules et les accolades"
        )
        return {"type": "object"}
    if not isinstance(schema, dict):
        errors["output.json_schema"] = "le schéma doit être un objet JSON, entre { et }"
        return {"type": "object"}
    return schema
