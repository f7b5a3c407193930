"""The Art. 27 impact assessment of a use case as a file: upload a new version, download one."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.datastructures import UploadFile

from civia.audit import journal as audit
from civia.governance import fria
from civia.web.deps import CaseEditor, CaseViewer, Db
from civia.web.routes.gov_gate import back
from civia.web.routes.gov_review import case_page
from civia.web.routes.gov_usecases import case_of
from civia.web.uploads.limit import Limit

router = APIRouter(prefix="/gouvernance/cas-usage")
FORM_OVERHEAD = 64 * 1024  # the multipart envelope and the other fields of the form
LIMIT = Limit(
    r"/gouvernance/cas-usage/\d+/analyse-impact$",
    lambda s: s.fria_max_bytes + FORM_OVERHEAD,
    lambda s: (
        f"Le fichier dépasse la taille maximale ({fria.megabytes(s.fria_max_bytes)}). "
        "Rien n'a été enregistré."
    ),
)


@router.post("/{case_id}/analyse-impact")
async def upload(request: Request, db: Db, user: CaseEditor, case_id: int) -> Response:
    case = case_of(db, user, case_id)
    settings = request.app.state.settings
    form = await request.form()
    sent = form.get("fichier")
    if not fria.can_attach(user, case):
        raise HTTPException(403, fria.NOT_ALLOWED)
    try:
        if not isinstance(sent, UploadFile) or not sent.filename:
            raise fria.FriaError("Choisissez le fichier de l'analyse d'impact à joindre.", 422)
        data = await sent.read(settings.fria_max_bytes + 1)
        fria.attach(
            db,
            case,
            actor=user,
            upload=fria.Upload(sent.filename, data),
            data_dir=settings.data_dir,
            max_bytes=settings.fria_max_bytes,
        )
    except fria.FriaError as exc:
        db.rollback()
        return case_page(
            request, db, user, case_of(db, user, case_id), fria_error=str(exc),
            status_code=exc.status,
        )  # fmt: skip
    return back(f"/gouvernance/cas-usage/{case_id}", "Analyse d'impact jointe.")


@router.get("/{case_id}/analyse-impact/{version}")
def download(request: Request, db: Db, user: CaseViewer, case_id: int, version: int) -> Response:
    case = case_of(db, user, case_id)
    row = fria.get_version(db, case, version)
    if row is None:
        raise HTTPException(404, "Cette version de l'analyse d'impact n'existe pas.")
    try:
        content = fria.read(row, request.app.state.settings.data_dir)
    except fria.FriaError as exc:
        raise HTTPException(exc.status, str(exc)) from None
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="export.downloaded",
        target=f"usecase:{case.id}",
        details={"document": "fria", "version": row.version, "format": row.format},
    )
    ascii_name = (
        row.filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    )
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(row.filename)}"
    return Response(
        content, media_type=fria.FORMATS[row.format], headers={"Content-Disposition": disposition}
    )
