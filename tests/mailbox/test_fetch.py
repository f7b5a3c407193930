"""Fetching a real Dovecot mailbox: new UIDs only, nothing marked read, nothing lost when the
server is down, refuses the password or renumbers its messages."""

from __future__ import annotations

from pathlib import Path

from imapclient import IMAPClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import User
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.jobs.models import Job
from civia.mailbox import fetch, jobs
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus
from civia.settings import Settings, parse_queues
from tests.conftest import make_personas
from tests.mailbox.conftest import citizen_mail, declare, deliver
from tests.servers import free_port


def _setup(settings: Settings, password_hash: str) -> tuple[sessionmaker[Session], int]:
    engine = make_engine(settings.db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        personas = make_personas(db, password_hash)
        box = Mailbox(tenant_id=personas.tenant.id, key="accueil", service_id=personas.service_a.id)
        db.add(box)
        db.flush()
        return sessions, box.id


def _messages(sessions: sessionmaker[Session]) -> list[MailMessage]:
    with session_scope(sessions) as db:
        found = list(db.scalars(select(MailMessage).order_by(MailMessage.uid)))
        db.expunge_all()
        return found


def test_new_messages_are_fetched_once_and_left_unread(
    mail_settings: Settings, password_hash: str, imap: IMAPClient, db_url: str
) -> None:
    mail_settings = mail_settings.model_copy(update={"database_url": db_url})  # and PostgreSQL
    sessions, box_id = _setup(mail_settings, password_hash)
    deliver(imap, citizen_mail())
    deliver(imap, citizen_mail("Trottoir abîmé", "Le trottoir du 3 rue Haute est cassé."))
    first = fetch.fetch(sessions, box_id, mail_settings)
    assert (first.new, first.error) == (2, "")
    deliver(imap, citizen_mail("Inscription cantine", "Comment inscrire ma fille ?"))
    second = fetch.fetch(sessions, box_id, mail_settings)
    again = fetch.fetch(sessions, box_id, mail_settings)
    assert (second.new, again.new) == (1, 0)
    stored = _messages(sessions)
    assert [m.subject for m in stored] == [
        "Demande d'acte de naissance", "Trottoir abîmé", "Inscription cantine"
    ]  # fmt: skip
    assert all(m.status == MessageStatus.RECEIVED and m.service_id for m in stored)
    # A fetch nobody asked for (scheduled, CLI) queues no job: the periodic analysis takes them.
    with session_scope(sessions) as db:
        assert db.scalars(select(Job)).all() == []
    assert (first.job_id, second.job_id, again.job_id) == (None, None, None)
    assert stored[0].sender == "jeanne.martin@exemple.fr" and "acte de naissance" in stored[0].body
    imap.select_folder("INBOX")
    flags = imap.get_flags(imap.search("ALL"))
    assert all(b"\\Seen" not in f for f in flags.values())  # citizens' mail stays unread
    with session_scope(sessions) as db:
        box = db.get(Mailbox, box_id)
        assert box is not None and box.last_uid == max(m.uid for m in stored)
        assert box.last_fetch_at is not None and box.last_error == ""


def test_only_an_agents_fetch_queues_the_analysis_on_its_own_queue(
    mail_settings: Settings, password_hash: str, imap: IMAPClient
) -> None:
    """« Relever maintenant » hands the analysis over at once, on the `courriels` queue (never
    `redaction`, which an agent's single letter waits for); `fetch_all` (the scheduled fetch and
    `civia mailbox fetch`) leaves it to the periodic analysis."""
    sessions, box_id = _setup(mail_settings, password_hash)
    deliver(imap, citizen_mail())
    assert fetch.fetch_all(sessions, mail_settings)[box_id].job_id is None
    with session_scope(sessions) as db:
        agent = db.scalar(select(User.id).where(User.login == "agent"))
    deliver(imap, citizen_mail("Trottoir abîmé", "Le trottoir du 3 rue Haute est cassé."))
    report = fetch.fetch(sessions, box_id, mail_settings, user_id=agent)
    stored = _messages(sessions)
    with session_scope(sessions) as db:
        queued = [(j.id, j.kind, j.queue, j.user_id, j.payload["message_ids"])
                  for j in db.scalars(select(Job))]  # fmt: skip
    assert queued == [(report.job_id, jobs.KIND, "courriels", agent, [stored[1].id])]
    default = Settings.model_fields["job_queues"].default
    assert parse_queues(default)[jobs.QUEUE] == 1  # served by default (in-process worker too)


def test_a_huge_message_is_listed_with_its_header_only(
    mail_settings: Settings, password_hash: str, imap: IMAPClient
) -> None:
    sessions, box_id = _setup(mail_settings, password_hash)
    small = mail_settings.model_copy(update={"mailbox_max_message_mb": 0.01})
    deliver(imap, citizen_mail("Plans du projet", "Voici les plans.\n" + "x" * 20_000))
    assert fetch.fetch(sessions, box_id, small).new == 1
    [message] = _messages(sessions)
    assert message.subject == "Plans du projet" and message.body == ""
    assert message.notes == [fetch.note_too_large(message.size_bytes)]
    assert "trop volumineux" in message.notes[0]


def test_wrong_password_then_fixed_loses_nothing(
    settings: Settings, password_hash: str, imap: IMAPClient, imap_port: int, tmp_path: Path
) -> None:
    wrong = settings.model_copy(
        update={"mailboxes_file": declare(tmp_path, imap_port, password="mauvais")}
    )
    sessions, box_id = _setup(wrong, password_hash)
    deliver(imap, citizen_mail())
    report = fetch.fetch(sessions, box_id, wrong)
    assert report.new == 0 and "refuse l'identifiant ou le mot de passe" in report.error
    with session_scope(sessions) as db:
        box = db.get(Mailbox, box_id)
        assert box is not None and box.last_error == report.error and box.last_uid == 0
    fixed = settings.model_copy(update={"mailboxes_file": declare(tmp_path, imap_port)})
    assert fetch.fetch(sessions, box_id, fixed).new == 1


def test_unreachable_server_gives_a_french_message(
    settings: Settings, password_hash: str, tmp_path: Path
) -> None:
    down = settings.model_copy(update={"mailboxes_file": declare(tmp_path, free_port())})
    sessions, box_id = _setup(down, password_hash)
    report = fetch.fetch(sessions, box_id, down)
    assert "injoignable (connexion refusée)" in report.error and "Rien n'est perdu" in report.error


def test_a_renumbered_folder_is_fetched_again_without_duplicates(
    settings: Settings, password_hash: str, imap: IMAPClient, imap_port: int, tmp_path: Path
) -> None:
    """A mailbox rebuilt by its server gets a new UIDVALIDITY: old UIDs mean nothing, the
    messages come back under new ones; those already fetched are recognised by Message-ID."""
    if imap.folder_exists("Citoyens"):
        imap.delete_folder("Citoyens")
    imap.create_folder("Citoyens")
    custom = settings.model_copy(
        update={"mailboxes_file": declare(tmp_path, imap_port, inbox="Citoyens")}
    )
    sessions, box_id = _setup(custom, password_hash)
    kept = citizen_mail()
    deliver(imap, kept, "Citoyens")
    assert fetch.fetch(sessions, box_id, custom).new == 1
    imap.delete_folder("Citoyens")
    imap.create_folder("Citoyens")
    deliver(imap, kept, "Citoyens")
    deliver(imap, citizen_mail("Nouvelle demande", "Horaires de la mairie ?"), "Citoyens")
    report = fetch.fetch(sessions, box_id, custom)
    assert (report.new, report.duplicates) == (1, 1)
    assert [m.subject for m in _messages(sessions)] == [kept["Subject"], "Nouvelle demande"]


def test_a_mailbox_no_longer_declared_is_reported(settings: Settings, password_hash: str) -> None:
    sessions, box_id = _setup(settings, password_hash)  # no declaration file at all
    assert "n'est plus déclarée" in fetch.fetch(sessions, box_id, settings).error


def test_a_broken_declaration_file_is_reported_in_french(
    settings: Settings, password_hash: str, tmp_path: Path
) -> None:
    broken = tmp_path / "boites.toml"
    broken.write_text('[accueil]\ntenant = "demoville"\nsecurity = "none"\n')  # no host
    sessions, box_id = _setup(settings.model_copy(update={"mailboxes_file": broken}), password_hash)
    report = fetch.fetch(sessions, box_id, settings.model_copy(update={"mailboxes_file": broken}))
    assert report.error.startswith("Le fichier des boîtes déclarées est illisible")
    assert "host is required" in report.error
