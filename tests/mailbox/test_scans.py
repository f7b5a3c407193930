"""Scanned attachments (an image-only PDF, a photo of a form) read by the real tesseract in the
analysis job, after a real Dovecot round trip; bounded, hostile files refused in French."""

from __future__ import annotations

import os
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient
from imapclient import IMAPClient
from sqlalchemy import func, select

from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.documents.analysis import fold
from civia.documents.extract import ocr
from civia.governance import usecases
from civia.mailbox import attachments, process, scans
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus, PendingAttachment
from civia.mailbox.parse import parse
from civia.privacy.engine import detect
from civia.privacy.summary import entity_counts
from civia.settings import Settings
from tests.conftest import Personas, login, make_personas, page_text
from tests.documents.scans import declared_png, photo, scanned_pdf
from tests.mailbox.conftest import citizen_mail, deliver
from tests.mailbox.test_routes import _connect, _fetch_now, _only_message, app  # noqa: F401

# CI installs tesseract (.ci/run): there, its absence is a failure, not a skip.
needs_tesseract = pytest.mark.skipif(
    not ocr.available() and not os.environ.get("CI"), reason="tesseract-ocr-fra not installed"
)
FORM = [
    "Demande de carte de stationnement résident",
    "Nom : Paul Durand",
    "Téléphone : 06 12 34 56 78",
]


def mail_with_scans() -> EmailMessage:
    msg = citizen_mail("Carte de stationnement", "Bonjour, voici mon formulaire rempli.")
    msg.add_attachment(scanned_pdf([FORM]), maintype="application", subtype="pdf",
                       filename="formulaire.pdf")  # fmt: skip
    msg.add_attachment(photo(["Justificatif de domicile", "Facture d'électricité"], "JPEG"),
                       maintype="image", subtype="jpeg", filename="IMG_2041.jpg")  # fmt: skip
    return msg


@needs_tesseract
def test_scans_are_read_by_ocr_in_the_analysis_job_and_shown_as_such(
    app: tuple[TestClient, Personas],  # noqa: F811
    imap: IMAPClient,
    mail_settings: Settings,
) -> None:
    client, personas = app
    _connect(client, personas)
    deliver(imap, mail_with_scans())
    assert "1 nouveau message relevé ; analyse en cours." in _fetch_now(client, "agent")  # no OCR
    message = _only_message(client)
    assert [a["ocr"] for a in message.attachments] == [attachments.PENDING] * 2
    shown = page_text(client.get(f"/courriels/{message.id}"))
    assert "sera lu par reconnaissance de caractères pendant l'analyse" in shown
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    with session_scope(sessions) as db:  # the model is not needed to see the OCR step
        usecases.suspend_assistant(db, tenant_id=personas.tenant.id, actor=None,
                                   assistant_id="tri-demandes", reason="essai")  # fmt: skip
    assert process.process_one(sessions, mail_settings) == message.id
    message = _only_message(client)
    assert message.status == MessageStatus.FAILED and "suspendu" in message.problem
    form, proof = message.attachments
    assert form["ocr"] == proof["ocr"] == attachments.READ and not form["problem"]
    assert "stationnement" in fold(form["text"]) and "06 12 34 56 78" in form["text"]
    assert "justificatif de domicile" in fold(proof["text"])
    with session_scope(sessions) as db:
        assert db.scalar(select(func.count()).select_from(PendingAttachment)) == 0  # bytes gone
    text = process.message_text(message)  # what personal data detection, triage and draft read
    assert "« formulaire.pdf » (texte lu par reconnaissance de caractères" in text
    assert entity_counts(detect(text)).get("PHONE") == 1
    login(client, "agent")
    shown = page_text(client.get(f"/courriels/{message.id}"))
    assert "Texte lu par reconnaissance de caractères : à vérifier" in shown
    queue = page_text(client.get("/courriels"))
    assert "texte lu par reconnaissance de caractères : à vérifier" in queue


@needs_tesseract
def test_hostile_and_surplus_scans_get_a_french_reason_and_nothing_is_lost(
    settings: Settings, password_hash: str
) -> None:
    msg = citizen_mail("Pièces", "Voici mes pièces.")
    msg.add_attachment(declared_png(100_000, 100_000), maintype="image", subtype="png",
                       filename="bombe.png")  # fmt: skip
    msg.add_attachment(b"\x89PNG\r\n\x1a\n tronque", maintype="image", subtype="png",
                       filename="coupee.png")  # fmt: skip
    for n in range(scans.MAX_SCANS):
        msg.add_attachment(photo([f"Pièce {n}"]), maintype="image", subtype="png",
                           filename=f"piece-{n}.png")  # fmt: skip
    parsed = parse(msg.as_bytes())
    assert len(parsed.scans) == scans.MAX_SCANS + 2
    kept = scans.plan(parsed.attachments, parsed.scans, ocr_on=True)
    assert sorted(kept) == list(range(scans.MAX_SCANS))  # the first five only
    assert [a["problem"] for a in parsed.attachments[-2:]] == [scans.TOO_MANY_FR] * 2
    engine = make_engine(settings.db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        tenant_id = make_personas(db, password_hash).tenant.id
        box = Mailbox(tenant_id=tenant_id, key="accueil", last_uid=0)
        db.add(box)
        db.flush()
        message = MailMessage(tenant_id=tenant_id, mailbox_id=box.id, uidvalidity=1, uid=1,
                              subject=parsed.subject, body=parsed.body,
                              attachments=parsed.attachments)  # fmt: skip
        db.add(message)
        scans.keep(db, message, {k: kept[k] for k in (0, 1)})
        message_id = message.id
    assert scans.read_pending(sessions, message_id, settings) == 2
    with session_scope(sessions) as db:
        stored = db.get(MailMessage, message_id)
        assert stored is not None
        bomb, cut = stored.attachments[:2]
        assert "millions de pixels" in bomb["problem"] and not bomb["text"] and not bomb["ocr"]
        assert "endommagée" in cut["problem"] and not cut["text"]
        assert db.scalar(select(func.count()).select_from(PendingAttachment)) == 0
    engine.dispose()


def test_without_ocr_a_scan_is_listed_with_the_reason(settings: Settings) -> None:
    msg = citizen_mail("Formulaire", "Ci-joint.")
    msg.add_attachment(photo(FORM), maintype="image", subtype="png", filename="f.png")
    parsed = parse(msg.as_bytes())
    assert scans.plan(parsed.attachments, parsed.scans, ocr_on=False) == {}
    [found] = parsed.attachments
    assert found["problem"] == scans.UNAVAILABLE_FR and found["ocr"] == ""
    assert not scans.enabled(settings.model_copy(update={"ocr_enabled": False}))
