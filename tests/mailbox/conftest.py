"""A real Dovecot server per test module, a declaration file pointing at it, and helpers to
drop citizens' emails into its INBOX."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from imapclient import IMAPClient

from civia.settings import Settings
from tests.servers import imap_server

LOGIN, PASSWORD = "accueil@demoville.test", "imap-secret-1"
OTHER_LOGIN = "mairie@autreville.test"


@pytest.fixture(scope="module")
def imap_port() -> Iterator[int]:
    with imap_server({LOGIN: PASSWORD, OTHER_LOGIN: PASSWORD}) as port:
        yield port


@pytest.fixture
def imap(imap_port: int) -> Iterator[IMAPClient]:
    """A client on the test mailbox, emptied before each test."""
    client = IMAPClient("127.0.0.1", port=imap_port, ssl=False)
    client.login(LOGIN, PASSWORD)
    for folder in ("INBOX", "Drafts"):
        client.select_folder(folder)
        found = client.search("ALL")
        if found:
            client.delete_messages(found)
            client.expunge()
    yield client
    client.logout()


def declare(tmp_path: Path, port: int, password: str = PASSWORD, **extra: str) -> Path:
    secret = tmp_path / "imap-password"
    secret.write_text(password + "\n")
    lines = [
        "[accueil]",
        'tenant = "demoville"',
        'label = "Accueil de la mairie"',
        'host = "127.0.0.1"',
        f"port = {port}",
        'security = "none"',
        f'login = "{LOGIN}"',
        f'password_file = "{secret}"',
        *(f'{k} = "{v}"' for k, v in extra.items()),
        "",
        "[autreville]",
        'tenant = "autreville"',
        'host = "127.0.0.1"',
        f"port = {port}",
        'security = "none"',
        f'login = "{OTHER_LOGIN}"',
        f'password_file = "{secret}"',
    ]
    path = tmp_path / "boites.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def mail_settings(settings: Settings, tmp_path: Path, imap_port: int) -> Settings:
    return settings.model_copy(update={"mailboxes_file": declare(tmp_path, imap_port)})


def citizen_mail(
    subject: str = "Demande d'acte de naissance",
    body: str = "Bonjour,\nje souhaite obtenir une copie intégrale de mon acte de naissance.\n"
    "Merci d'avance,\nJeanne Martin",
    sender: str = "jeanne.martin@exemple.fr",
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Jeanne Martin <{sender}>"
    msg["To"] = LOGIN
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2026, 12, 4, 9, 12, tzinfo=UTC))
    msg["Message-ID"] = make_msgid(domain="exemple.fr")
    msg.set_content(body)
    return msg


def deliver(client: IMAPClient, message: EmailMessage | bytes, folder: str = "INBOX") -> None:
    raw = message if isinstance(message, bytes) else message.as_bytes()
    client.append(folder, raw)
