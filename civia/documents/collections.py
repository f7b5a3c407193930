"""Collections and documents as users manage them: who may create, rename, delete, upload.

Rules (on top of `permissions.readable_collection_ids` / `can_write`):
- anyone creates personal collections; référents and admins create their service's and the
  collectivité's collections (an admin with no service creates only the collectivité's);
- a personal collection is managed (renamed, deleted) by its owner only; a service collection
  by the référents of that service and the admins; a collectivité collection by référents and
  admins;
- uploading follows `can_write` (service members add to their service's collections);
- a document is deleted by whoever uploaded it (while they may still write there) or by the
  collection's managers.
Everything another user may not read is reported as missing (a 404), never as forbidden.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from civia.accounts import roles
from civia.accounts.models import Role, User
from civia.documents import storage
from civia.documents.dense import bump_version
from civia.documents.models import SCOPE_LABELS, Chunk, Collection, Document, Scope
from civia.documents.permissions import can_write, readable_collection_ids
from civia.documents.pipeline import CANCELLED_FR  # late: pipeline imports the extractors
from civia.jobs import queue
from civia.jobs.models import Job


class CollectionError(Exception):
    """`status` and a French `message` for the user."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def visible(db: Session, user: User) -> list[Collection]:
    ids = readable_collection_ids(db, user)
    if not ids:
        return []
    order = {Scope.PERSONAL.value: 0, Scope.SERVICE.value: 1, Scope.TENANT.value: 2}
    rows = db.scalars(select(Collection).where(Collection.id.in_(ids))).all()
    return sorted(rows, key=lambda c: (order.get(c.scope, 3), c.name.lower()))


def readable(db: Session, user: User, collection_id: int) -> Collection:
    if collection_id not in readable_collection_ids(db, user):
        raise CollectionError(404, "Cette collection n'existe pas ou vous n'y avez pas accès.")
    collection = db.get(Collection, collection_id)
    assert collection is not None
    return collection


def readable_document(db: Session, user: User, document_id: int) -> Document:
    document = db.get(Document, document_id)
    if document is None or document.collection_id not in readable_collection_ids(db, user):
        raise CollectionError(404, "Ce document n'existe pas ou vous n'y avez pas accès.")
    return document


def creatable_scopes(user: User) -> list[Scope]:
    scopes = [Scope.PERSONAL]
    if user.role in roles.BUILDERS:
        if user.service_id is not None:
            scopes.append(Scope.SERVICE)
        scopes.append(Scope.TENANT)
    return scopes


def can_manage(user: User, collection: Collection) -> bool:
    if collection.tenant_id != user.tenant_id:
        return False
    if collection.scope == Scope.PERSONAL.value:
        return collection.owner_user_id == user.id
    if collection.scope == Scope.SERVICE.value:
        if user.role == Role.ADMIN.value:
            return True
        return user.role == Role.REFERENT.value and collection.service_id == user.service_id
    return user.role in roles.BUILDERS


def can_delete_document(user: User, document: Document) -> bool:
    collection = document.collection
    if can_manage(user, collection):
        return True
    return document.uploaded_by_id == user.id and can_write(user, collection)


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise CollectionError(422, "Donnez un nom à la collection.")
    if len(name) > 200:
        raise CollectionError(422, "Le nom de la collection dépasse 200 caractères.")
    return name


def _taken(db: Session, user: User, scope: str, name: str, exclude: int | None = None) -> bool:
    query = select(func.count(Collection.id)).where(
        Collection.tenant_id == user.tenant_id,
        Collection.scope == scope,
        func.lower(Collection.name) == name.lower(),
    )
    if scope == Scope.PERSONAL.value:
        query = query.where(Collection.owner_user_id == user.id)
    elif scope == Scope.SERVICE.value:
        query = query.where(Collection.service_id == user.service_id)
    if exclude is not None:
        query = query.where(Collection.id != exclude)
    return bool(db.scalar(query))


def create(db: Session, *, user: User, name: str, scope: str, description: str = "") -> Collection:
    name = _clean_name(name)
    try:
        wanted = Scope(scope)
    except ValueError:
        raise CollectionError(422, "Choisissez à qui la collection est destinée.") from None
    if wanted not in creatable_scopes(user):
        raise CollectionError(
            403,
            f"Vous ne pouvez pas créer de collection « {SCOPE_LABELS[wanted]} » : "
            "demandez-le à votre référent IA ou à un administrateur.",
        )
    if _taken(db, user, wanted.value, name):
        raise CollectionError(409, f"Une collection « {name} » existe déjà à ce niveau.")
    collection = Collection(
        tenant_id=user.tenant_id,
        scope=wanted.value,
        owner_user_id=user.id if wanted is Scope.PERSONAL else None,
        service_id=user.service_id if wanted is Scope.SERVICE else None,
        name=name,
        description=description.strip()[:2000],
    )
    db.add(collection)
    db.flush()
    return collection


def _managed(user: User, collection: Collection) -> None:
    if not can_manage(user, collection):
        raise CollectionError(
            403, "Seuls les responsables de cette collection peuvent la modifier."
        )


def rename(db: Session, *, user: User, collection: Collection, name: str) -> None:
    _managed(user, collection)
    name = _clean_name(name)
    if _taken(db, user, collection.scope, name, exclude=collection.id):
        raise CollectionError(409, f"Une collection « {name} » existe déjà à ce niveau.")
    collection.name = name


def remove(db: Session, *, user: User, collection: Collection, data_dir: Path) -> int:
    """Delete a collection, its documents, their chunks and files. Returns the documents."""
    _managed(user, collection)
    documents = list(db.scalars(select(Document).where(Document.collection_id == collection.id)))
    for document in documents:
        _cancel_job(db, document)
    _remove_files_after_commit(db, data_dir, [(d.tenant_id, d.id) for d in documents])
    db.execute(delete(Chunk).where(Chunk.collection_id == collection.id))
    db.execute(delete(Document).where(Document.collection_id == collection.id))
    db.delete(collection)
    db.flush()
    bump_version(db, collection.tenant_id, purge=True)
    return len(documents)


def delete_document(db: Session, *, document: Document, data_dir: Path) -> None:
    """Remove a document, its chunks and (once the transaction commits) its file."""
    _cancel_job(db, document)
    _remove_files_after_commit(db, data_dir, [(document.tenant_id, document.id)])
    db.execute(delete(Chunk).where(Chunk.document_id == document.id))
    db.delete(document)
    db.flush()
    bump_version(db, document.tenant_id, purge=True)


def reconcile(db: Session, documents: list[Document]) -> dict[int, Job]:
    """The analysis job of each document still waiting; a document whose job ended without
    indexing it (cancelled while queued, failed for good) is marked in error, so it never
    shows « en attente » forever. Returns {document id: job} for those still running."""

    waiting = {
        int(d.meta["job_id"]): d
        for d in documents
        if d.status in ("pending", "processing") and (d.meta or {}).get("job_id")
    }
    if not waiting:
        return {}
    running = {}
    for job in db.scalars(select(Job).where(Job.id.in_(list(waiting)))):
        document = waiting.pop(job.id)
        if job.status == "cancelled" or (job.status == "failed"):
            document.status = "error"
            document.error = CANCELLED_FR if job.status == "cancelled" else job.error
        elif job.status != "done":
            running[document.id] = job
    for document in waiting.values():  # its job ended long ago and was purged (retention)
        document.status, document.error = "error", queue.INTERRUPTED_FR
    db.flush()
    return running


def _cancel_job(db: Session, document: Document) -> None:
    job_id = (document.meta or {}).get("job_id")
    job = db.get(Job, int(job_id)) if job_id else None
    if job is not None:
        queue.cancel(db, job)


def _remove_files_after_commit(db: Session, data_dir: Path, files: list[tuple[int, int]]) -> None:
    """Files go once the deletion is committed: a rolled-back request keeps them."""

    def remove_files(_session: Session) -> None:
        for tenant_id, document_id in files:
            storage.remove(data_dir, tenant_id, document_id)

    event.listen(db, "after_commit", remove_files, once=True)
