"""/pilotage/revues: produce a J+15/J+30/J+90 review in one click, write and validate its
narrative, download it as DOCX."""

from __future__ import annotations

import io
from datetime import date
from typing import Annotated, Any

from docx import Document as DocxDocument
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.db.base import utcnow
from civia.db.models import Role, Service, User
from civia.steering import rates, reviews
from civia.steering.equivalents import date_fr, number_fr
from civia.steering.models import Review
from civia.web.deps import Db, require_role
from civia.web.render import render

router = APIRouter(prefix="/pilotage/revues")
Pilot = Annotated[User, Depends(require_role(Role.PILOTAGE, Role.ADMIN))]
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
def index(request: Request, db: Db, user: Pilot) -> Response:
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
    request: Request, db: Db, user: Pilot,
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
def show(request: Request, db: Db, user: Pilot, review_id: int) -> Response:
    review = _own(db, user, review_id)
    return render(request, "steering/review.html", **_context(db, review))


@router.post("/{review_id}")
def save(
    request: Request, db: Db, user: Pilot, review_id: int,
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


@router.get("/{review_id}/revue.docx")
def docx(db: Db, user: Pilot, review_id: int) -> Response:
    review = _own(db, user, review_id)
    ctx = _context(db, review)
    fig = review.figures
    doc = DocxDocument()
    doc.core_properties.title = f"Revue J+{review.milestone} — {ctx['scope']}"
    doc.core_properties.keywords = "Civia; pilotage; revue"
    doc.add_heading(f"Revue J+{review.milestone} — {ctx['scope']}", level=1)
    doc.add_paragraph(f"Lancement : {ctx['launch_fr']}. Recommandation : {ctx['label']}.")
    for reason in review.reasons:
        doc.add_paragraph(reason, style="List Bullet")
    rows = [
        ("Agents actifs", number_fr(fig["active_users"], 0)),
        ("Comptes ouverts", number_fr(fig["accounts"], 0)),
        ("Adoption (actifs sur 30 jours / comptes)", f"{number_fr(fig['adoption'] * 100, 0)} %"),
        ("Appels aux modèles", number_fr(fig["calls"], 0)),
        ("Heures gagnées (résultats validés)", f"{number_fr(fig['hours_saved'])} h"),
        ("Avis « utile » / « pas utile »", f"{fig['useful']:.0f} / {fig['not_useful']:.0f}"),
        ("Coût", f"{number_fr(fig['cost_eur'], 4)} €"),
        ("Carbone", f"{number_fr(fig['gwp_kgco2eq'], 4)} kgCO2e"),
    ]
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Indicateur", "Valeur"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    if fig.get("signals"):
        doc.add_heading("Signaux", level=2)
        for s in fig["signals"]:
            doc.add_paragraph(f"{s['service']} — {s['title']} : {s['reason']}", style="List Bullet")
    doc.add_heading("Commentaire du pilotage", level=2)
    doc.add_paragraph(review.narrative or "(aucun commentaire)")
    state = "validée" if review.validated_at else "non validée (brouillon)"
    doc.add_paragraph(f"Revue {state}. {MENTION}")
    out = io.BytesIO()
    doc.save(out)
    name = f"revue-j{review.milestone}-{review.id}.docx"
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
