"""The DPO's erasure of a person cited in others' texts: describe, search, review, redact.

The description of the person travels in POST bodies only (never in a URL or a log)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from civia.governance import citizen_access, citizen_erasure
from civia.governance.citizen_erasure import SubjectError
from civia.privacy.mentions import Subject
from civia.web.deps import Db, DpoUser
from civia.web.render import render

router = APIRouter(prefix="/gouvernance/droits/personne-citee")
Short = Annotated[str, Form(max_length=200)]
TEMPLATE = "governance/citizen.html"
CIVILITIES = {"": "Non précisée", "madame": "Madame", "monsieur": "Monsieur"}


def _subject(
    nom: str, prenoms: str, civilite: str, adresse: str, courriel: str, telephone: str
) -> Subject:
    return Subject(
        last_name=nom.strip(),
        first_names=prenoms.strip(),
        civility=civilite,
        address=adresse.strip(),
        email=courriel.strip(),
        phone=telephone.strip(),
    )


def _page(request: Request, subject: Subject | None = None, **context: object) -> Response:
    status = 422 if context.get("error") else 200
    return render(
        request, TEMPLATE, status_code=status, subject=subject or Subject(last_name=""),
        civilities=CIVILITIES, **context,
    )  # fmt: skip


@router.get("")
def form(request: Request, user: DpoUser) -> Response:
    return _page(request)


@router.post("")
def search(
    request: Request,
    db: Db,
    user: DpoUser,
    nom: Short = "",
    prenoms: Short = "",
    civilite: Annotated[str, Form(max_length=20)] = "",
    adresse: Short = "",
    courriel: Short = "",
    telephone: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    subject = _subject(nom, prenoms, civilite, adresse, courriel, telephone)
    try:
        findings = citizen_erasure.search(
            db, dpo=user, subject=subject, hooks=request.app.state.registries.governance
        )
    except SubjectError as exc:
        return _page(request, subject, error=str(exc))
    return _page(request, subject, findings=findings)


@router.post("/effacer")
async def erase(request: Request, db: Db, user: DpoUser) -> Response:
    form = await request.form()

    def field(name: str, limit: int = 200) -> str:
        value = form.get(name)
        return value[:limit] if isinstance(value, str) else ""

    subject = _subject(
        field("nom"), field("prenoms"), field("civilite", 20), field("adresse"),
        field("courriel"), field("telephone", 40),
    )  # fmt: skip
    refs = [v for v in form.getlist("cle") if isinstance(v, str)][: citizen_erasure.MAX_ITEMS]
    try:
        if not refs:
            raise SubjectError("Cochez au moins un passage à effacer.")
        counts = citizen_erasure.erase(
            db,
            dpo=user,
            subject=subject,
            refs=refs,
            hooks=request.app.state.registries.governance,
        )
    except SubjectError as exc:
        return _page(request, subject, error=str(exc))
    return _page(
        request,
        subject,
        erased=counts,
        labels=citizen_erasure.labels(request.app.state.registries.governance),
    )


@router.post("/acces")
async def access(request: Request, db: Db, user: DpoUser) -> Response:
    """Everything Civia holds about the person, as a DOCX the DPO reviews (Art. 15)."""
    form = await request.form()

    def field(name: str, limit: int = 200) -> str:
        value = form.get(name)
        return value[:limit] if isinstance(value, str) else ""

    subject = _subject(
        field("nom"), field("prenoms"), field("civilite", 20), field("adresse"),
        field("courriel"), field("telephone", 40),
    )  # fmt: skip
    try:
        report = citizen_access.gather(
            db, dpo=user, subject=subject, hooks=request.app.state.registries.governance
        )
    except SubjectError as exc:
        return _page(request, subject, error=str(exc))
    data = citizen_access.as_docx(report, tenant_name=user.tenant.name)
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": 'attachment; filename="demande-d-acces.docx"'},
    )
