"""Actes: the search page, an act's page with similar acts, drafting from acts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request, Response

from civia.assistants import access as assistants
from civia.documents.acts import drafting
from civia.documents.acts.access import can_manage, readable_act, scope_for
from civia.documents.acts.facets import facets
from civia.documents.acts.filters import VOTE_FILTERS, FilterError, parse_filters
from civia.documents.acts.models import KIND_LABELS, Act
from civia.documents.acts.search import Sort, search_acts
from civia.documents.acts.similar import similar_acts
from civia.documents.acts.text import date_fr, number_fr, vote_line
from civia.documents.acts.vectors import vectorising
from civia.documents.errors import EmptyQueryError
from civia.providers.resolve import embedder_for
from civia.usage.metered import metered
from civia.web.deps import CurrentUser, Db, allow_assistant
from civia.web.render import render
from civia.web.routes.assistants import form_page

router = APIRouter(prefix="/actes")
PER_PAGE = 20
ARRETE = "arrete"
HELPERS: dict[str, Any] = {
    "date_fr": date_fr,
    "number_fr": number_fr,
    "vote_line": vote_line,
    "KIND_LABELS": KIND_LABELS,
}


def _act(db: Db, user: CurrentUser, act_id: int) -> Act:
    act = readable_act(db, user, act_id)
    if act is None:
        raise HTTPException(404, "Cet acte n'existe pas ou vous n'y avez pas accès.")
    return act


@router.get("")
def search_page(request: Request, db: Db, user: CurrentUser) -> Response:
    params = request.query_params
    query = params.get("q", "")[:500]
    sort: Sort = "date" if params.get("tri") == "date" else "pertinence"
    kinds = params.getlist("type")
    fields = {k: params.get(k, "")[:300] for k in ("du", "au", "collectivite", "theme", "vote")}
    values: dict[str, Any] = {"q": query, "type": kinds, "tri": sort, **fields}
    page = int(params["page"]) if params.get("page", "").isdigit() else 1
    scope = scope_for(db, user)
    error, results, status = "", None, 200
    try:
        filters = parse_filters(
            kinds=kinds,
            date_from=fields["du"],
            date_to=fields["au"],
            siret=fields["collectivite"],
            matiere=fields["theme"],
            vote=fields["vote"],
        )
        results = search_acts(
            db,
            scope=scope,
            query=query,
            filters=filters,
            sort=sort,
            page=page,
            per_page=PER_PAGE,
            embedder=metered(db, embedder_for(db, user.tenant_id), user) if query.strip() else None,
        )
    except (FilterError, EmptyQueryError) as exc:
        error, status = exc.message_fr, 422
    base = {k: v for k, v in values.items() if v and (k, v) != ("tri", "pertinence")}
    return render(
        request,
        "acts/search.html",
        status_code=status,
        values=values,
        results=results,
        error=error,
        facets=facets(db, scope),
        votes=VOTE_FILTERS,
        vectorising=vectorising(db, scope.tenant_ids),
        page_url=lambda n: "/actes?" + urlencode({**base, "page": n}, doseq=True),
        manager=can_manage(user),
        shared=len(scope.tenant_ids) > 1,
        ok=params.get("ok", "")[:200],
        **HELPERS,
    )


@router.get("/{act_id}")
def show(request: Request, db: Db, user: CurrentUser, act_id: int) -> Response:
    act = _act(db, user, act_id)
    scope = scope_for(db, user)
    return render(
        request,
        "acts/show.html",
        act=act,
        similar=similar_acts(db, scope=scope, act=act),
        own=act.tenant_id == user.tenant_id,
        manager=can_manage(user, act),
        paragraphs=[p for p in (act.body or "").split("\n\n") if p.strip()],
        **HELPERS,
    )


@router.post("/rediger")
async def draft(request: Request, db: Db, user: CurrentUser) -> Response:
    """Open the arrêté assistant's form, or a délibération request, pre-filled from acts."""
    form = await request.form()
    ids = [str(v) for v in form.getlist("ids") if str(v).isdigit()]
    if not ids:
        raise HTTPException(422, "Cochez au moins un acte à partir duquel rédiger.")
    acts = [_act(db, user, int(i)) for i in dict.fromkeys(ids)][: drafting.MAX_ACTS]
    if form.get("cible") == ARRETE:
        spec = assistants.find(db, user, ARRETE)
        if spec is None:
            raise HTTPException(404, "L'assistant « Arrêté » n'est pas disponible.")
        allow_assistant(db, user, spec.id)
        limits = {f.name: f.max_length for f in spec.fields}
        values = drafting.arrete_prefill(acts, limits)
        return form_page(request, db, user, spec, values=values)
    text = drafting.deliberation_request(acts, tenant_name=user.tenant.name)
    return render(request, "acts/draft.html", acts=acts, prefill=text, **HELPERS)
