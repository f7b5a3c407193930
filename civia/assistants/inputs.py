"""Checking what an agent typed in an assistant's form (French messages, nothing guessed)."""

from __future__ import annotations

from datetime import date

from civia.assistants.spec import AssistantSpec, FieldKind, FormField


class InputError(ValueError):
    """`errors` maps field name → French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


SOURCES = (FieldKind.LONG_TEXT, FieldKind.FILE, FieldKind.COLLECTION)


def validate_inputs(spec: AssistantSpec, raw: dict[str, str]) -> dict[str, str]:
    """Checked values. A file field's value is its file name and a collection field's the
    collection id (as the caller found them); their content is read by `prepare`."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in spec.fields:
        if field.kind in (FieldKind.FILE, FieldKind.COLLECTION):
            given = (raw.get(field.name) or "").strip()
            if field.kind is FieldKind.COLLECTION and field.collection_id is not None:
                given = str(field.collection_id)
            if not given and field.required:
                errors[field.name] = (
                    f"Déposez un fichier pour « {field.label} »."
                    if field.kind is FieldKind.FILE
                    else f"Choisissez une collection pour « {field.label} »."
                )
            values[field.name] = given
            continue
        value = (raw.get(field.name) or field.default or "").strip()
        if not value:
            if field.required:
                errors[field.name] = f"« {field.label} » est obligatoire."
            values[field.name] = ""
            continue
        if len(value) > field.max_length:
            errors[field.name] = (
                f"« {field.label} » fait {len(value)} caractères ; maximum {field.max_length}."
            )
        elif field.kind is FieldKind.CHOICE and value not in field.choices:
            errors[field.name] = f"Choisissez une valeur proposée pour « {field.label} »."
        elif field.kind is FieldKind.DATE and not _is_date(value):
            errors[field.name] = f"« {field.label} » doit être une date (AAAA-MM-JJ)."
        elif field.kind is FieldKind.NUMBER and not _is_number(value):
            errors[field.name] = f"« {field.label} » doit être un nombre."
        values[field.name] = value
    _one_source(spec, values, errors)
    if errors:
        raise InputError(errors)
    return values


def alternatives(spec: AssistantSpec) -> list[FormField]:
    """Optional fields that are each a way to give the material (a pasted text or a file, a
    text or a collection): at least one of them is needed."""
    sources = [f for f in spec.fields if f.kind in SOURCES]
    return [] if len(sources) < 2 or any(f.required for f in sources) else sources


def _one_source(spec: AssistantSpec, values: dict[str, str], errors: dict[str, str]) -> None:
    sources = alternatives(spec)
    if not sources:
        return
    if not any(values.get(f.name) for f in sources):
        labels = " ou ".join(f"« {f.label} »" for f in sources)
        errors[sources[0].name] = f"Renseignez {labels}."


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except ValueError:
        return False
    return True
