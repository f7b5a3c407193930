"""The public assistant's pages, `/citoyens/<collectivité>`: no account, no session read,
nothing about the visitor stored (see `civia.citizens.visitors`); the access log leaves these
paths out (`civia.citizens.logfilter`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, Depends, Form, HTTPException, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.citizens import answer, config, public, stats
from civia.citizens.models import PublicExchange
from civia.citizens.visitors import Limited, VisitorLimiter
from civia.privacy.errors import PiiEngineUnavailable
from civia.providers.base import Embedder
from civia.web.deps import Db

router = APIRouter(prefix="/citoyens", dependencies=[Depends(public.same_site_form)])
STYLE = Path(__file__).parent / "static" / "public.css"
RATINGS = {"utile": "useful", "inutile": "not_useful"}
PII_DOWN_FR = (
    "Votre question n'a pas été traitée : la protection des données personnelles est "
    "momentanément indisponible. Réessayez plus tard, ou écrivez à un agent."
)


@cache
def _style() -> str:
    return STYLE.read_text(encoding="utf-8")


def limiter(request: Request) -> VisitorLimiter:
    """One per app (its counters live in the app's limiter storage)."""
    state = request.app.state
    if getattr(state, "citizen_limiter", None) is None:
        state.citizen_limiter = VisitorLimiter(state.settings)
    return state.citizen_limiter


def slots(request: Request) -> answer.Slots:
    state = request.app.state
    if getattr(state, "citizen_slots", None) is None:
        state.citizen_slots = answer.Slots(state.settings.citizen_model_waiting)
    return state.citizen_slots


def address(request: Request) -> str:
    return request.client.host if request.client else "?"


def _history(db: Db, tenant_id: int, conversation: str) -> list[PublicExchange]:
    return list(
        db.scalars(
            select(PublicExchange)
            .where(
                PublicExchange.tenant_id == tenant_id,
                PublicExchange.conversation == conversation,
            )
            .order_by(PublicExchange.id)
        )
    )


def _chat(
    request: Request,
    db: Db,
    site: public.Site,
    conversation: str,
    status_code: int = 200,
    **extra: object,
) -> Response:
    return public.page(
        request,
        site,
        "citizens/page.html",
        status_code=status_code,
        conversation=conversation,
        exchanges=_history(db, site.tenant.id, conversation),
        welcome=site.row.welcome,
        **extra,
    )


@router.get("/{slug}/theme.css")
def theme(db: Db, slug: str) -> Response:
    found = public.site(db, slug)
    colour = config.colour(found.row, found.tenant)
    css = (
        f":root {{ --civia-public-colour: #{colour}; "
        f"--civia-public-ink: #{config.ink_on(colour)}; "
        f"--civia-public-link: #{config.link_colour(colour)}; }}\n{_style()}"
    )
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=300"})


@router.get("/{slug}")
def show(request: Request, db: Db, slug: str, integration: str = "") -> Response:
    found = public.site(db, slug, embedded=bool(integration))
    return _chat(request, db, found, public.conversation_token(""))


@router.post("/{slug}/questions")
async def ask(
    request: Request,
    db: Db,
    slug: str,
    question: str = Form(""),
    conversation: str = Form(""),
    integration: str = Form(""),
) -> Response:
    found = public.site(db, slug, embedded=bool(integration))
    conversation = public.conversation_token(conversation)
    partial = request.headers.get("HX-Request") == "true"

    def refuse(status: int, message: str, retry_after: int | None = None) -> Response:
        if partial:
            response = public.page(
                request, found, "citizens/_error.html", status_code=status, error=message
            )
        else:
            response = _chat(
                request, db, found, conversation, status, error=message, typed=question
            )
        if retry_after:
            response.headers["Retry-After"] = str(retry_after)
        return response

    try:
        text = answer.clean(question)
        limiter(request).admit(found.slug, address(request))
    except answer.QuestionError as exc:
        return refuse(422, str(exc))
    except Limited as exc:
        return refuse(429, exc.message_fr, exc.retry_after)
    from civia.providers.resolve import embedder_for
    from civia.usage.metered import metered_anonymous

    def metered_for(db: Session, tenant_id: int) -> Embedder:  # the question's vector: a call
        return metered_anonymous(db, embedder_for(db, tenant_id), tenant_id, source=answer.SOURCE)

    asked = answer.Asked(
        tenant_id=found.tenant.id,
        tenant_name=found.tenant.name,
        slug=found.slug,
        collection_ids=config.published_ids(db, found.row),
        conversation=conversation,
        question=text,
    )
    db.commit()  # the request's session holds nothing open while the model writes
    try:
        exchange = await answer.respond(
            sessions=request.app.state.sessions,
            gateway=request.app.state.gateway,
            embedder_for=metered_for,
            asked=asked,
            slots=slots(request),
        )
    except PiiEngineUnavailable:
        return refuse(503, PII_DOWN_FR)
    if partial:
        return public.page(
            request,
            found,
            "citizens/_exchange.html",
            exchange=exchange,
            conversation=conversation,
            oob=True,
        )
    return _chat(request, db, found, conversation)


@router.post("/{slug}/reponses/{token}/avis")
def rate(
    request: Request,
    db: Db,
    slug: str,
    token: str,
    rating: str = Form(""),
    integration: str = Form(""),
) -> Response:
    found = public.site(db, slug, embedded=bool(integration))
    exchange = db.scalar(
        select(PublicExchange).where(
            PublicExchange.token == token, PublicExchange.tenant_id == found.tenant.id
        )
    )
    if exchange is None:
        raise HTTPException(404, "Cette réponse n'existe plus : les échanges sont effacés après "
                                 "quelques heures.")  # fmt: skip
    if rating not in RATINGS:
        raise HTTPException(422, "Choisissez « Oui » ou « Non ».")
    if not exchange.rating:  # the first rating counts; a second click changes nothing
        exchange.rating = rating
        stats.bump(db, found.tenant.id, RATINGS[rating])
    if request.headers.get("HX-Request") == "true":
        return public.page(request, found, "citizens/_rated.html", exchange=exchange)
    return _chat(request, db, found, exchange.conversation, rated=True)
