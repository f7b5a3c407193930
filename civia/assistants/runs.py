"""Assistant runs: create (inputs saved first), read (owner only), edit, validate, rate, export."""

from __future__ import annotations

import difflib
import html
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Tenant, User
from civia.assistants import batch, extraction
from civia.assistants.context import letterhead, primary_colour
from civia.assistants.document import Block, Heading, OfficialDocument, Provenance, Table
from civia.assistants.inputs import validate_inputs
from civia.assistants.markdown_blocks import to_blocks
from civia.assistants.models import AssistantRun
from civia.assistants.prepare import Prepared
from civia.assistants.spec import AssistantSpec
from civia.db.base import utcnow

MAX_DRAFT_CHARS = 200_000


class RunError(ValueError):
    """French message for the agent."""


def create(
    db: Session,
    *,
    user: User,
    spec: AssistantSpec,
    raw: dict[str, str],
    prepared: Prepared | None = None,
) -> AssistantRun:
    """A pending run. Without `prepared` (files and collections read by `prepare`), `raw` holds
    text values only."""
    values = prepared.inputs if prepared is not None else validate_inputs(spec, raw)
    run = AssistantRun(
        tenant_id=user.tenant_id,
        user_id=user.id,
        service_id=user.service_id,
        assistant_id=spec.id,
        assistant_version=spec.version,
        inputs=values,
        time_saved_minutes=spec.time_saved_minutes,
        attachments=prepared.attachments if prepared is not None else {},
        warning=prepared.warning if prepared is not None else "",
    )
    db.add(run)
    db.flush()
    return run


def get_owned(db: Session, *, user: User, run_id: int) -> AssistantRun | None:
    return db.scalar(
        select(AssistantRun).where(
            AssistantRun.id == run_id,
            AssistantRun.user_id == user.id,
            AssistantRun.tenant_id == user.tenant_id,
        )
    )


def list_for(db: Session, *, user: User, limit: int = 30) -> list[AssistantRun]:
    stmt = select(AssistantRun).where(AssistantRun.user_id == user.id)
    return list(db.scalars(stmt.order_by(AssistantRun.id.desc()).limit(limit)))


def save_draft(run: AssistantRun, text: str) -> None:
    if run.status == "validated":
        raise RunError("Ce résultat est déjà validé : il ne peut plus être modifié.")
    if run.status not in ("draft",):
        raise RunError("Le résultat n'est pas encore prêt.")
    if len(text) > MAX_DRAFT_CHARS:
        raise RunError(f"Le texte dépasse {MAX_DRAFT_CHARS} caractères.")
    run.draft = text
    run.updated_at = utcnow()


def validate(run: AssistantRun, *, user: User, text: str, minutes: int | None) -> None:
    """The human in the loop: who, when, and the final text are kept."""
    save_draft(run, text)
    if not text.strip():
        raise RunError("Le texte validé ne peut pas être vide.")
    run.final_text = text
    run.status = "validated"
    run.validated_by = user.id
    run.validated_at = utcnow()
    if minutes is not None:
        if not 0 <= minutes <= 480:
            raise RunError("Le temps gagné doit être compris entre 0 et 480 minutes.")
        run.time_saved_minutes = minutes


def rate(run: AssistantRun, *, rating: str, comment: str) -> None:
    if rating not in ("useful", "not_useful"):
        raise RunError("Avis inconnu.")
    run.rating = rating
    run.comment = comment.strip()[:2000]


def to_document(
    db: Session, run: AssistantRun, spec: AssistantSpec, *, author: User, validator: User | None
) -> OfficialDocument:
    text = run.final_text or run.draft
    blocks = _blocks(run, spec, text)
    title = next((b.text for b in blocks if b.kind == "heading"), "") or (
        f"{spec.name} – {run.inputs.get('objet') or run.inputs.get('sujet') or run.id}"
    )
    tenant = db.get(Tenant, run.tenant_id)
    assert tenant is not None
    service = author.service.name if author.service else ""
    return OfficialDocument(
        title=title[:200],
        blocks=blocks,
        provenance=Provenance(
            assistant_id=spec.id,
            assistant_name=spec.name,
            author=author.display_name,
            validated_by=validator.display_name if validator else "",
            validated_at=run.validated_at,
            model=run.model,
            transparency=spec.transparency,
        ),
        letterhead=letterhead(tenant, service) if spec.output.letterhead else None,
        primary_colour=primary_colour(tenant),
    )


def _blocks(run: AssistantRun, spec: AssistantSpec, text: str) -> list[Block]:
    """Tables and batches export their data (cells as corrected); the others their text."""
    attachments = run.attachments or {}
    if spec.output.kind == "tables":
        filename = next(
            (a["filename"] for a in attachments.values() if isinstance(a, dict) and "tables" in a),
            "",
        )
        return extraction.blocks(run, filename)
    if "batch" in attachments:
        header, rows = batch.table(spec, attachments["batch"], (run.data or {}).get("results", []))
        name = attachments["batch"]["filename"]
        return [
            Heading(text=f"{spec.name} – {name}", level=1),
            Table(header=header, rows=rows, caption="Demandes classées"),
        ]
    return to_blocks(text)


def diff_html(before: str, after: str) -> str:
    """Word-level diff with <del>/<ins>, every change visible."""
    a, b = re.findall(r"\S+|\s+", before), re.findall(r"\S+|\s+", after)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


def changes(before: str, after: str) -> int:
    a, b = before.split(), after.split()
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(1 for op, *_ in ops if op != "equal")


def export_attachments(db: Session, user: User) -> list[dict[str, object]]:
    """For a user's data export, beside the runs it lists: what they read (files, tables,
    CSV rows, passages)."""
    rows = db.scalars(select(AssistantRun).where(AssistantRun.user_id == user.id))
    return [
        {"resultat": run.id, "pieces": run.attachments, "donnees": run.data}
        for run in rows
        if run.attachments
    ]
