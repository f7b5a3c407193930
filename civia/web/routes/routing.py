"""The collectivité's routing rules of the « Tri des demandes » (admins): per service, its own
words and example requests, added to the defaults (civia/assistants/triage/rules.yaml) and
stored in the tenant's profile (`routage`, `routage_exemples`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from civia.accounts.models import Service, Tenant
from civia.assistants import triage
from civia.assistants.triage import profile as own
from civia.audit import journal as audit
from civia.web.deps import AdminUser, Db
from civia.web.render import render

router = APIRouter(prefix="/admin")
MAX_FIELD_CHARS = 8000  # a longer field is cut before it is checked (the check then refuses it)


@dataclass
class Row:
    """One service of the form: its defaults, what the admin wrote, what is wrong with it."""

    id: int
    name: str
    default_words: list[str]
    default_examples: list[str]
    words: str = ""
    examples: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def _rows(db: Db, tenant: Tenant) -> list[Row]:
    services = list(
        db.scalars(select(Service).where(Service.tenant_id == tenant.id).order_by(Service.name))
    )
    names = [s.name for s in services]
    words, examples = triage.rules_for(names), triage.examples_for(names)
    mine, my_examples = own.own_words(tenant.profile), own.own_examples(tenant.profile)
    return [
        Row(
            s.id,
            s.name,
            words[s.name],
            examples[s.name],
            mine.get(s.name, ""),
            "\n".join(my_examples.get(s.name, [])),
        )
        for s in services
    ]


def _page(request: Request, rows: list[Row], ok: str = "") -> Response:
    wrong = any(r.errors for r in rows)
    return render(
        request,
        "admin/routing.html",
        status_code=422 if wrong else 200,
        rows=rows,
        max_examples=own.MAX_EXAMPLES,
        max_example_chars=own.MAX_EXAMPLE_CHARS,
        ok=ok,
        error="Rien n'a été enregistré : corrigez les champs signalés." if wrong else "",
    )


@router.get("/routage")
def routing_page(request: Request, db: Db, admin: AdminUser, ok: str = "") -> Response:
    tenant = db.get(Tenant, admin.tenant_id)
    assert tenant is not None
    return _page(request, _rows(db, tenant), ok=ok)


@router.post("/routage")
async def save_routing(request: Request, db: Db, admin: AdminUser) -> Response:
    form = await request.form()
    tenant = db.get(Tenant, admin.tenant_id)
    assert tenant is not None
    rows = _rows(db, tenant)
    words: dict[str, str] = {}
    examples: dict[str, list[str]] = {}
    for row in rows:  # only this collectivité's services; other fields are ignored
        row.words = str(form.get(f"mots-{row.id}") or "")[:MAX_FIELD_CHARS]
        row.examples = str(form.get(f"exemples-{row.id}") or "")[:MAX_FIELD_CHARS]
        try:
            words[row.name] = own.parse_words(row.words)
        except own.RoutingError as exc:
            row.errors["mots"] = str(exc)
        try:
            examples[row.name] = own.parse_examples(row.examples)
        except own.RoutingError as exc:
            row.errors["exemples"] = str(exc)
    if any(r.errors for r in rows):
        return _page(request, rows)
    before = tenant.profile or {}
    saved_words = {s: w for s, w in words.items() if w}
    saved_examples = {s: e for s, e in examples.items() if e}
    tenant.profile = {**before, own.WORDS_KEY: saved_words, own.EXAMPLES_KEY: saved_examples}
    audit.record(
        db,
        tenant_id=tenant.id,
        actor=admin,
        action="policy.changed",
        target="règles de tri des demandes",
        details={
            "services_with_words": len(saved_words),
            "examples": sum(len(e) for e in saved_examples.values()),
        },
    )
    return RedirectResponse(
        f"/admin/routage?ok={quote('Règles de tri enregistrées.')}", status_code=303
    )
