"""Talking to the IMAP server: connect, read new messages without marking them read, and
append a draft. Every failure becomes `MailboxUnavailable` with a French message."""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import imapclient
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from civia.mailbox.declared import DeclaredMailbox

TIMEOUT_S = 30.0
BATCH = 20


class MailboxUnavailable(Exception):
    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


@dataclass
class Fetched:
    uid: int
    size: int
    raw: bytes  # the whole message, or only its header when it is larger than allowed
    complete: bool = True


@contextmanager
def connect(box: DeclaredMailbox, timeout: float = TIMEOUT_S) -> Iterator[IMAPClient]:
    where = f"« {box.label} » ({box.host}:{box.port})"
    try:
        password = box.password()
    except OSError:
        raise MailboxUnavailable(
            f"Le mot de passe déclaré pour la boîte {where} est illisible sur le serveur Civia : "
            "demandez à l'exploitant de vérifier la déclaration."
        ) from None
    try:
        client = IMAPClient(
            box.host, port=box.port, ssl=box.security == "ssl", timeout=timeout,
            ssl_context=ssl.create_default_context() if box.security == "ssl" else None,
        )  # fmt: skip
    except (OSError, IMAPClientError) as exc:
        raise MailboxUnavailable(
            f"La boîte {where} est injoignable ({_reason(exc)}). Rien n'est perdu : "
            "les messages seront relevés au prochain essai."
        ) from None
    try:
        try:
            if box.security == "starttls":
                client.starttls(ssl.create_default_context())
            client.login(box.login, password)
        except LoginError:
            raise MailboxUnavailable(
                f"Le serveur de la boîte {where} refuse l'identifiant ou le mot de passe "
                "déclarés : demandez à l'exploitant de les vérifier."
            ) from None
        except (OSError, IMAPClientError) as exc:
            raise MailboxUnavailable(
                f"La connexion à la boîte {where} a échoué ({_reason(exc)})."
            ) from None
        yield client
    except (OSError, IMAPClientError) as exc:
        raise MailboxUnavailable(
            f"La boîte {where} a coupé la connexion ({_reason(exc)}). Rien n'est perdu : "
            "les messages non relevés le seront au prochain essai."
        ) from None
    finally:
        with contextlib.suppress(OSError, IMAPClientError):
            client.logout()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "délai dépassé"
    if isinstance(exc, ConnectionRefusedError):
        return "connexion refusée"
    if isinstance(exc, ssl.SSLError):
        return "échec du chiffrement TLS"
    if isinstance(exc, socket.gaierror):
        return "nom de serveur inconnu"
    return "erreur réseau"


def select(client: IMAPClient, folder: str) -> int:
    """Open `folder` read-only (nothing gets marked read); its UIDVALIDITY."""
    try:
        info = client.select_folder(folder, readonly=True)
    except IMAPClientError:
        raise MailboxUnavailable(f"Le dossier « {folder} » n'existe pas dans la boîte.") from None
    return int(info[b"UIDVALIDITY"])


def new_messages(
    client: IMAPClient, *, after_uid: int, max_bytes: int, limit: int
) -> Iterator[Fetched]:
    """Messages with a UID above `after_uid`, oldest first, at most `limit`, in small batches.
    A message above `max_bytes` comes with its header only."""
    uids = sorted(int(u) for u in client.search(["UID", f"{after_uid + 1}:*"]))
    uids = [u for u in uids if u > after_uid][:limit]  # "n:*" always matches the last UID
    for start in range(0, len(uids), BATCH):
        batch = uids[start : start + BATCH]
        sizes = {u: int(d[b"RFC822.SIZE"]) for u, d in client.fetch(batch, ["RFC822.SIZE"]).items()}
        small = [u for u in batch if sizes.get(u, 0) <= max_bytes]
        large = [u for u in batch if u not in small]
        bodies = client.fetch(small, ["BODY.PEEK[]"]) if small else {}
        heads = client.fetch(large, ["BODY.PEEK[HEADER]"]) if large else {}
        for uid in batch:
            if uid in bodies:
                yield Fetched(uid, sizes[uid], bytes(bodies[uid].get(b"BODY[]", b"")))
            elif uid in heads:
                head = bytes(heads[uid].get(b"BODY[HEADER]", b""))
                yield Fetched(uid, sizes[uid], head, complete=False)


def append_draft(client: IMAPClient, folder: str, message: bytes) -> None:
    """Place `message` in the Drafts folder, flagged as a draft (never sent by Civia)."""
    target = folder
    if not client.folder_exists(folder):
        special = client.find_special_folder(imapclient.DRAFTS)
        if special is None:
            raise MailboxUnavailable(
                f"Le dossier des brouillons « {folder} » n'existe pas dans la boîte : "
                "demandez à l'exploitant de corriger la déclaration."
            )
        target = special
    try:
        client.append(target, message, flags=[imapclient.DRAFT], msg_time=datetime.now(UTC))
    except IMAPClientError:
        raise MailboxUnavailable(
            f"Le serveur a refusé le brouillon dans le dossier « {target} »."
        ) from None
