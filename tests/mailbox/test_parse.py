"""Reading citizens' emails as they really arrive: encodings, HTML only, broken structure."""

from __future__ import annotations

from email.message import EmailMessage

from civia.mailbox import attachments, process
from civia.mailbox import parse as p
from civia.mailbox.models import MailMessage


def test_plain_quoted_printable_mail_is_read_with_its_sender_and_thread() -> None:
    raw = (
        b"From: =?utf-8?q?Ren=C3=A9e_L=C3=A9vy?= <renee@exemple.fr>\r\n"
        b"Subject: =?utf-8?q?Probl=C3=A8me_d=27=C3=A9clairage?=\r\n"
        b"Message-ID: <abc@exemple.fr>\r\nIn-Reply-To: <prev@mairie.fr>\r\n"
        b"References: <first@mairie.fr> <prev@mairie.fr>\r\n"
        b"Date: Fri, 4 Dec 2026 09:12:00 +0100\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        b"\r\nLe lampadaire de la rue des =C3=89coles est =C3=A9teint.\r\n"
    )
    mail = p.parse(raw)
    assert (mail.sender, mail.sender_name) == ("renee@exemple.fr", "Renée Lévy")
    assert mail.subject == "Problème d'éclairage"
    assert mail.body == "Le lampadaire de la rue des Écoles est éteint."
    assert mail.message_id == "<abc@exemple.fr>"
    assert mail.references.split() == ["<first@mairie.fr>", "<prev@mairie.fr>", "<prev@mairie.fr>"]
    assert mail.sent_at is not None and mail.sent_at.hour == 9 and not mail.notes


def test_html_only_mail_becomes_text_without_scripts_or_styles() -> None:
    msg = EmailMessage()
    msg["From"] = "a@exemple.fr"
    msg["Subject"] = "Cantine"
    msg.set_content(
        "<html><head><style>p{color:red}</style></head><body><p>Bonjour,</p>"
        "<p>Mon fils <b>Léo</b> mange-t-il à la cantine lundi ?</p><script>alert(1)</script>"
        "</body></html>",
        subtype="html",
    )
    mail = p.parse(msg.as_bytes())
    assert mail.body == "Bonjour,\nMon fils\nLéo\nmange-t-il à la cantine lundi ?"
    assert "alert" not in mail.body and "color" not in mail.body
    assert mail.notes == [p.NOTE_HTML]


def test_unknown_charset_is_read_as_best_as_possible_with_a_french_note() -> None:
    raw = (
        b"From: b@exemple.fr\r\nSubject: Voirie\r\n"
        b"Content-Type: text/plain; charset=x-inconnu-42\r\n\r\n"
        b"Nid de poule devant l'\xe9cole.\r\n"
    )
    mail = p.parse(raw)
    assert mail.body == "Nid de poule devant l'école."  # cp1252 when not UTF-8
    assert mail.notes == [p.note_charset("x-inconnu-42")]


def test_malformed_mail_is_kept_with_a_note_and_attachments_are_listed() -> None:
    raw = (
        b"From: pas une adresse\r\nSubject: =?utf-8?b?invalide?=\r\n"
        b"Content-Type: multipart/mixed; boundary=XYZ\r\n\r\n"
        b"--XYZ\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nVoici mon dossier.\r\n"
        b"--XYZ\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="justificatif.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
    )  # the closing boundary is missing
    mail = p.parse(raw)
    assert mail.body == "Voici mon dossier."
    assert mail.sender == ""  # no address to reply to: the page says so
    [pdf] = mail.attachments
    assert (pdf["name"], pdf["type"], pdf["size"], pdf["text"]) == (
        "justificatif.pdf", "application/pdf", 9, ""
    )  # fmt: skip
    assert "endommagé ou illisible" in pdf["problem"]  # the file stays in the mailbox
    assert p.NOTE_DEFECT in mail.notes


def test_empty_and_huge_bodies() -> None:
    assert p.parse(b"Subject: vide\r\n\r\n").notes == [p.NOTE_EMPTY]
    huge = p.parse(b"Subject: long\r\n\r\n" + b"a" * 30_000)
    assert len(huge.body) == p.MAX_BODY_CHARS and huge.notes == [p.NOTE_CUT]
    assert p.parse(b"\x00\xff garbage without headers").body  # never raises


def test_attachments_are_read_like_documents_and_reach_the_analysis() -> None:
    msg = EmailMessage()
    msg["From"] = "c@exemple.fr"
    msg["Subject"] = "Facture contestée"
    msg.set_content("Bonjour, voici le relevé joint.")
    msg.add_attachment(b"date;montant\n2026-10-01;412,00\n", maintype="text", subtype="csv",
                       filename="releve.csv")  # fmt: skip
    msg.add_attachment(b"\x00\x00\x00\x18ftypheic", maintype="image", subtype="heic",
                       filename="photo.heic")  # fmt: skip
    msg.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png",
                       filename="scan.png")  # fmt: skip
    mail = p.parse(msg.as_bytes())
    csv, heic, png = mail.attachments
    assert "412,00" in csv["text"] and not csv["problem"]
    assert heic["problem"] == attachments.UNSUPPORTED_FR and not heic["text"]
    # an image is read by OCR in the analysis job: its bytes are kept until then
    assert (
        png["ocr"] == attachments.PENDING
        and not png["problem"]
        and mail.scans == {2: b"\x89PNG\r\n\x1a\n"}
    )
    message = MailMessage(subject=mail.subject, body=mail.body, attachments=mail.attachments)
    text = process.message_text(message)
    assert text.startswith("Objet : Facture contestée") and "Pièce jointe « releve.csv »" in text
    assert "412,00" in text and "photo.heic" not in text and "scan.png" not in text
