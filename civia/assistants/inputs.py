"""Checking what an agent typed in an assistant's form (French messages, nothing guessed)."""

from __future__ import annotations

from datetime import date

from civia.assistants.spec import AssistantSpec, FieldKind


class InputError(ValueError):
    """`errors` maps field name → French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def validate_inputs(spec: AssistantSpec, raw: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in spec.fields:
        if field.kind in (FieldKind.FILE, FieldKind.COLLECTION):
            continue  # handled by the documents area
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
    if errors:
        raise InputError(errors)
    return values


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
