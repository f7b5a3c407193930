"""What the public pages share: the collectivité behind a slug (only when its assistant is
on), the page's headers (no cache, no referrer, who may frame it) and the answer as HTML."""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from fastapi import HTTPException, Request, Response
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import Tenant
from civia.citizens import config
from civia.citizens.models import Outcome, PublicAssistant, PublicExchange
from civia.web.markdown import render as md
from civia.web.render import render

NOT_OPEN_FR = "Cette collectivité n'a pas d'assistant public en ligne."
_CITATION = re.compile(r"\[(\d{1,2})\]")
_CONVERSATION = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
BASE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
)
OUTCOME_LABELS = {
    Outcome.ANSWERED: "Réponse à partir des documents publiés",
    Outcome.EXTRACTS: "Passages des documents publiés, cités sans rédaction par l'IA",
    Outcome.NOT_FOUND: "Pas de réponse dans les documents publiés",
    Outcome.REFUSED: "Demande hors du rôle de l'assistant",
    Outcome.ERROR: "Réponse impossible",
}


@dataclass
class Site:
    tenant: Tenant
    row: PublicAssistant
    embedded: bool

    @property
    def slug(self) -> str:
        return self.tenant.slug

    @property
    def base(self) -> str:
        return f"/citoyens/{self.tenant.slug}"

    @property
    def suffix(self) -> str:
        """Keeps a visitor of the embedded page inside it from page to page."""
        return "?integration=1" if self.embedded else ""


def site(db: Session, slug: str, embedded: bool = False) -> Site:
    tenant = db.scalar(
        select(Tenant).where(
            Tenant.slug == slug, Tenant.kind != "platform", Tenant.status == "active"
        )
    )
    row = config.of(db, tenant.id) if tenant is not None else None
    if tenant is None or row is None or not row.enabled:
        raise HTTPException(404, NOT_OPEN_FR)
    return Site(tenant, row, embedded)


def conversation_token(value: str) -> str:
    return value if _CONVERSATION.match(value or "") else secrets.token_urlsafe(12)


def answer_html(exchange: PublicExchange) -> Markup:
    by_number = {s["number"]: s for s in exchange.sources}

    def link(match: re.Match[str]) -> str:
        source = by_number.get(int(match.group(1)))
        if source is None:
            return ""  # a number the model made up: no link to nowhere
        label = html.escape(f"Source {source['number']} : {source['title']} {source['where']}")
        href = html.escape(source["url"])
        return f'<a class="cite" href="{href}" aria-label="{label}">[{source["number"]}]</a>'

    return Markup(_CITATION.sub(link, md(exchange.answer)))  # noqa: S704 (sanitised Markdown)


def headers(response: Response, site: Site) -> Response:
    ancestors = "'none'"
    if site.embedded:
        ancestors = " ".join(["'self'", *config.origins(site.row)])
    response.headers["Content-Security-Policy"] = BASE_CSP.format(ancestors=ancestors)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def page(
    request: Request, site: Site, name: str, status_code: int = 200, **context: Any
) -> Response:
    response = render(
        request,
        name,
        status_code=status_code,
        user=None,
        csrf_token="",
        site=site,
        assistant_name=config.title(site.row, site.tenant),
        retention_hours=site.row.retention_hours,
        answer_html=answer_html,
        OUTCOME_LABELS=OUTCOME_LABELS,
        **context,
    )
    return headers(response, site)


CROSS_SITE_FR = "Ce formulaire doit être envoyé depuis la page de l'assistant de la collectivité."


def same_site_form(request: Request) -> None:
    """The public forms carry no session, hence no CSRF token: a form posted from another site
    could plant a conversation id in a visitor's page and read it later. Browsers say where a
    POST comes from (`Sec-Fetch-Site`, `Origin`); a cross-site one is refused. The embedded page
    posts from Civia's own origin (the iframe's document is Civia's), so it passes."""
    if request.method != "POST":
        return
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(403, CROSS_SITE_FR)
    origin = request.headers.get("origin")
    host = request.headers.get("host", "").rsplit(":", 1)[0].strip("[]").lower()
    # Host names only: a proxy's `Host $host` drops the port the browser's Origin keeps.
    if origin is not None and (urlparse(origin).hostname or "") != host:
        raise HTTPException(403, CROSS_SITE_FR)
