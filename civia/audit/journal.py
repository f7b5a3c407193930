"""The audit log: append-only and hash-chained, one chain per collectivité (0 = deployment-wide).

Each entry's `hash` is an HMAC-SHA256 (key outside the database, `audit_keys`) over the
canonical JSON of its fields, `prev_hash` included, so an edited, deleted or inserted entry
breaks the chain from there on; `verify` finds it, and without the key nobody can recompute the
chain after editing it. Each chain's head row is signed too (a base moved by anything but the
retention purge is detected), and the operator keeps signed checkpoints (`checkpoint`, `civia
audit checkpoint`) against which `verify_checkpoints` detects a chain cut back to an older head.

Entries are pseudonymous: they hold the actor's id, never the login, which is looked up when
the journal is shown (`logins`); an erased account is renamed, so nothing of its login stays in
the chain. Entries written before the key (version 1, plain SHA-256 with the login) keep
verifying; an erasure removes the login from them with a keyed attestation (`redact_actor`).

Concurrency: `record` first bumps the chain's row in `audit_heads` with an UPDATE, then reads
the previous hash and appends. The UPDATE takes the row lock on PostgreSQL (a concurrent
appender waits until we commit, then sees our link) and the database write lock on SQLite, so
the same code serialises appends on both without `SELECT … FOR UPDATE` (which SQLite lacks);
`UNIQUE(chain, seq)` is a second guard against a fork. The lock is held until the caller's
transaction ends: an entry commits or rolls back with the change it describes.

Details are facts, never personal data values: scalars and short strings (e.g. counts per
entity type for `pii.masked`), sanitised by `_clean`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Select, column, delete, func, or_, select, table, update
from sqlalchemy.orm import Session, sessionmaker

from civia.audit.keys import sign, valid
from civia.audit.models import GENESIS, AuditEntry, AuditHead
from civia.db.base import utcnow
from civia.db.engine import affected, session_scope
from civia.db.sql import insert_or_ignore
from civia.spreadsheet import BOM, FRENCH, safe_cell

AUDIT_MIN_DAYS = 183  # AI Act Art. 26(6): logs kept at least six months; no setting goes below
AUDIT_DEFAULT_DAYS = 365
ACTION_RE = re.compile(r"^[a-z][a-z_]{1,28}\.[a-z][a-z_]{1,28}$")
MAX_STRING = 300

# The actions Civia records, with their French label for the journal; every `audit.record`
# call names a literal action (tests/governance/test_audit_labels.py checks it has a label).
ACTIONS = {
    "login.success": "Connexion réussie",
    "login.failure": "Échec de connexion",
    "login.throttled": "Connexion bloquée (trop de tentatives)",
    "user.created": "Compte créé",
    "user.role_changed": "Rôle modifié",
    "user.disabled": "Compte désactivé",
    "user.password_reset": "Mot de passe réinitialisé",
    "user.password_changed": "Mot de passe changé par son titulaire",
    "provider.saved": "Fournisseur de modèles enregistré",
    "policy.changed": "Règle modifiée",
    "assistant.published": "Assistant publié",
    "assistant.suspended": "Assistant suspendu",
    "assistant.refused": "Utilisation refusée",
    "export.downloaded": "Export téléchargé",
    "pii.masked": "Données personnelles masquées",
    "pii.refused": "Envoi refusé (données personnelles)",
    "dsr.export": "Export de ses données (RGPD)",
    "dsr.erase": "Effacement des données d'une personne",
    "dsr.search": "Recherche d'une personne citée dans les textes",
    "dsr.redact": "Effacement d'une personne citée dans les textes",
    "mailbox.connected": "Boîte partagée connectée",
    "mailbox.toggled": "Boîte partagée mise en pause ou reprise",
    "mailbox.reply_filed": "Réponse déposée dans les brouillons de la boîte partagée",
    "mailbox.set_aside": "Courriel mis de côté",
    "tenant.created": "Collectivité créée (plateforme)",
    "tenant.active": "Collectivité réactivée (plateforme)",
    "tenant.suspended": "Collectivité suspendue (plateforme)",
    "tenant.archived": "Collectivité archivée (plateforme)",
    "tenant.sirets": "SIRET d'une collectivité modifiés (plateforme)",
    "tenant.passwords_on": "Mots de passe locaux réactivés (plateforme)",
    "tenant.passwords_off": "Mots de passe locaux désactivés (plateforme)",
    "tenant.admin_appointed": "Administrateur d'une collectivité nommé (plateforme)",
    "credential.declared": "Clé d'accès à un fournisseur déclarée (plateforme)",
    "credential.removed": "Clé d'accès à un fournisseur retirée (plateforme)",
    "branding.changed": "Identité de la collectivité modifiée (nom, logo, couleurs, en-tête)",
    "pooling.on": "Participation à la mutualisation activée",
    "pooling.off": "Participation à la mutualisation arrêtée",
    "catalogue.published": "Élément publié dans le catalogue partagé",
    "catalogue.withdrawn": "Élément retiré du catalogue partagé",
    "catalogue.adopted": "Élément adopté du catalogue partagé (copie en brouillon)",
    "dsr.access": "Réponse à une demande d'accès d'une personne citée (art. 15)",
    "charter.published": "Nouvelle version de la charte",
    "charter.accepted": "Charte acceptée",
    "training.completed": "Module d'acculturation terminé",
    "incident.reported": "Incident signalé",
    "incident.updated": "Incident mis à jour",
    "usecase.created": "Cas d'usage créé",
    "usecase.proposed": "Fiche de cas d'usage proposée en brouillon par le pilotage",
    "usecase.updated": "Fiche de cas d'usage modifiée",
    "usecase.transition": "Cas d'usage : changement d'état",
    "usecase.voted": "Vote du comité",
    "usecase.commented": "Commentaire sur un cas d'usage",
    "usecase.refused": "Action refusée sur un cas d'usage",
    "usecase.fria_attached": "Analyse d'impact (art. 27) jointe",
    "retention.settings": "Durées de conservation modifiées",
    "retention.swept": "Purge de conservation",
    "audit.exported": "Journal exporté",
    "audit.purged": "Entrées anciennes du journal purgées",
    "acts.imported": "Actes importés",
    "acts.deleted": "Acte supprimé",
    "acts.shared": "Partage des actes modifié",
    "planning.grid_imported": "Grille de diagnostic importée",
    "planning.diagnostic_created": "Diagnostic de maturité enregistré",
    "planning.survey_opened": "Enquête auprès des agents ouverte",
    "planning.survey_closed": "Enquête auprès des agents close",
    "planning.candidate_saved": "Cas d'usage candidat enregistré",
    "planning.candidate_drafted": "Brouillon d'assistant créé depuis le portefeuille",
    "planning.candidate_removed": "Cas candidat retiré du portefeuille",
    "planning.themes_proposed": "Regroupements des réponses libres proposés",
    "planning.theme_decided": "Regroupement de réponses libres retenu ou écarté",
    "steering.rates": "Prix et empreinte d'un fournisseur modifiés",
    "steering.settings": "Réglages de coût et d'empreinte modifiés",
    "citizens.settings": "Réglages de l'assistant public modifiés",
    "citizens.to_agent": "Message d'un habitant transmis à un service (assistant public)",
    "citizens.purged": "Échanges de l'assistant public purgés",
}


class Identity(Protocol):
    """A `User` or a `Viewer`: who did it."""

    @property
    def id(self) -> int: ...

    @property
    def login(self) -> str: ...


@dataclass(frozen=True)
class Actor:
    """For code that holds ids, not a `User` (the model gateway's call context)."""

    id: int
    login: str = ""


class AuditError(ValueError):
    pass


@dataclass(frozen=True)
class Problem:
    chain: int
    seq: int
    entry_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"entrée n° {self.seq}" + (f" (id {self.entry_id})" if self.entry_id else "")
        return f"chaîne {self.chain}, {where} : {self.message}"


def record(
    db: Session,
    *,
    tenant_id: int | None,
    actor: Identity | None,
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry to the tenant's chain, in the caller's transaction."""
    if not ACTION_RE.match(action):
        raise AuditError(f"invalid audit action: {action!r}")
    chain = tenant_id or 0
    head = _lock_head(db, chain)
    entry = AuditEntry(
        chain=chain,
        seq=head.seq,
        tenant_id=tenant_id,
        actor_id=actor.id if actor else None,
        actor_login="",
        action=action,
        target=str(target)[:200],
        details=_clean(details or {}),
        created_at=utcnow(),
        prev_hash=head.last_hash,
        hash_version=2,
    )
    entry.hash = entry_hash(entry)
    db.add(entry)
    head.last_hash = entry.hash
    _write_head(db, head)
    db.flush()
    return entry


def record_separately(factory: sessionmaker[Session], **kwargs: Any) -> None:
    """Record in a transaction of its own: for refusals whose request is rolled back, and for
    code that holds no session (the model gateway)."""
    with session_scope(factory) as db:
        record(db, **kwargs)


@dataclass
class HeadState:
    chain: int
    seq: int
    last_hash: str
    base_seq: int
    base_hash: str
    keyed_from: int

    def fields(self) -> dict[str, Any]:
        return dict(self.__dict__)


def head_signature(head: HeadState | AuditHead) -> str:
    return sign("head", _head_fields(head))


def _head_fields(head: HeadState | AuditHead) -> dict[str, Any]:
    return {
        name: getattr(head, name)
        for name in ("chain", "seq", "last_hash", "base_seq", "base_hash", "keyed_from")
    }


def _read_head(db: Session, chain: int) -> HeadState:
    cols = (AuditHead.seq, AuditHead.last_hash, AuditHead.base_seq, AuditHead.base_hash)
    row = db.execute(select(*cols, AuditHead.keyed_from).where(AuditHead.chain == chain)).one()
    return HeadState(chain, *row)


def _write_head(db: Session, head: HeadState) -> None:
    values = head.fields()
    del values["chain"]
    db.execute(
        update(AuditHead)
        .where(AuditHead.chain == head.chain)
        .values(**values, signature=head_signature(head))
    )


def _lock_head(db: Session, chain: int) -> HeadState:
    bump = update(AuditHead).where(AuditHead.chain == chain).values(seq=AuditHead.seq + 1)
    if not affected(db.execute(bump)):
        # First entry of this chain; a concurrent creator makes this a no-op, and the UPDATE
        # below then waits for its lock.
        insert_or_ignore(
            db,
            AuditHead,
            chain=chain,
            seq=0,
            last_hash=GENESIS,
            base_seq=0,
            base_hash=GENESIS,
            keyed_from=1,
            signature="",
        )
        if not affected(db.execute(bump)):
            raise AuditError(f"audit chain {chain} cannot be locked")
    return _read_head(db, chain)


def _clean(value: Any, depth: int = 0) -> Any:
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, str):
        return value[:MAX_STRING]
    if depth < 3 and isinstance(value, dict):
        return {str(k)[:64]: _clean(v, depth + 1) for k, v in list(value.items())[:50]}
    if depth < 3 and isinstance(value, list | tuple):
        return [_clean(v, depth + 1) for v in list(value)[:50]]
    return str(value)[:MAX_STRING]


def _utc(value: datetime) -> datetime:
    # SQLite gives naive datetimes back; we always store UTC.
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _fields(entry: AuditEntry) -> dict[str, Any]:
    fields = {
        "chain": entry.chain,
        "seq": entry.seq,
        "tenant_id": entry.tenant_id,
        "actor_id": entry.actor_id,
        "action": entry.action,
        "target": entry.target,
        "details": entry.details,
        "created_at": _utc(entry.created_at).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "prev_hash": entry.prev_hash,
    }
    if entry.hash_version == 1:
        fields["actor_login"] = entry.actor_login
    else:
        fields["hash_version"] = entry.hash_version or 2  # the column default, before INSERT
    return fields


def canonical(entry: AuditEntry) -> str:
    return json.dumps(_fields(entry), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: AuditEntry) -> str:
    if entry.hash_version == 1:
        return hashlib.sha256(canonical(entry).encode()).hexdigest()
    return sign("entry", _fields(entry))


def _intact(entry: AuditEntry) -> bool:
    if entry.hash_version == 1 and entry.redaction_mac:
        return valid(entry.redaction_mac, "redaction", {**_fields(entry), "hash": entry.hash})
    return entry_hash(entry) == entry.hash


def verify(db: Session, chain: int | None = None) -> list[Problem]:
    """Every break in the chains (or one chain): edited, deleted, inserted or reordered entries,
    entries missing at the end, a head or base changed without the key. An empty list means the
    log is intact."""
    heads = db.scalars(select(AuditHead).order_by(AuditHead.chain))
    problems: list[Problem] = []
    for head in heads:
        if chain is None or head.chain == chain:
            problems += _verify_chain(db, head)
    return problems


def _verify_chain(db: Session, head: AuditHead) -> list[Problem]:
    problems = []
    if not valid(head.signature, "head", _head_fields(head)):
        problems.append(
            Problem(
                head.chain,
                head.seq,
                None,
                "la tête de la chaîne n'est pas signée par la clé du journal (base déplacée, "
                "fin de chaîne réécrite ou clé changée)",
            )
        )
    expected_seq, prev = head.base_seq + 1, head.base_hash
    rows = db.execute(
        select(AuditEntry).where(AuditEntry.chain == head.chain).order_by(AuditEntry.seq)
    ).scalars()
    for entry in rows:
        where = (head.chain, entry.seq, entry.id)
        if entry.seq != expected_seq:
            problems.append(
                Problem(*where, f"numéro attendu {expected_seq} : entrée supprimée ou insérée")
            )
        if entry.prev_hash != prev:
            problems.append(Problem(*where, "le lien vers l'entrée précédente est rompu"))
        if entry.seq >= head.keyed_from and entry.hash_version != 2:
            problems.append(Problem(*where, "entrée sans clé après le passage au chaînage à clé"))
        elif not _intact(entry):
            problems.append(Problem(*where, "contenu modifié (l'empreinte ne correspond plus)"))
        expected_seq, prev = entry.seq + 1, entry.hash
    if expected_seq - 1 != head.seq or prev != head.last_hash:
        problems.append(
            Problem(
                head.chain, head.seq, None, f"la chaîne devrait finir au n° {head.seq} (tronquée)"
            )
        )
    return problems


def redact_actor(db: Session, *, user_id: int, login: str) -> int:
    """Remove an erased person's login from legacy (version 1) entries: their hash stays, and a
    keyed attestation vouches for the remaining fields. Keyed entries never held the login."""
    count = 0
    legacy = select(AuditEntry).where(
        AuditEntry.hash_version == 1,
        or_(AuditEntry.actor_id == user_id, AuditEntry.target == login),
    )
    for entry in db.scalars(legacy):
        if not _intact(entry):
            continue  # already broken: leave the evidence as it is for `verify`
        if entry.actor_id == user_id:
            entry.actor_login = ""
        if entry.target == login:
            entry.target = f"user:{user_id}"
        entry.redaction_mac = sign("redaction", {**_fields(entry), "hash": entry.hash})
        count += 1
    db.flush()
    return count


def logins(db: Session, entries: Iterable[AuditEntry]) -> dict[int, str]:
    """actor_id → the account's login now (an erased account shows its pseudonym)."""
    ids = {e.actor_id for e in entries if e.actor_id}
    if not ids:
        return {}
    rows = db.execute(select(_USERS.c.id, _USERS.c.login).where(_USERS.c.id.in_(ids)))
    return {user_id: login for user_id, login in rows}


def shown_login(entry: AuditEntry, names: dict[int, str]) -> str:
    """The login to show: looked up by id; only legacy entries hashed a stored login."""
    legacy = entry.actor_login if entry.hash_version == 1 else ""
    return names.get(entry.actor_id or 0) or legacy


def who(db: Session, entries: list[AuditEntry]) -> Callable[[AuditEntry], str]:
    """For templates: entry → the login to show ("" for the system)."""
    names = logins(db, entries)
    return lambda entry: shown_login(entry, names)


def heads(db: Session) -> list[AuditHead]:
    """The last link of each chain: print and keep it elsewhere to anchor the log."""
    return list(db.scalars(select(AuditHead).order_by(AuditHead.chain)))


@dataclass(frozen=True)
class Filters:
    action: str = ""  # exact action, or a prefix ending with "." ("usecase.")
    login: str = ""
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    target: str = ""


def query(db: Session, *, tenant_id: int, filters: Filters) -> Select[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.tenant_id == tenant_id)
    if filters.action.endswith("."):
        stmt = stmt.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    elif filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.login:
        login = filters.login.strip().lower()
        ids = select(_USERS.c.id).where(_USERS.c.login == login, _USERS.c.tenant_id == tenant_id)
        stmt = stmt.where(or_(AuditEntry.actor_id.in_(ids), AuditEntry.actor_login == login))
    if filters.since:
        stmt = stmt.where(AuditEntry.created_at >= filters.since)
    if filters.until:
        stmt = stmt.where(AuditEntry.created_at < filters.until)
    if filters.target:
        stmt = stmt.where(AuditEntry.target == filters.target)
    return stmt.order_by(AuditEntry.seq.desc())


def search(
    db: Session, *, tenant_id: int, filters: Filters, limit: int = 200
) -> tuple[list[AuditEntry], int]:
    stmt = query(db, tenant_id=tenant_id, filters=filters)
    total = db.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return list(db.scalars(stmt.limit(limit))), total


CSV_HEADER = (
    "seq",
    "horodatage_utc",
    "utilisateur",
    "action",
    "libelle",
    "cible",
    "details",
    "empreinte",
    "empreinte_precedente",
)


def csv_rows(db: Session, entries: Iterable[AuditEntry]) -> Iterator[str]:
    """The CSV text: the header, then a chunk per entry (with the hashes)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect=FRENCH)
    writer.writerow(CSV_HEADER)
    yield BOM + _drain(buffer)
    names: dict[int, str] = {}
    for e in entries:
        if e.actor_id and e.actor_id not in names:
            names.update(logins(db, [e]))
        writer.writerow(
            safe_cell(cell)
            for cell in (
                e.seq,
                _utc(e.created_at).isoformat(timespec="seconds"),
                shown_login(e, names),
                e.action,
                ACTIONS.get(e.action, ""),
                e.target,
                json.dumps(e.details, ensure_ascii=False, sort_keys=True),
                e.hash,
                e.prev_hash,
            )
        )
        yield _drain(buffer)


# The accounts table, as the journal reads it (logins are shown, never chained): a lightweight
# table construct, so the journal stays below the accounts area that writes to it.
_USERS = table("users", column("id"), column("login"), column("tenant_id"))


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def purge(db: Session, *, chain: int, keep_days: int, now: datetime) -> int:
    """Remove the oldest entries of a chain beyond `keep_days` (never under `AUDIT_MIN_DAYS`),
    moving the chain's base so what remains still verifies. Returns how many were removed."""
    cutoff = now - timedelta(days=max(keep_days, AUDIT_MIN_DAYS))
    first_kept = db.scalar(
        select(func.min(AuditEntry.seq)).where(
            AuditEntry.chain == chain, AuditEntry.created_at >= cutoff
        )
    )
    # Only a prefix of the chain goes, so a clock step back never removes a younger entry.
    old = select(AuditEntry).where(AuditEntry.chain == chain, AuditEntry.created_at < cutoff)
    if first_kept is not None:
        old = old.where(AuditEntry.seq < first_kept)
    last = db.scalar(old.order_by(AuditEntry.seq.desc()).limit(1))
    if last is None:
        return 0
    removed = affected(
        db.execute(delete(AuditEntry).where(AuditEntry.chain == chain, AuditEntry.seq <= last.seq))
    )
    # Moving the base needs the key: the head is signed again with the new base (under its
    # row lock, taken by the no-op UPDATE, so a concurrent append cannot interleave).
    db.execute(update(AuditHead).where(AuditHead.chain == chain).values(seq=AuditHead.seq))
    head = _read_head(db, chain)
    head.base_seq, head.base_hash = last.seq, last.hash
    _write_head(db, head)
    return removed
