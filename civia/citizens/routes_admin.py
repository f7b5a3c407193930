"""Settings of the public assistant (admins and référents) and its figures for pilotage."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from civia.accounts.models import User
from civia.citizens import config, stats
from civia.mailbox import intake
from civia.web.deps import BuilderUser, Db, SteeringUser
from civia.web.render import render

router = APIRouter()
PERIODS = (7, 30, 90)


def _page(
    request: Request,
    db: Db,
    user: User,
    values: config.Values,
    *,
    errors: dict[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "citizens/admin.html",
        status_code=status_code,
        values=values,
        errors=errors or {},
        saved=saved,
        collections=config.publishable(db, user.tenant_id),
        mailboxes=intake.mailboxes(db, user.tenant_id),
        slug=user.tenant.slug,
        min_hours=config.MIN_HOURS,
        max_hours=config.MAX_HOURS,
    )


@router.get("/admin/assistant-citoyen")
def show(request: Request, db: Db, user: BuilderUser, enregistre: str = "") -> Response:
    row = config.of(db, user.tenant_id)
    values = config.Values()
    if row is not None:
        values = config.Values(
            enabled=row.enabled, title=row.title, welcome=row.welcome,
            collection_ids=list(row.collection_ids), retention_hours=row.retention_hours,
            colour=row.colour, mailbox_id=row.mailbox_id, embed_origins=row.embed_origins,
        )  # fmt: skip
    return _page(request, db, user, values, saved=bool(enregistre))


def _int(value: object, default: int | None) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


@router.post("/admin/assistant-citoyen")
async def save(request: Request, db: Db, user: BuilderUser) -> Response:
    form = await request.form()
    values = config.Values(
        enabled=form.get("enabled") == "oui",
        title=str(form.get("title", "")),
        welcome=str(form.get("welcome", "")),
        collection_ids=[i for v in form.getlist("collection_ids") if (i := _int(v, None))],
        retention_hours=_int(form.get("retention_hours"), -1) or -1,
        colour=str(form.get("colour", "")),
        mailbox_id=_int(form.get("mailbox_id"), None),
        embed_origins=str(form.get("embed_origins", "")),
    )
    try:
        config.save(db, actor=user, values=values)
    except config.ConfigError as exc:
        return _page(request, db, user, values, errors=exc.errors, status_code=422)
    return RedirectResponse("/admin/assistant-citoyen?enregistre=1", status_code=303)


@router.get("/pilotage/citoyens")
def figures(request: Request, db: Db, user: SteeringUser, jours: int = 30) -> Response:
    days = jours if jours in PERIODS else 30
    return render(
        request,
        "citizens/figures.html",
        figures=stats.figures(db, user.tenant_id, days),
        periods=PERIODS,
        row=config.of(db, user.tenant_id),
        slug=user.tenant.slug,
    )
