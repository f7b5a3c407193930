"""The validated reply as an email, threaded under the citizen's message (In-Reply-To,
References), addressed to them, from the shared mailbox: a draft the agent sends themselves."""

from __future__ import annotations

import email.policy
import email.utils
from email.message import EmailMessage

from civia.mailbox.declared import DeclaredMailbox
from civia.mailbox.models import MailMessage

AI_HEADER = "X-Civia-Assistance"
AI_NOTE = "Brouillon rédigé avec l'aide d'une IA et relu par un agent"


def reply_subject(subject: str) -> str:
    subject = subject.strip()
    if subject.lower().startswith(("re:", "re :")):
        return subject
    return f"Re: {subject}" if subject else "Re: votre message"


def build(message: MailMessage, box: DeclaredMailbox, text: str) -> bytes:
    reply = EmailMessage(policy=email.policy.SMTP)
    sender = box.login if "@" in box.login else ""
    if sender:
        reply["From"] = email.utils.formataddr((box.label, sender))
    reply["To"] = email.utils.formataddr((message.sender_name, message.sender))
    reply["Subject"] = reply_subject(message.subject)
    reply["Date"] = email.utils.formatdate(localtime=False)
    domain = sender.rpartition("@")[2] or None
    reply["Message-ID"] = email.utils.make_msgid(domain=domain)
    if message.message_id:
        reply["In-Reply-To"] = message.message_id
        chain = [*message.thread_references.split(), message.message_id]
        reply["References"] = " ".join(dict.fromkeys(chain))  # once each, in order
    reply[AI_HEADER] = AI_NOTE
    reply.set_content(text.replace("\r\n", "\n").strip() + "\n")
    return reply.as_bytes()
