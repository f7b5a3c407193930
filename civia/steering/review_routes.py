"""/pilotage/revues: produce a J+15/J+30/J+90 review in one click, write and validate its
narrative, download it as DOCX or PDF with the transparency mention."""

from __future__ import annotations

import io
from datetime import date
from typing import Annotated, Any

from docx import Document as DocxDocument
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Service, User
from civia.assistants.renderers.to_pdf import find_font
from civia.dates import date_fr
from civia.db.base import utcnow
from civia.steering import reviews
from civia.steering.models import Review
from civia.usage import rates
from civia.usage.equivalents import number_fr
from civia.web.deps import Db, SteeringUser
from civia.web.render import render

router = APIRouter(prefix="/pilotage/revues")
MENTION = (
    "Document produit avec Civia. Les chiffres sont calculés à partir du journal des appels et "
    "des résultats validés, la recommandation par les règles énoncées ; le commentaire est "
    "rédigé et validé par le pilotage, sans texte généré par une IA."
)


def _services(db: Session, user: User) -> list[Service]:
    stmt = select(Service).where(Service.tenant_id == user.tenant_id).order_by(Service.name)
    return list(db.scalars(stmt).all())


def _own(db: Session, user: User, review_id: int) -> Review:
    review = db.get(Review, review_id)
    if review is None or review.tenant_id != user.tenant_id:
        raise HTTPException(404, "Cette revue n'existe pas.")
    return review


def _context(db: Session, review: Review) -> dict[str, Any]:
    service = db.get(Service, review.service_id) if review.service_id else None
    return {
        "review": review,
        "scope": service.name if service else "Toute la collectivité",
        "label": reviews.LABELS[review.recommendation],
        "launch_fr": date_fr(review.launch_date),
        "n": number_fr,
    }


@router.get("")
def index(request: Request, db: Db, user: SteeringUser) -> Response:
    found = db.scalars(
        select(Review).where(Review.tenant_id == user.tenant_id).order_by(Review.id.desc())
    ).all()
    launches = rates.settings_row(db, user.tenant_id).launch_dates or {}
    db.commit()
    return render(
        request, "steering/reviews.html", reviews=found, services=_services(db, user),
        launch=launches.get("all", ""), labels=reviews.LABELS, date_fr=date_fr,
    )  # fmt: skip


@router.post("")
def create(
    request: Request, db: Db, user: SteeringUser,
    milestone: Annotated[int, Form()], launch: Annotated[str, Form(max_length=10)],
    service: Annotated[str, Form(max_length=12)] = "",
) -> Response:  # fmt: skip
    if milestone not in reviews.MILESTONES:
        raise HTTPException(422, "Jalon inconnu : J+15, J+30 ou J+90.")
    try:
        start = date.fromisoformat(launch)
    except ValueError:
        raise HTTPException(422, "Date de lancement invalide (AAAA-MM-JJ).") from None
    service_id = None
    if service:
        row = db.get(Service, int(service)) if service.isdigit() else None
        if row is None or row.tenant_id != user.tenant_id:
            raise HTTPException(404, "Ce service n'existe pas.")
        service_id = row.id
    fig = reviews.figures(db, user.tenant_id, service_id, milestone, start)
    if fig["hidden"]:
        raise HTTPException(422, "Ce service compte moins de 5 utilisateurs actifs sur la "
                                 "période : pas de revue, pour qu'aucun chiffre ne porte sur "
                                 "une personne.")  # fmt: skip
    result = reviews.verdict(milestone, fig)
    settings_row = rates.settings_row(db, user.tenant_id)
    settings_row.launch_dates = {**(settings_row.launch_dates or {}), service or "all": launch}
    review = Review(tenant_id=user.tenant_id, service_id=service_id, milestone=milestone,
                    launch_date=start, figures=fig, recommendation=result.recommendation,
                    reasons=result.reasons, author_id=user.id)  # fmt: skip
    db.add(review)
    db.commit()
    return RedirectResponse(f"/pilotage/revues/{review.id}", status_code=303)


@router.get("/{review_id}")
def show(request: Request, db: Db, user: SteeringUser, review_id: int) -> Response:
    review = _own(db, user, review_id)
    return render(request, "steering/review.html", **_context(db, review))


@router.post("/{review_id}")
def save(
    request: Request, db: Db, user: SteeringUser, review_id: int,
    narrative: Annotated[str, Form(max_length=20_000)] = "",
    action: Annotated[str, Form(max_length=10)] = "save",
) -> Response:  # fmt: skip
    review = _own(db, user, review_id)
    if review.validated_at is not None:
        raise HTTPException(409, "Cette revue est validée : elle ne se modifie plus.")
    review.narrative = narrative.strip()
    if action == "validate":
        review.validated_by, review.validated_at = user.id, utcnow()
    db.commit()
    return RedirectResponse(f"/pilotage/revues/{review.id}", status_code=303)


def _content(db: Session, review: Review) -> list[tuple[str, str]]:
    """The review as (kind, text) blocks: title, para, bullet, row (label\tvalue), heading."""
    ctx = _context(db, review)
    fig = review.figures
    out = [
        ("title", f"Revue J+{review.milestone} — {ctx['scope']}"),
        ("para", f"Lancement : {ctx['launch_fr']}. Recommandation : {ctx['label']}."),
        *(("bullet", reason) for reason in review.reasons),
        ("heading", "Chiffres de la période"),
        ("row", f"Agents actifs\t{number_fr(fig['active_users'], 0)}"),
        ("row", f"Comptes ouverts\t{number_fr(fig['accounts'], 0)}"),
        ("row", f"Agents ciblés\t{number_fr(fig.get('targeted', fig['accounts']), 0)}"),
        ("row", f"Adoption (actifs sur 30 jours / agents ciblés)\t"
                f"{number_fr(fig['adoption'] * 100, 0)} %"),
        ("row", f"Appels aux modèles\t{number_fr(fig['calls'], 0)}"),
        ("row", f"Heures gagnées (résultats validés)\t{number_fr(fig['hours_saved'])} h"),
        ("row", f"Avis « utile » / « pas utile »\t{fig['useful']:.0f} / {fig['not_useful']:.0f}"),
        ("row", f"Coût\t{number_fr(fig['cost_eur'], 4)} €"),
        ("row", f"Carbone\t{number_fr(fig['gwp_kgco2eq'] * 1000, 1)} g CO2e"),
    ]  # fmt: skip
    if sat := fig.get("satisfaction"):
        shown = (f"facilité {number_fr(sat['ease_mean'], 1)} / 5, NPS {sat['nps']:+.0f}"
                 if sat["counted"] else "résultats masqués sous 5 réponses")  # fmt: skip
        out.append(("row", f"Enquête de satisfaction J+{sat['wave']}\t{sat['answers']} "
                           f"réponses ; {shown}"))  # fmt: skip
    if fig.get("signals"):
        out.append(("heading", "Signaux"))
        out += [
            ("bullet", f"{s['service']} — {s['title']} : {s['reason']}") for s in fig["signals"]
        ]
    out.append(("heading", "Commentaire du pilotage"))
    out.append(("para", review.narrative or "(aucun commentaire)"))
    state = "validée" if review.validated_at else "non validée (brouillon)"
    out.append(("para", f"Revue {state}. {MENTION}"))
    return out


def _download(data: bytes, name: str, media: str) -> Response:
    return Response(
        data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/{review_id}/revue.docx")
def docx(db: Db, user: SteeringUser, review_id: int) -> Response:
    review = _own(db, user, review_id)
    doc = DocxDocument()
    doc.core_properties.keywords = "Civia; pilotage; revue"
    table = None
    for kind, text in _content(db, review):
        if kind == "title":
            doc.core_properties.title = text
            doc.add_heading(text, level=1)
        elif kind == "heading":
            doc.add_heading(text, level=2)
        elif kind == "bullet":
            doc.add_paragraph(text, style="List Bullet")
        elif kind == "row":
            if table is None:
                table = doc.add_table(rows=0, cols=2)
            cells = table.add_row().cells
            cells[0].text, cells[1].text = text.split("\t", 1)
        else:
            doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _download(out.getvalue(), f"revue-j{review.milestone}-{review.id}.docx", media)


@router.get("/{review_id}/revue.pdf")
def pdf(db: Db, user: SteeringUser, review_id: int) -> Response:
    review = _own(db, user, review_id)
    doc = FPDF(format="A4")
    font = find_font()
    family = "Helvetica"
    if font is not None:
        for style, path in font.by_style.items():
            doc.add_font("CiviaSans", style, str(path))
        family = "CiviaSans"
    doc.set_margins(20, 20, 20)
    doc.add_page()

    def write(text: str, size: float = 10.5, style: str = "") -> None:
        if font is None:  # core fonts: windows-1252 only
            text = text.encode("cp1252", "replace").decode("cp1252")
        doc.set_font(family, style, size)
        doc.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        doc.ln(1.5)

    for kind, text in _content(db, review):
        if kind == "title":
            doc.set_title(text)
            write(text, 15, "B")
        elif kind == "heading":
            write(text, 12.5, "B")
        elif kind == "bullet":
            write(f"• {text}")
        elif kind == "row":
            write(": ".join(text.split("\t", 1)))
        else:
            write(text)
    doc.set_keywords("Civia; pilotage; revue")
    return _download(bytes(doc.output()), f"revue-j{review.milestone}-{review.id}.pdf",
                     "application/pdf")  # fmt: skip
