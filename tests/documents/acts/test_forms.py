"""One act from a file and a form, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from civia.documents.acts.forms import (
    DuplicateActError,
    FormErrors,
    body_from_file,
    import_one,
    record_from_form,
)
from civia.documents.acts.models import Act
from civia.documents.acts.search import search_acts
from civia.documents.errors import (
    CorruptedFileError,
    EncryptedFileError,
    FileTooLargeError,
    UnsupportedFormatError,
)
from tests.documents.acts.conftest import SAINT_AUBIN, ActsWorld
from tests.documents.files import encrypt_pdf, make_docx, make_pdf

FORM = {
    "kind": "arrete",
    "objet": "Arrêté réglementant la circulation pendant la brocante du 1er mai 2024",
    "identifier": "AR-2024-031",
    "act_date": "2024-04-15",
    "coll_name": "Commune de Saint-Aubin-sur-Loire",
    "coll_siret": "214 902 734 00011",
    "matiere_code": "6.1",
}
DOCX = make_docx(
    [
        ("h1", "Arrêté n° AR-2024-031"),
        ("p", "Vu le code général des collectivités territoriales ;"),
        ("p", "Considérant l'affluence attendue à la brocante ;"),
        ("p", "Article 1 : la circulation est interdite place de l'Église."),
    ]
)


def test_text_comes_from_the_documents_extractors() -> None:
    assert "Considérant l'affluence" in body_from_file(DOCX, "arrete.docx", max_bytes=10**6)
    pdf = make_pdf([["Vu le code de la route ;"], ["Article 2 : stationnement interdit."]])
    assert "Article 2" in body_from_file(pdf, "arrete.pdf", max_bytes=10**6)
    with pytest.raises(EncryptedFileError):
        body_from_file(encrypt_pdf(pdf), "arrete.pdf", max_bytes=10**6)
    with pytest.raises(UnsupportedFormatError):
        body_from_file(b"GIF89a\x01\x00\x01\x00....", "scan.gif", max_bytes=10**6)
    with pytest.raises(CorruptedFileError):  # a scan (PNG) is read by OCR: this one is broken
        body_from_file(b"\x89PNG\r\n\x1a\n...", "scan.png", max_bytes=10**6)
    with pytest.raises(FileTooLargeError):
        body_from_file(DOCX, "arrete.docx", max_bytes=100)


def test_form_errors_name_their_fields() -> None:
    with pytest.raises(FormErrors) as caught:
        record_from_form(
            {**FORM, "kind": "loi", "act_date": "15/13/2024", "vote_pour": "dix", "objet": ""},
            body="",
        )
    assert set(caught.value.errors) == {"kind", "body", "act_date", "vote_pour", "objet"}
    assert caught.value.errors["act_date"].startswith("La date de l'acte (DELIB_DATE)")
    record = record_from_form({**FORM, "coll_siret": ""}, body="Texte.")
    assert record.coll_siret == "" and record.kind == "arrete"


def test_one_act_is_filed_searchable_and_not_twice(acts_world: ActsWorld) -> None:
    record = record_from_form(FORM, body=body_from_file(DOCX, "a.docx", max_bytes=10**6))
    with acts_world.sessions() as db:
        referent = acts_world.user(db, "referent")
        act = import_one(db, user=referent, record=record)
        db.commit()
        assert act.source == "fichier" and act.imported_by_id == referent.id
        with pytest.raises(DuplicateActError) as caught:
            import_one(db, user=referent, record=record)
        assert caught.value.act.id == act.id and "déjà importé" in str(caught.value)
        found = search_acts(db, scope=acts_world.scope(db, "agent"), query="affluence")
        assert [a.id for a in found.acts] == [act.id]
    # The open-data row of the same act updates its metadata and keeps its text.
    again = acts_world.import_file("demoville", SAINT_AUBIN)
    assert again.created == 16 and again.updated == 1
    with acts_world.sessions() as db:
        kept = db.scalar(select(Act).where(Act.identifier == "AR-2024-031"))
        assert kept is not None and "Considérant l'affluence" in kept.body
        assert kept.pref_id == "PREF049"  # from the CSV
        assert search_acts(db, scope=acts_world.scope(db, "agent"), query="affluence").total == 1
