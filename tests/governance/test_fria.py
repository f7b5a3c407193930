"""The Art. 27 impact assessment as a file: type checks, versions, storage, approval, DPIA."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.assistants.renderers import render
from civia.audit import journal as audit
from civia.audit.models import AuditEntry
from civia.governance import dpo_docs, fria, usecases
from civia.governance.usecases import WorkflowError
from tests.conftest import Personas
from tests.governance import fria_files
from tests.governance.conftest import user
from tests.governance.test_usecases import full_card, to_review

MAX = 1024 * 1024


def attach(db: Session, case, login: str, name: str, data: bytes, tmp: Path, **kw: int):  # type: ignore[no-untyped-def]
    return fria.attach(
        db,
        case,
        actor=user(db, login),
        upload=fria.Upload(name, data),
        data_dir=tmp,
        max_bytes=kw.get("max_bytes", MAX),
    )


def test_high_risk_is_approved_with_an_attached_file(
    db: Session, people: Personas, tmp_path: Path
) -> None:
    case = to_review(db, people, risk_class="high", fria="")
    comite = user(db, "comite")
    usecases.vote(db, case, voter=comite, choice="approve")
    with pytest.raises(WorkflowError) as refused:
        usecases.transition(db, case, actor=comite, action="approve")
    assert refused.value.code == "high_risk_fria"
    assert any("analyse d'impact" in w for w in usecases.warnings(case))

    data = fria_files.pdf()
    row = attach(db, case, "referent", "AIPD aides sociales.pdf", data, tmp_path)
    assert (row.version, row.format) == (1, "pdf")
    assert (tmp_path / row.path).read_bytes() == data
    assert not any("analyse d'impact" in w for w in usecases.warnings(case, fria_file=True))
    usecases.transition(db, case, actor=comite, action="approve")
    assert case.status == "approved"
    # What was approved stays: no new version on a decided case.
    with pytest.raises(fria.FriaError, match="déjà décidée") as closed:
        attach(db, case, "referent", "v2.pdf", fria_files.pdf("v2"), tmp_path)
    assert closed.value.status == 409


def test_versions_are_kept_and_audited(db: Session, people: Personas, tmp_path: Path) -> None:
    case = usecases.create(
        db, actor=user(db, "referent"), card=full_card(people, risk_class="high")
    )
    data = fria_files.docx()  # built once: the zip's timestamps change every second
    first = attach(db, case, "referent", "analyse.docx", data, tmp_path)
    with pytest.raises(fria.FriaError, match="déjà la version en cours"):
        attach(db, case, "referent", "analyse.docx", data, tmp_path)
    second = attach(db, case, "comite", "analyse-v2.odt", fria_files.odt(), tmp_path)
    assert [v.version for v in fria.versions(db, case)] == [2, 1]
    assert fria.current(db, case).id == second.id  # type: ignore[union-attr]
    assert (tmp_path / first.path).exists() and (tmp_path / second.path).exists()
    assert first.path != second.path and "analyse" not in second.path  # named by hash
    entries = db.scalars(
        select(AuditEntry).where(AuditEntry.action == "usecase.fria_attached")
    ).all()
    names = audit.logins(db, entries)
    assert [
        (audit.shown_login(e, names), e.details["version"], e.details["replaces"]) for e in entries
    ] == [
        ("referent", 1, None),
        ("comite", 2, 1),
    ]
    assert all("analyse" not in str(e.details) for e in entries)  # no file names in the log


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("analyse.txt", b"du texte", 415, "Format non accepté"),
        ("analyse.doc", b"\xd0\xcf\x11\xe0 ancien Word", 415, "Format non accepté"),
        ("analyse.pdf", fria_files.docx(), 415, "n'est pas un PDF valide"),
        ("analyse.docx", fria_files.plain_zip(), 415, "n'est pas un Word"),
        ("analyse.odt", b"PK\x03\x04 truncated", 415, "n'est pas un OpenDocument"),
        ("analyse.pdf", b"%PDF-1.7\n garbage", 415, "endommagé"),
        ("protege.pdf", fria_files.pdf(password="secret"), 422, "mot de passe"),
        ("vide.pdf", b"", 422, "est vide"),
        ("grand.pdf", fria_files.pdf() + b"0" * 200_000, 413, "taille maximale"),
    ],
)
def test_bad_files_are_refused_in_french(
    db: Session, people: Personas, tmp_path: Path, name: str, data: bytes, status: int, message: str
) -> None:
    case = usecases.create(db, actor=user(db, "referent"), card=full_card(people))
    limit = 200_000
    with pytest.raises(fria.FriaError, match=message) as refused:
        attach(db, case, "referent", name, data, tmp_path, max_bytes=limit)
    assert refused.value.status == status
    assert fria.current(db, case) is None and not (tmp_path / "fria").exists()


def test_who_may_attach(db: Session, people: Personas, tmp_path: Path) -> None:
    case = usecases.create(db, actor=user(db, "referent"), card=full_card(people))
    for login in ("agent", "pilotage", "dpo", "bob", "olivia"):
        with pytest.raises(fria.FriaError) as refused:
            attach(db, case, login, "a.pdf", fria_files.pdf(), tmp_path)
        assert refused.value.status == 403, login
    assert attach(db, case, "admin", "a.pdf", fria_files.pdf(), tmp_path).version == 1


def test_clean_filename() -> None:
    assert fria.clean_filename("C:\\Users\\x\\AIPD\u0007 été.pdf") == "AIPD été.pdf"
    assert fria.clean_filename("../../etc/passwd.pdf") == "passwd.pdf"
    assert fria.clean_filename("") == "analyse-impact"


def test_dpia_draft_names_the_attached_file(db: Session, people: Personas, tmp_path: Path) -> None:
    case = usecases.create(
        db, actor=user(db, "referent"), card=full_card(people, risk_class="high", fria="")
    )
    doc = dpo_docs.build(db, case, "aipd", author=user(db, "dpo"))
    xml = _xml(doc)
    assert "À compléter par le DPO" in xml and "Analyse jointe" not in xml
    attach(db, case, "referent", "AIPD-RSA.odt", fria_files.odt(), tmp_path)
    xml = _xml(dpo_docs.build(db, case, "aipd", author=user(db, "dpo")))
    assert "Analyse jointe à la fiche : « AIPD-RSA.odt » (version 1, OpenDocument (ODT)" in xml
    assert "par Referent" in xml


def _xml(doc) -> str:  # type: ignore[no-untyped-def]
    data, _mime, _name = render(doc, "docx")
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
