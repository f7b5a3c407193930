"""The fundamental-rights impact assessment (AI Act Art. 27) as an attached file.

A high-risk use case is approved only with an assessment: the text field of the card or a
PDF/DOCX/ODT file attached here. Each upload is a new version (the earlier ones stay on record,
since the comité may have decided on them); every upload and download is audited. Files live
under `<data_dir>/fria/<tenant>/<case>/`, written atomically, named by version and hash — never
by the uploaded name, which is only shown.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from civia.accounts.models import Role, User
from civia.audit import journal as audit
from civia.governance.models import FriaFile, UseCase
from civia.governance.usecase_cards import _target, can_edit
from civia.governance.usecase_terms import MIN_FRIA_CHARS, CaseStatus

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "odt": "OpenDocument (ODT)"}
ACCEPT = ".pdf,.docx,.odt," + ",".join(FORMATS.values())
# Before a decision, or while it is being re-examined; an approved case keeps what was approved.
OPEN_STATES = (
    CaseStatus.DRAFT,
    CaseStatus.CHANGES_REQUESTED,
    CaseStatus.SUBMITTED,
    CaseStatus.IN_REVIEW,
)
_ODT_MIME = b"application/vnd.oasis.opendocument.text"
NOT_ALLOWED = (
    "Seuls l'auteur de la fiche, un référent de son service, un administrateur ou un membre "
    "du comité peuvent joindre l'analyse d'impact."
)


class FriaError(ValueError):
    """Refused upload: a French message and the HTTP status to answer with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def megabytes(size: int) -> str:
    """A size limit in French units (« 20 Mo », « 98 Ko »; 1 Mo = 10^6 octets, as the settings)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.0f} Mo"
    return f"{size / 1000:.0f} Ko"


def can_attach(user: User, case: UseCase) -> bool:
    """The card's editors (author, référent of its service, admin) and comité members."""
    if user.tenant_id != case.tenant_id:
        return False
    return can_edit(user, case) or user.role_enum is Role.COMITE


def clean_filename(name: str) -> str:
    """The uploaded name as shown to users: no path, no control characters, 200 chars."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable())
    return base.strip()[:200] or "analyse-impact"


def detect_format(data: bytes, filename: str) -> str:
    """The file's format from its content, checked against its extension."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise FriaError(
            f"Format non accepté (« {filename} ») : joignez un fichier PDF, DOCX ou ODT.", 415
        )
    found = _sniff(data)
    if found is None or found != extension:
        raise FriaError(
            f"Le fichier « {filename} » n'est pas un {FORMAT_LABELS[extension]} valide "
            "(contenu illisible ou ne correspondant pas à son extension).",
            415,
        )
    if found == "pdf":
        _check_pdf(data, filename)
    return found


def _sniff(data: bytes) -> str | None:
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
            small = "mimetype" in names and archive.getinfo("mimetype").file_size < 100
            if small and archive.read("mimetype").strip() == _ODT_MIME:
                return "odt"
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    return None


def _check_pdf(data: bytes, filename: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise FriaError(f"Le PDF « {filename} » est endommagé ou illisible.", 415) from None
    if encrypted:
        raise FriaError(
            f"Le PDF « {filename} » est protégé par un mot de passe : le comité ne pourrait "
            "pas le lire. Joignez une version sans mot de passe.",
            422,
        )
    if pages == 0:
        raise FriaError(f"Le PDF « {filename} » ne contient aucune page.", 422)


def versions(db: Session, case: UseCase) -> list[FriaFile]:
    """Newest first."""
    stmt = select(FriaFile).where(FriaFile.use_case_id == case.id)
    return list(db.scalars(stmt.order_by(FriaFile.version.desc())))


def current(db: Session, case: UseCase) -> FriaFile | None:
    stmt = select(FriaFile).where(FriaFile.use_case_id == case.id)
    return db.scalar(stmt.order_by(FriaFile.version.desc()).limit(1))


def get_version(db: Session, case: UseCase, version: int) -> FriaFile | None:
    return db.scalar(
        select(FriaFile).where(FriaFile.use_case_id == case.id, FriaFile.version == version)
    )


def has_assessment(db: Session, case: UseCase) -> bool:
    """What approval of a high-risk case requires: the text on the card or an attached file."""
    return len(case.fria.strip()) >= MIN_FRIA_CHARS or current(db, case) is not None


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def attach(
    db: Session, case: UseCase, *, actor: User, upload: Upload, data_dir: Path, max_bytes: int
) -> FriaFile:
    """Check and store a new version of the assessment; audited in the caller's transaction."""
    if not can_attach(actor, case):
        raise FriaError(NOT_ALLOWED, 403)
    if CaseStatus(case.status) not in OPEN_STATES:
        raise FriaError(
            "L'analyse d'impact ne se change pas sur une fiche déjà décidée ou suspendue : "
            "le comité doit d'abord rouvrir l'examen.",
            409,
        )
    filename = clean_filename(upload.filename)
    if not upload.data:
        raise FriaError(f"Le fichier « {filename} » est vide.", 422)
    if len(upload.data) > max_bytes:
        raise FriaError(
            f"Le fichier dépasse la taille maximale ({megabytes(max_bytes)}). "
            "Rien n'a été enregistré.",
            413,
        )
    fmt = detect_format(upload.data, filename)
    digest = hashlib.sha256(upload.data).hexdigest()
    latest = current(db, case)
    if latest is not None and latest.sha256 == digest:
        raise FriaError("Ce fichier est déjà la version en cours de l'analyse d'impact.", 409)
    version = (db.scalar(select(func.max(FriaFile.version)).where(FriaFile.use_case_id == case.id))
               or 0) + 1  # fmt: skip
    relative = Path("fria", str(case.tenant_id), str(case.id), f"v{version}-{digest[:16]}.{fmt}")
    row = FriaFile(
        tenant_id=case.tenant_id,
        use_case_id=case.id,
        version=version,
        filename=filename,
        format=fmt,
        size_bytes=len(upload.data),
        sha256=digest,
        path=relative.as_posix(),
        uploaded_by=actor.id,
    )
    db.add(row)
    try:
        db.flush()
    except IntegrityError:
        raise FriaError(
            "Une autre version vient d'être déposée en même temps : rechargez la page.", 409
        ) from None
    _write(data_dir / relative, upload.data)
    audit.record(
        db,
        tenant_id=case.tenant_id,
        actor=actor,
        action="usecase.fria_attached",
        target=_target(case),
        details={"version": version, "format": fmt, "size": len(upload.data),
                 "sha256": digest[:16], "replaces": latest.version if latest else None},
    )  # fmt: skip
    return row


def _write(path: Path, data: bytes) -> None:
    """Atomic: a reader never sees half a file, a crash leaves no partial one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)


def read(row: FriaFile, data_dir: Path) -> bytes:
    path = data_dir / row.path
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FriaError(
            "Le fichier de cette version est introuvable sur le serveur (restauration "
            "incomplète ?). Prévenez un administrateur.",
            404,
        ) from None
