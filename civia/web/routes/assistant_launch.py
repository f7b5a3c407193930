"""Reading the form's files for an assistant run (the launch itself is
`civia.assistants.launch`, shared with the API), the CSV batch mode, and the pages where an agent
reviews tables and batches before validating them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from civia.accounts.models import User
from civia.assistants import batch as batches
from civia.assistants import extraction, files, jobs, runs
from civia.assistants.context import assistant_context
from civia.assistants.inputs import InputError
from civia.assistants.models import AssistantRun
from civia.assistants.prepare import Upload
from civia.assistants.spec import AssistantSpec, FieldKind
from civia.jobs import queue
from civia.web.deps import CurrentUser, Db, allow_assistant
from civia.web.render import render
from civia.web.routes.assistant_access import run_or_404, spec_or_404
from civia.web.uploads.limit import Limit

router = APIRouter()
LIMIT = Limit(
    "/(assistants|resultats)/",
    lambda s: s.assistant_upload_max_mb * 1_000_000 + 1_000_000,  # + the form's other fields
    lambda s: (
        "Le fichier envoyé dépasse la taille maximale acceptée "
        f"({s.assistant_upload_max_mb} Mo). Revenez au formulaire (vos saisies y sont restées dans "
        "votre navigateur) et déposez un fichier plus petit, ou découpez-le."
    ),
)


def max_bytes(request: Request) -> int:
    return int(request.app.state.settings.assistant_upload_max_mb) * 1_000_000


async def uploads(request: Request, spec: AssistantSpec, form: FormData) -> dict[str, Upload]:
    """The files of the form's file fields, each read within the size limit."""
    found: dict[str, Upload] = {}
    errors: dict[str, str] = {}
    for field in spec.fields_of(FieldKind.FILE):
        value = form.get(field.name)
        if not isinstance(value, UploadFile) or not value.filename:
            continue
        try:
            data = await run_in_threadpool(
                files.read_upload, value.file, value.filename, max_bytes=max_bytes(request)
            )
        except files.FileFieldError as exc:
            errors[field.name] = str(exc)
            continue
        found[field.name] = Upload(value.filename, data)
    if errors:
        raise InputError(errors)
    return found


def _spec(db: Db, user: User, assistant_id: str) -> AssistantSpec:
    """The assistant, once the comité's kill switch and training requirements allow it."""
    spec = spec_or_404(db, user, assistant_id)
    allow_assistant(db, user, spec.id)
    return spec


def _run(db: Db, user: User, run_id: int) -> tuple[AssistantRun, AssistantSpec]:
    found = run_or_404(db, user, run_id)
    return found, spec_or_404(db, user, found.assistant_id)


# --- Batch mode -------------------------------------------------------------------------------


@router.post("/assistants/{assistant_id}/lot")
async def batch_submit(request: Request, db: Db, user: CurrentUser, assistant_id: str) -> Response:
    from civia.web.routes.assistants import form_page

    spec = _spec(db, user, assistant_id)
    if not spec.output.batch:
        raise HTTPException(404, "Cet assistant ne traite pas de fichier de demandes.")
    form = await request.form()
    upload = form.get("lot")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise batches.BatchError("Choisissez le fichier CSV des demandes.")
        data = await run_in_threadpool(
            files.read_upload, upload.file, upload.filename, max_bytes=max_bytes(request)
        )
        lot = await run_in_threadpool(batches.read_requests, data, upload.filename)
        request.app.state.gateway.resolve(db, user.tenant_id)  # no model: say it now
    except (batches.BatchError, files.FileFieldError) as exc:
        return form_page(request, db, user, spec, status_code=422, batch_errors={"lot": str(exc)})
    created = AssistantRun(
        tenant_id=user.tenant_id, user_id=user.id, service_id=user.service_id,
        assistant_id=spec.id, assistant_version=spec.version, inputs={"lot": lot["filename"]},
        time_saved_minutes=spec.time_saved_minutes * len(lot["rows"]),
        attachments={"batch": lot}, data={"results": []},
    )  # fmt: skip
    db.add(created)
    db.flush()
    job = queue.enqueue(
        db, tenant_id=user.tenant_id, user_id=user.id, kind=jobs.BATCH, queue=jobs.QUEUE,
        payload={"run_id": created.id, "name": lot["filename"]}, message="En attente du modèle",
    )  # fmt: skip
    created.job_id = job.id
    return RedirectResponse(f"/resultats/{created.id}", status_code=303)


def batch_view(
    spec: AssistantSpec, run: AssistantRun, services: list[str]
) -> dict[str, Any] | None:
    lot = (run.attachments or {}).get("batch")
    if lot is None:
        return None
    results = (run.data or {}).get("results", [])
    choices = {key: allowed for key, _, allowed in batches.output_columns(spec)}
    enum_source = {
        key: prop.get("x-civia-enum")
        for key, prop in ((spec.output.json_schema or {}).get("properties") or {}).items()
    }
    return {
        "lot": lot,
        "outputs": batches.output_columns(spec),
        "results": results,
        "choices": choices,
        "enum_source": enum_source,
        "services": services,
        "text": [batches.row_text(lot, row) for row in lot["rows"]],
    }


@router.post("/resultats/{run_id}/lot")
async def batch_review(request: Request, db: Db, user: CurrentUser, run_id: int) -> Response:
    found, spec = _run(db, user, run_id)
    if "batch" not in (found.attachments or {}):
        raise HTTPException(404, "Ce résultat n'est pas un lot de demandes.")
    if found.status != "draft":
        raise HTTPException(409, "Ce lot n'est pas modifiable (en cours ou déjà validé).")
    form = await request.form()
    services = assistant_context(db, user.tenant)["service_list"]
    try:
        corrected = batches.corrections(spec, found, dict(form), services=services)
    except batches.BatchError as exc:
        raise HTTPException(422, str(exc)) from None
    found.data = {**(found.data or {}), "results": corrected}
    header, rows = batches.table(spec, found.attachments["batch"], corrected)
    found.draft = files.table_markdown(header, rows) + "\n"
    if form.get("action") == "valider":
        try:
            runs.validate(found, user=user, text=found.draft, minutes=None)
        except runs.RunError as exc:
            raise HTTPException(409, str(exc)) from None
        return _back(run_id, "Lot validé. Vous pouvez télécharger le fichier.")
    return _back(run_id, "Corrections enregistrées.")


def _back(run_id: int, message: str, anchor: str = "") -> Response:
    return RedirectResponse(f"/resultats/{run_id}?ok={message}{anchor}", status_code=303)


# --- Tables ---------------------------------------------------------------------------------


@router.post("/resultats/{run_id}/tableaux")
async def tables_choose(request: Request, db: Db, user: CurrentUser, run_id: int) -> Response:
    found, spec = _run(db, user, run_id)
    if spec.output.kind != "tables":
        raise HTTPException(404, "Ce résultat ne contient pas de tableaux.")
    form = await request.form()
    numbers = {int(v) for v in form.getlist("garder") if isinstance(v, str) and v.isdigit()}
    try:
        extraction.choose(found, numbers)
        if form.get("action") == "valider":
            runs.validate(found, user=user, text=found.draft, minutes=None)
            return _back(run_id, "Tableaux validés. Vous pouvez les exporter.")
    except extraction.ExtractionError as exc:
        raise HTTPException(409 if "validé" in str(exc) else 422, str(exc)) from None
    except runs.RunError as exc:
        raise HTTPException(409, str(exc)) from None
    return _back(run_id, "Sélection enregistrée.")


def _table(found: AssistantRun, number: int) -> dict[str, Any]:
    table = next((t for t in (found.data or {}).get("tables", []) if t["number"] == number), None)
    if table is None:
        raise HTTPException(404, "Ce tableau n'existe pas.")
    return table


@router.get("/resultats/{run_id}/tableaux/{number}")
def table_edit(request: Request, db: Db, user: CurrentUser, run_id: int, number: int) -> Response:
    found, spec = _run(db, user, run_id)
    if spec.output.kind != "tables":
        raise HTTPException(404, "Ce résultat ne contient pas de tableaux.")
    table = _table(found, number)
    return render(request, "assistants/table_edit.html", run=found, spec=spec, table=table,
                  title=extraction.title(table))  # fmt: skip


@router.post("/resultats/{run_id}/tableaux/{number}")
async def table_save(
    request: Request, db: Db, user: CurrentUser, run_id: int, number: int
) -> Response:
    found, spec = _run(db, user, run_id)
    if spec.output.kind != "tables":
        raise HTTPException(404, "Ce résultat ne contient pas de tableaux.")
    _table(found, number)
    form = await request.form()
    cells: dict[tuple[int, int], str] = {}
    for key, value in form.items():
        row, _, column = key.removeprefix("c").partition("-")
        if key.startswith("c") and row.isdigit() and column.isdigit() and isinstance(value, str):
            cells[(int(row), int(column))] = value
    try:
        extraction.correct(found, number, cells)
    except extraction.ExtractionError as exc:
        raise HTTPException(409, str(exc)) from None
    return _back(run_id, f"Tableau {number} corrigé.", f"#tableau-{number}")
