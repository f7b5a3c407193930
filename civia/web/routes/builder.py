"""The builder (/atelier: référents and admins) and the prompt library (/prompts: everyone)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.datastructures import UploadFile

from civia.accounts import roles
from civia.accounts.models import Service, User
from civia.assistants import access, builder, grounded, launch, prompts, runs
from civia.assistants.builder import BuilderError, Conflict, FormState
from civia.assistants.catalogue import builtins
from civia.assistants.inputs import InputError
from civia.assistants.models import AssistantDefinition
from civia.assistants.spec import FieldKind, Sensitivity
from civia.audit import journal as audit
from civia.governance import standing
from civia.governance.models import UseCase
from civia.governance.usecase_terms import PUBLIC_STATUSES, STATUS_LABELS, CaseStatus
from civia.web.deps import AdminUser, BuilderUser, CurrentUser, Db
from civia.web.render import render

router = APIRouter()
Text = Annotated[str, Form()]

LABELS: dict[str, Any] = {
    "statuses": {
        "draft": "Brouillon",
        "in_review": "En attente de publication",
        "published": "Publié",
        "suspended": "Suspendu",
    },
    "sharings": {
        "personal": "Moi seul",
        "service": "Mon service",
        "tenant": "Toute la collectivité",
    },
    "sensitivities": {
        "public": "Données publiques",
        "internal": "Données internes",
        "personal": "Données personnelles",
        "sensitive": "Données sensibles (santé, social, justice…)",
    },
    "kinds": {
        FieldKind.SHORT_TEXT.value: "Texte court",
        FieldKind.LONG_TEXT.value: "Texte long",
        FieldKind.CHOICE.value: "Choix dans une liste",
        FieldKind.DATE.value: "Date",
        FieldKind.NUMBER.value: "Nombre",
        FieldKind.FILE.value: "Fichier",
        FieldKind.COLLECTION.value: "Collection de documents",
    },
    "formats": {
        "docx": "Word (DOCX)",
        "odt": "OpenDocument (ODT)",
        "pptx": "PowerPoint (PPTX)",
        "xlsx": "Excel (XLSX)",
        "csv": "Tableur (CSV)",
        "pdf": "PDF",
    },
}
PLACES = {
    "": "Assistant", "id": "Identifiant", "name": "Nom", "description": "Description",
    "category": "Catégorie", "icon": "Icône", "instructions": "Instructions",
    "prompt": "Message envoyé au modèle", "fields": "Champs du formulaire",
    "time_saved_minutes": "Temps gagné", "max_tokens": "Longueur maximale de la réponse",
    "temperature": "Créativité", "transparency": "Mention de transparence", "sharing": "Partage",
    "output": "Résultat", "output.kind": "Type de résultat", "output.json_schema": "Schéma JSON",
    "output.template": "Gabarit", "output.formats": "Formats d'export",
    "output.compare_with": "Champ comparé au résultat", "repeat_penalty": "Pénalité de répétition",
    "output.batch": "Traitement par lot",
}  # fmt: skip
ROW_PLACES = {
    "name": "nom technique", "label": "libellé", "kind": "type", "required": "obligatoire",
    "help": "aide", "choices": "choix proposés", "placeholder": "exemple affiché",
    "default": "valeur par défaut", "max_length": "longueur maximale",
    "collection_id": "collection fixée",
}  # fmt: skip
FLASH = {
    "cree": "Assistant créé : version 1, en brouillon.",
    "importe": "Assistant importé en brouillon dans votre service. Vérifiez-le, essayez-le, "
    "puis soumettez-le pour publication.",
    "importe_gouverne": "Assistant importé en brouillon dans votre service. Le fichier indiquait "
    "aussi un statut, un partage ou une sensibilité : ces valeurs ont été ignorées, votre "
    "collectivité en décide.",
    "enregistre": "Nouvelle version enregistrée (brouillon).",
    "inchange": "Aucune modification : pas de nouvelle version.",
    "soumis": "Assistant soumis pour publication : un administrateur va le relire.",
    "publie": "Assistant publié : il est proposé aux agents concernés.",
    "suspendu": "Assistant suspendu : il n'est plus proposé aux agents.",
    "restaure": "L'ancienne version a été recopiée dans une nouvelle version (brouillon).",
    "adopte": "Assistant adopté du catalogue partagé, en brouillon dans votre service. "
    "Vérifiez-le, choisissez ses collections, créez sa fiche dans le registre des cas "
    "d'usage, puis soumettez-le : votre comité et votre administrateur en décident.",
    "prompt": "Prompt enregistré.",
    "supprime": "Prompt supprimé.",
}


def place(where: str) -> str:
    """A form error's place in words: `fields.0.label` → « Champ n° 1 › libellé »."""
    parts = where.split(".")
    if parts[0] == "fields" and len(parts) > 1 and parts[1].isdigit():
        head = f"Champ n° {int(parts[1]) + 1}"
        return f"{head} › {ROW_PLACES.get(parts[2], parts[2])}" if len(parts) > 2 else head
    return PLACES.get(where, builder.where_label(where))


def _names(db: Db, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    rows = db.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {id_: name for id_, name in rows}


def _back(path: str, flash: str) -> Response:
    return RedirectResponse(f"{path}?ok={flash}", status_code=303)


def _definition(db: Db, user: User, slug: str) -> AssistantDefinition:
    row = builder.editable(db, user=user, slug=slug)
    if row is None:
        raise HTTPException(404, "Cet assistant n'existe pas ou vous ne pouvez pas le modifier.")
    return row


async def _read(request: Request) -> tuple[FormState, str]:
    form = await request.form()
    action = str(form.get("action") or "save")
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    return builder.read_form(items, add_field=action == "add_field"), action


def _editor(
    request: Request,
    db: Db,
    user: User,
    *,
    row: AssistantDefinition | None,
    state: FormState,
    errors: dict[str, str] | None = None,
    ok: str = "",
    status_code: int = 200,
    tested: dict[str, str] | None = None,
    test_errors: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "builder/edit.html",
        status_code=status_code,
        row=row,
        spec=access.definition_spec(row) if row is not None else None,
        state=state,
        errors=errors or {},
        place=place,
        ok=FLASH.get(ok, ""),
        tested=tested or {},
        test_errors=test_errors or {},
        is_admin=user.role in roles.ADMINS,
        collections=grounded.readable(db, user),
        **_card(db, user, row),
        **LABELS,
    )


def _card(db: Db, user: User, row: AssistantDefinition | None) -> dict[str, object]:
    """The assistant's card in the use-case register, linked from its page (and back)."""
    if row is None:
        return {"card": None}
    case, public = standing.card_of(db, user.tenant_id, row.slug)
    label = STATUS_LABELS[CaseStatus(case.status)] if case is not None else ""
    return {"card": case, "card_public": public, "card_status": label}


@router.get("/atelier")
def index(request: Request, db: Db, user: BuilderUser, ok: str = "") -> Response:
    services = db.execute(
        select(Service.id, Service.name).where(Service.tenant_id == user.tenant_id)
    )
    return render(
        request,
        "builder/index.html",
        rows=builder.listed(db, user=user),
        services={id_: name for id_, name in services},
        builtins=sorted(builtins().values(), key=lambda s: s.name),
        is_admin=user.role in roles.ADMINS,
        ok=FLASH.get(ok, ""),
        **LABELS,
    )


@router.get("/atelier/nouveau")
def new(request: Request, db: Db, user: BuilderUser, depuis: str = "") -> Response:
    state = builder.default_state()
    if depuis:
        source = builder.find_for_owner(db, user, depuis)
        if source is None:
            raise HTTPException(404, "Cet assistant n'existe pas ou n'est pas disponible.")
        state = builder.state_from_spec(source, sharing="service")
        state.values["id"] = f"{source.id}-copie"[:63]
        state.values["name"] = f"{source.name} (copie)"[:80]
    return _editor(request, db, user, row=None, state=state)


@router.post("/atelier/nouveau")
async def create(request: Request, db: Db, user: BuilderUser) -> Response:
    state, action = await _read(request)
    if action == "add_field":
        return _editor(request, db, user, row=None, state=state)
    try:
        spec, sharing = builder.from_form(state)
        row = builder.create(db, user=user, spec=spec, sharing=sharing)
    except BuilderError as exc:
        return _editor(request, db, user, row=None, state=state, errors=exc.errors, status_code=422)
    return _back(f"/atelier/{row.slug}", "cree")


@router.get("/atelier/importer")
def import_page(request: Request, user: BuilderUser) -> Response:
    return render(request, "builder/import.html", errors={}, slug="", where=builder.where_label)


@router.post("/atelier/importer")
async def import_file(request: Request, db: Db, user: BuilderUser) -> Response:
    form = await request.form()
    upload, slug = form.get("fichier"), str(form.get("slug") or "")[:63]
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise BuilderError.one("Choisissez le fichier YAML de l'assistant à importer.")
        content = await upload.read(builder.MAX_IMPORT_BYTES + 1)
        row, ignored = builder.import_file(db, user=user, content=content, slug=slug)
    except BuilderError as exc:
        return render(
            request,
            "builder/import.html",
            status_code=422,
            errors=exc.errors,
            slug=slug,
            where=builder.where_label,
        )
    return _back(f"/atelier/{row.slug}", "importe_gouverne" if ignored else "importe")


@router.get("/atelier/export/{assistant_id}")
def export(db: Db, user: BuilderUser, assistant_id: str) -> Response:
    spec = builder.find_for_owner(db, user, assistant_id)
    if spec is None:
        raise HTTPException(404, "Cet assistant n'existe pas ou n'est pas disponible.")
    content = builder.export_yaml(spec, origin=user.tenant.name)
    return Response(
        content.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{spec.id}.yaml"'},
    )


@router.get("/atelier/{slug}")
def edit(request: Request, db: Db, user: BuilderUser, slug: str, ok: str = "") -> Response:
    row = _definition(db, user, slug)
    state = builder.state_from_spec(
        access.definition_spec(row), sharing=row.sharing, base_version=row.version
    )
    return _editor(request, db, user, row=row, state=state, ok=ok)


@router.post("/atelier/{slug}")
async def update(request: Request, db: Db, user: BuilderUser, slug: str) -> Response:
    row = _definition(db, user, slug)
    state, action = await _read(request)
    state.values["id"] = row.slug
    if action == "add_field":
        return _editor(request, db, user, row=row, state=state)
    base = state.values["base_version"]
    try:
        spec, sharing = builder.from_form(state)
        changed = builder.save(
            db,
            user=user,
            row=row,
            spec=spec,
            sharing=sharing,
            base_version=int(base) if base.isdigit() else row.version,
        )
    except BuilderError as exc:
        if isinstance(exc, Conflict):  # saving again keeps what this person typed
            state.values["base_version"] = str(row.version)
        return _editor(request, db, user, row=row, state=state, errors=exc.errors, status_code=422)
    return _back(f"/atelier/{row.slug}", "enregistre" if changed else "inchange")


@router.post("/atelier/{slug}/essayer")
async def try_draft(request: Request, db: Db, user: BuilderUser, slug: str) -> Response:
    """The test pane: a run of the saved version, shown by the usual result page."""
    row = _definition(db, user, slug)
    spec = access.definition_spec(row)
    form = await request.form()
    raw = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    state = builder.state_from_spec(spec, sharing=row.sharing, base_version=row.version)
    try:
        if spec.is_chat:
            raise InputError({"": "Ajoutez au moins un champ au formulaire pour l'essayer ici."})
        found = runs.create(db, user=user, spec=spec, raw=raw)
        found.time_saved_minutes = 0  # a trial saves no one any time: keep it out of the stats
        launch.enqueue(db, found)
    except InputError as exc:
        return _editor(
            request,
            db,
            user,
            row=row,
            state=state,
            status_code=422,
            tested=raw,
            test_errors=exc.errors,
        )
    return RedirectResponse(f"/resultats/{found.id}", status_code=303)


@router.post("/atelier/{slug}/soumettre")
def submit(db: Db, user: BuilderUser, slug: str) -> Response:
    row = _definition(db, user, slug)
    try:
        builder.submit(row=row)
    except BuilderError as exc:
        raise HTTPException(409, exc.errors[""]) from None
    return _back(f"/atelier/{slug}", "soumis")


NOT_APPROVED = (
    "Cet assistant ne peut être publié qu'une fois son cas d'usage approuvé par le comité "
    "d'éthique : créez ou complétez sa fiche dans le registre (Gouvernance → Registre des cas "
    "d'usage), puis publiez-le après la décision du comité."
)


def _approved_case(db: Db, user: User, slug: str) -> UseCase | None:
    """The register card under which this assistant may be used (approved, pilot or
    generalised): the comité's decision, not the admin's, puts an assistant before agents."""
    return db.scalar(
        select(UseCase).where(
            UseCase.tenant_id == user.tenant_id,
            UseCase.assistant_id == slug,
            UseCase.status.in_([s.value for s in PUBLIC_STATUSES]),
        )
    )


@router.post("/atelier/{slug}/publier")
def publish(db: Db, admin: AdminUser, slug: str, sensitivity: Text, suivant: Text = "") -> Response:
    row = _definition(db, admin, slug)
    case = _approved_case(db, admin, slug)
    if case is None:
        raise HTTPException(409, NOT_APPROVED)
    again = row.status == "suspended"
    try:
        builder.publish(admin=admin, row=row, sensitivity=Sensitivity(sensitivity))
    except ValueError as exc:
        message = exc.errors[""] if isinstance(exc, BuilderError) else "Sensibilité inconnue."
        raise HTTPException(409, message) from None
    audit.record(
        db,
        tenant_id=admin.tenant_id,
        actor=admin,
        action="assistant.published",
        target=f"assistant:{slug}",
        details={"use_case": case.id, "sensitivity": sensitivity, "republished": again},
    )
    return _back("/atelier" if suivant == "atelier" else f"/atelier/{slug}", "publie")


@router.post("/atelier/{slug}/suspendre")
def suspend(db: Db, admin: AdminUser, slug: str, suivant: Text = "") -> Response:
    row = _definition(db, admin, slug)
    try:
        builder.suspend(admin=admin, row=row)
    except BuilderError as exc:
        raise HTTPException(409, exc.errors[""]) from None
    audit.record(
        db,
        tenant_id=admin.tenant_id,
        actor=admin,
        action="assistant.suspended",
        target=f"assistant:{slug}",
        details={"by": "atelier"},
    )
    return _back("/atelier" if suivant == "atelier" else f"/atelier/{slug}", "suspendu")


@router.get("/atelier/{slug}/versions")
def history(
    request: Request,
    db: Db,
    user: BuilderUser,
    slug: str,
    a: int | None = None,
    b: int | None = None,
    ok: str = "",
) -> Response:
    row = _definition(db, user, slug)
    b = b or row.version
    a = a or max(1, b - 1)
    old, new = builder.version(db, row=row, number=a), builder.version(db, row=row, number=b)
    if old is None or new is None:
        raise HTTPException(404, "Cette version n'existe pas.")
    items = builder.versions(db, row=row)
    authors = _names(db, (v.author_id for v in items))
    return render(
        request,
        "builder/versions.html",
        row=row,
        items=items,
        authors=authors,
        a=a,
        b=b,
        lines=builder.diff(old, new),
        ok=FLASH.get(ok, ""),
        **LABELS,
    )


@router.post("/atelier/{slug}/versions/{number}/restaurer")
def restore(db: Db, user: BuilderUser, slug: str, number: int) -> Response:
    row = _definition(db, user, slug)
    try:
        builder.rollback(db, user=user, row=row, number=number)
    except BuilderError as exc:
        raise HTTPException(409, next(iter(exc.errors.values()))) from None
    return _back(f"/atelier/{slug}/versions", "restaure")


# --- The prompt library.


def _prompts_page(
    request: Request,
    db: Db,
    user: User,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    ok: str = "",
) -> Response:
    items = prompts.visible(db, user=user)
    authors = _names(db, (p.user_id for p in items))
    return render(
        request,
        "builder/prompts.html",
        status_code=422 if errors else 200,
        items=items,
        authors=authors,
        values=values or {"sharing": "personal"},
        errors=errors or {},
        sharings=prompts.SHARING_LABELS,
        ok=FLASH.get(ok, ""),
    )


def _visible_prompt(db: Db, user: User, prompt_id: int) -> prompts.SavedPrompt:
    found = prompts.get_visible(db, user=user, prompt_id=prompt_id)
    if found is None:
        raise HTTPException(404, "Ce prompt n'existe pas ou n'est pas partagé avec vous.")
    return found


def _own_prompt(db: Db, user: User, prompt_id: int) -> prompts.SavedPrompt:
    found = prompts.get_owned(db, user=user, prompt_id=prompt_id)
    if found is None:
        raise HTTPException(404, "Ce prompt n'existe pas ou ne vous appartient pas.")
    return found


@router.get("/prompts")
def prompt_list(request: Request, db: Db, user: CurrentUser, ok: str = "") -> Response:
    return _prompts_page(request, db, user, ok=ok)


@router.post("/prompts")
def prompt_create(
    request: Request,
    db: Db,
    user: CurrentUser,
    title: Text = "",
    body: Text = "",
    sharing: Text = "",
) -> Response:
    try:
        prompts.create(db, user=user, title=title, body=body, sharing=sharing)
    except prompts.PromptError as exc:
        values = {"title": title, "body": body, "sharing": sharing}
        return _prompts_page(request, db, user, values=values, errors=exc.errors)
    return _back("/prompts", "prompt")


def _use_page(
    request: Request,
    prompt: prompts.SavedPrompt,
    user: User,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    result: str = "",
) -> Response:
    return render(
        request,
        "builder/prompt_use.html",
        status_code=422 if errors else 200,
        prompt=prompt,
        names=prompts.variables(prompt.body),
        values=values or {},
        errors=errors or {},
        result=result,
        owned=prompt.user_id == user.id,
        sharings=prompts.SHARING_LABELS,
    )


@router.get("/prompts/{prompt_id}")
def prompt_use(request: Request, db: Db, user: CurrentUser, prompt_id: int) -> Response:
    prompt = _visible_prompt(db, user, prompt_id)
    result = prompt.body if not prompts.variables(prompt.body) else ""
    return _use_page(request, prompt, user, result=result)


@router.post("/prompts/{prompt_id}")
async def prompt_fill(request: Request, db: Db, user: CurrentUser, prompt_id: int) -> Response:
    """Filled by POST so what agents type (names, cases) stays out of URLs and access logs."""
    prompt = _visible_prompt(db, user, prompt_id)
    form = await request.form()
    names = prompts.variables(prompt.body)
    values = {n: str(form.get(f"v-{i}") or "") for i, n in enumerate(names)}
    try:
        result = prompts.fill(prompt.body, values)
    except prompts.PromptError as exc:
        return _use_page(request, prompt, user, values=values, errors=exc.errors)
    return _use_page(request, prompt, user, values=values, result=result)


@router.get("/prompts/{prompt_id}/modifier")
def prompt_edit(request: Request, db: Db, user: CurrentUser, prompt_id: int) -> Response:
    prompt = _own_prompt(db, user, prompt_id)
    values = {"title": prompt.title, "body": prompt.body, "sharing": prompt.sharing}
    return render(
        request,
        "builder/prompt_edit.html",
        prompt=prompt,
        values=values,
        errors={},
        sharings=prompts.SHARING_LABELS,
    )


@router.post("/prompts/{prompt_id}/modifier")
def prompt_update(
    request: Request,
    db: Db,
    user: CurrentUser,
    prompt_id: int,
    title: Text = "",
    body: Text = "",
    sharing: Text = "",
) -> Response:
    prompt = _own_prompt(db, user, prompt_id)
    try:
        prompts.update(db, user=user, prompt=prompt, title=title, body=body, sharing=sharing)
    except prompts.PromptError as exc:
        return render(
            request,
            "builder/prompt_edit.html",
            status_code=422,
            prompt=prompt,
            values={"title": title, "body": body, "sharing": sharing},
            errors=exc.errors,
            sharings=prompts.SHARING_LABELS,
        )
    return _back("/prompts", "prompt")


@router.post("/prompts/{prompt_id}/supprimer")
def prompt_delete(db: Db, user: CurrentUser, prompt_id: int) -> Response:
    prompts.delete(db, user=user, prompt=_own_prompt(db, user, prompt_id))
    return _back("/prompts", "supprime")
