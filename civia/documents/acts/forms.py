"""One act from a file (PDF, DOCX, ODT, text…) or a pasted text, plus a metadata form."""

from __future__ import annotations

from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.documents.acts.models import Act, ActKind
from civia.documents.acts.records import ActRecord, RecordError, parse_record
from civia.documents.acts.store import corpus_for, find, upsert_many
from civia.documents.extract import Limits, extract

# Form field → SCDL column (the same validation as CSV rows).
FIELDS = {
    "coll_name": "COLL_NOM",
    "coll_siret": "COLL_SIRET",
    "identifier": "DELIB_ID",
    "act_date": "DELIB_DATE",
    "matiere_code": "DELIB_MATIERE_CODE",
    "matiere_name": "DELIB_MATIERE_NOM",
    "objet": "DELIB_OBJET",
    "budget_year": "BUDGET_ANNEE",
    "budget_name": "BUDGET_NOM",
    "pref_id": "PREF_ID",
    "pref_date": "PREF_DATE",
    "vote_effectif": "VOTE_EFFECTIF",
    "vote_reel": "VOTE_REEL",
    "vote_pour": "VOTE_POUR",
    "vote_contre": "VOTE_CONTRE",
    "vote_abstention": "VOTE_ABSTENTION",
    "url": "DELIB_URL",
}
_COLUMN_FIELDS = {column: name for name, column in FIELDS.items()}
MAX_BODY_CHARS = 500_000


class FormErrors(ValueError):
    """French messages by form field name."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class DuplicateActError(ValueError):
    def __init__(self, act: Act) -> None:
        super().__init__(
            f"Cet acte est déjà importé ({act.kind_label} n° {act.identifier} de {act.coll_name})."
        )
        self.act = act


def body_from_file(data: bytes, filename: str, *, max_bytes: int) -> str:
    """The text of an act's file, through the documents extractors (raises `DocumentError`)."""
    extracted = extract(data, filename, limits=Limits(max_bytes=max_bytes))
    return "\n\n".join(block.text for block in extracted.blocks)[:MAX_BODY_CHARS]


def record_from_form(values: dict[str, str], *, body: str) -> ActRecord:
    kind = values.get("kind", "")
    errors: dict[str, str] = {}
    if kind not in {k.value for k in ActKind}:
        errors["kind"] = "Choisissez le type de l'acte."
    if not body.strip():
        errors["body"] = "Joignez le fichier de l'acte ou collez son texte."
    raw = {column: values.get(name, "") for name, column in FIELDS.items()}
    try:
        record = parse_record(
            raw, body=body.strip(), kind=kind or ActKind.OTHER.value, siret_required=False
        )
    except RecordError as exc:
        for column, message in exc.problems:
            name = _COLUMN_FIELDS.get(column, column.lower())
            errors.setdefault(name, message[:1].upper() + message[1:] + ".")
        raise FormErrors(errors) from None
    if errors:
        raise FormErrors(errors)
    return record


def import_one(session: Session, *, user: User, record: ActRecord) -> Act:
    """File one act for the user's tenant; refuses an act already known (same key)."""
    corpus = corpus_for(session, user.tenant_id)
    existing = find(session, user.tenant_id, record.key)
    if existing is not None:
        raise DuplicateActError(existing)
    done = upsert_many(
        session, corpus=corpus, records=[record], source="fichier", imported_by_id=user.id
    )
    return done.acts[record.key]
