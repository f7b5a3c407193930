"""An email's bytes → what the queue shows: sender, subject, plain text, attachments, and
French notes on anything that could not be read as sent (unknown encoding, HTML only…)."""

from __future__ import annotations

import email
import email.policy
import email.utils
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from civia.mailbox import attachments

MAX_BODY_CHARS = 20_000
NOTE_HTML = "Message reçu seulement en HTML : le texte en a été extrait."
NOTE_CUT = "Message très long : seuls les 20 000 premiers caractères sont repris."
NOTE_EMPTY = "Message sans texte lisible : consultez-le dans votre messagerie."
NOTE_DEFECT = "Message mal formé : il a été lu au mieux, vérifiez-le dans votre messagerie."


def note_charset(charset: str) -> str:
    return f"Encodage inconnu (« {charset} ») : certains caractères peuvent être mal affichés."


@dataclass
class ParsedMail:
    message_id: str = ""
    references: str = ""  # In-Reply-To and References of the original, for the reply
    subject: str = ""
    sender: str = ""
    sender_name: str = ""
    sent_at: datetime | None = None
    body: str = ""
    notes: list[str] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    scans: dict[int, bytes] = field(default_factory=dict)  # attachment index → bytes, for OCR


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except (ValueError, TypeError, IndexError):  # undecodable encoded words
        raw = msg.raw_items()  # the undecoded value: the only readable form left
        value = next((v for k, v in raw if k.lower() == name.lower()), "")
    return " ".join(str(value or "").split())


def _text_of(part: Message, notes: list[str]) -> str:
    try:
        return str(part.get_content())  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, ValueError, AssertionError, KeyError):
        charset = part.get_content_charset() or "inconnu"
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            return ""
        note = note_charset(charset)
        if note not in notes:
            notes.append(note)
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("cp1252", errors="replace")


def html_to_text(html: str) -> str:
    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, head"):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    text = root.text(separator="\n")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def parse(raw: bytes) -> ParsedMail:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    notes: list[str] = []
    name, address = email.utils.parseaddr(_header(msg, "Reply-To") or _header(msg, "From"))
    parsed = ParsedMail(
        message_id=_header(msg, "Message-ID"),
        references=" ".join(
            filter(None, (_header(msg, "References"), _header(msg, "In-Reply-To")))
        ),
        subject=_header(msg, "Subject")[:500],
        sender=address if "@" in address else "",
        sender_name=name,
        notes=notes,
    )
    try:
        sent = email.utils.parsedate_to_datetime(_header(msg, "Date"))
        parsed.sent_at = sent if sent.tzinfo else sent.replace(tzinfo=UTC)
    except (TypeError, ValueError, IndexError):
        parsed.sent_at = None
    plain, html = [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if disposition == "attachment" or (filename and disposition != "inline"):
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            found = attachments.read(data, filename or "pièce jointe sans nom",
                                     part.get_content_type())  # fmt: skip
            if found["ocr"] == attachments.PENDING:
                parsed.scans[len(parsed.attachments)] = data
            parsed.attachments.append(found)
        elif part.get_content_type() == "text/plain":
            plain.append(_text_of(part, notes))
        elif part.get_content_type() == "text/html":
            html.append(_text_of(part, notes))
    if any(p.strip() for p in plain):
        body = "\n\n".join(p.strip() for p in plain if p.strip())
    elif html:
        body = "\n\n".join(html_to_text(h) for h in html)
        notes.append(NOTE_HTML)
    else:
        body = ""
    if msg.defects or any(p.defects for p in msg.walk()):
        notes.append(NOTE_DEFECT)
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS]
        notes.append(NOTE_CUT)
    if not body.strip():
        notes.append(NOTE_EMPTY)
    parsed.body = body.strip()
    return parsed
