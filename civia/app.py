"""The application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import pluggy
from fastapi import Depends, FastAPI, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import iter_route_contexts
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from civia.accounts.ratelimit import LoginLimiter
from civia.api.openai import error_response
from civia.chat.gateway import Gateway
from civia.chat.recovery import recover_interrupted
from civia.db.engine import make_engine, make_sessionmaker
from civia.documents import vector_store
from civia.governance.scheduler import run_periodically
from civia.jobs import dispatch
from civia.jobs.worker import Worker
from civia.plugins import loader as plugin_loader
from civia.plugins.registries import Route
from civia.settings import Settings, get_settings
from civia.web import security_headers
from civia.web.deps import policy_of
from civia.web.errors import ApiError, CharterRequired, CsrfFailed, LoginRequired, OperatorOnly
from civia.web.ids import ids_in_range
from civia.web.redirects import safe_next
from civia.web.render import render, templates_for
from civia.web.security_headers import RequestIdHeaders
from civia.web.uploads.limit import DEFAULT, BodyLimit

log = logging.getLogger("civia")
DATABASE_AWAY_FR = (
    "Civia est momentanément indisponible (base de données injoignable). Réessayez dans "
    "quelques secondes ; si vous envoyiez un formulaire, renvoyez-le."
)
STATIC = Path(__file__).parent / "web" / "static"
CHARTER_FIRST = "Acceptez la charte d'utilisation de l'IA avant d'utiliser Civia."


def create_app(
    settings: Settings | None = None, plugins: pluggy.PluginManager | None = None
) -> FastAPI:
    """`plugins`: the plugin manager to build this app from (tests pass their own)."""
    settings = settings or get_settings()
    plugins = plugins or plugin_loader.plugin_manager()
    app = FastAPI(
        title="Civia",
        version="0.1.0",
        # Served by civia.api.schema behind authentication; no docs page (Swagger UI is a CDN).
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
        dependencies=[Depends(ids_in_range)],  # huge ids: 404, not a database overflow
    )
    engine = make_engine(settings.db_url)
    vector_store.configure(engine, settings)
    dispatch.configure(  # jobs through Redis, if set
        engine, redis_url=settings.redis_url, secret=settings.secret_key
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.limiter = LoginLimiter(settings)
    recover_interrupted(app.state.sessions)
    from civia.meetings import leftovers

    leftovers.sweep(settings, app.state.sessions)  # partial recordings of a stopped server
    registries = plugin_loader.load(settings, plugins)
    app.state.registries = registries
    app.state.gateway = Gateway(settings, app.state.sessions, registries.call_guards)
    app.state.templates = templates_for(registries.template_folders)
    for route in registries.routes:
        if route.gated:
            _check_policies(route)
        app.include_router(route.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    limits = [route.body_limit for route in registries.routes if route.body_limit]
    app.add_middleware(BodyLimit, limits=limits, default=DEFAULT)
    from civia.api.ratelimit import ApiRateLimit

    app.add_middleware(ApiRateLimit, settings=settings)  # outside BodyLimit: before any read
    for middleware in registries.middleware:  # outside the limits: they see every refusal
        app.add_middleware(middleware.cls, *middleware.args, **middleware.kwargs)
    plugins.hook.startup(settings=settings)
    _install_handlers(app)
    return app


class PolicyMissing(RuntimeError):
    """A route of a gated router declares no policy of `civia.web.deps`."""


def _check_policies(route: Route) -> None:
    """Every route of a gated router (the default, for plugins too) declares its policy: one
    of the `Annotated` users of `civia.web.deps`. A route that forgot it stops the start-up."""
    for found in iter_route_contexts(route.router.routes):  # included routers flattened
        dependant: Dependant | None = getattr(found, "dependant", None)
        if dependant is None:  # not an API route (a mount)
            continue
        policies = {d.call for d in _dependencies(dependant) if policy_of(d.call) is not None}
        if len(policies) != 1:
            raise PolicyMissing(
                f"{sorted(found.methods or ())} {found.path}: {len(policies)} policies "
                "(declare exactly one of civia.web.deps, e.g. CurrentUser or AdminUser)"
            )


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for sub in dependant.dependencies:
        yield sub
        yield from _dependencies(sub)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Background duties of the web process: the scheduled retention sweep and, in the embedded
    deployment, the job worker (ingestion, transcription)."""
    settings: Settings = app.state.settings
    registries = app.state.registries
    hours = settings.retention_sweep_hours
    task = (
        asyncio.create_task(run_periodically(app.state.sessions, hours, registries.governance))
        if hours
        else None
    )
    # The plugins' periodic tasks run with the in-process worker (each period once across
    # replicas); with `civia worker` processes, they run there.
    worker = Worker(
        app.state.sessions, settings, settings.queues, registries=registries, periodic=True
    )
    if settings.jobs_in_process:
        await asyncio.to_thread(worker.start)
    app.state.worker = worker
    yield
    if settings.jobs_in_process:
        await asyncio.to_thread(worker.stop)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


# What a driver says when the server is away or busy, not when a query is wrong.
_AWAY_MARKERS = (
    "database is locked",
    "could not connect",
    "connection",
    "server closed",
    "terminating",
    "shutting down",
    "starting up",
    "timeout",
)


def _database_away(exc: OperationalError) -> bool:
    if exc.connection_invalidated:
        return True
    said = str(exc.orig).lower()
    return any(marker in said for marker in _AWAY_MARKERS)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(
        ("/v1/", "/api/")
    ) or "application/json" in request.headers.get("accept", "")


def _install_handlers(app: FastAPI) -> None:
    app.add_middleware(RequestIdHeaders)

    @app.exception_handler(CharterRequired)
    async def charter_required(request: Request, exc: CharterRequired) -> Response:
        """A newcomer is sent to accept the charter (API and htmx callers get a JSON 403)."""
        target = exc.path if request.method == "GET" else "/"
        location = f"/charte?suivant={quote(safe_next(target))}"
        if _wants_json(request) or request.headers.get("hx-request"):
            return JSONResponse(
                {"detail": CHARTER_FIRST}, status_code=403, headers={"HX-Redirect": location}
            )
        return RedirectResponse(location, status_code=303)

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.message, exc.kind, exc.headers)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if _wants_json(request) or request.headers.get("hx-request"):
            return JSONResponse(
                {"detail": "Votre session a expiré : reconnectez-vous."},
                status_code=401,
                headers={"HX-Redirect": "/connexion"},
            )
        target = safe_next(request.url.path) if request.method == "GET" else "/"
        return RedirectResponse(f"/connexion?suivant={quote(target)}", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: CsrfFailed) -> Response:
        message = "Le formulaire a expiré ou ne vient pas de Civia. Rechargez la page et réessayez."
        if _wants_json(request) or request.headers.get("hx-request"):
            return JSONResponse({"detail": message}, status_code=403)
        return render(request, "error.html", status_code=403, message=message)

    @app.exception_handler(OperatorOnly)
    async def operator_only(request: Request, _exc: OperatorOnly) -> Response:
        if request.url.path == "/" and request.method == "GET":
            return RedirectResponse("/plateforme", status_code=303)
        message = "Les opérateurs de la plateforme n'accèdent pas aux contenus des collectivités."
        if _wants_json(request) or request.headers.get("hx-request"):
            return JSONResponse({"detail": message}, status_code=403)
        return render(request, "error.html", status_code=403, message=message)

    # Starlette's own exception (unknown URLs, wrong methods, static files) is the base class of
    # FastAPI's: handling it covers both, so no raw English JSON reaches a browser.
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "Erreur."
        if exc.status_code == 404 and message == "Not Found":
            message = "Cette page n'existe pas ou vous n'y avez pas accès."
        if exc.status_code == 405:
            message = "Méthode non autorisée."
        if message == "There was an error parsing the body":  # FastAPI: not JSON, not UTF-8
            message = "Le corps de la requête est illisible (JSON en UTF-8 attendu)."
        elif request.url.path.startswith("/v1/"):  # the OpenAI error shape, as ApiError gives
            headers = dict(exc.headers or {})
            return error_response(exc.status_code, message, "invalid_request_error", headers)
        if _wants_json(request) or request.headers.get("hx-request"):
            return JSONResponse(
                {"detail": message}, status_code=exc.status_code, headers=exc.headers
            )
        page = render(request, "error.html", status_code=exc.status_code, message=message)
        page.headers.update(exc.headers or {})  # Retry-After of a 429
        return page

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(str(e["loc"][-1]) for e in exc.errors())
        message = f"Requête invalide (champs : {fields})."
        if _wants_json(request) or request.headers.get("hx-request"):
            return JSONResponse({"detail": message}, status_code=422)
        return render(request, "error.html", status_code=422, message=message)

    # The database restarting or out of reach for a moment: say so and when to come back (an
    # operator's restart must not look like a crash with a support reference).
    @app.exception_handler(OperationalError)
    async def database_away(request: Request, exc: OperationalError) -> Response:
        rid = getattr(request.state, "request_id", "?")
        if not _database_away(exc):  # a missed migration, a bad query: a crash, said as such
            return await crashed(request, exc)
        log.warning("database unreachable request_id=%s: %s", rid, exc.orig)
        headers = {"Retry-After": "5"}
        if request.url.path.startswith("/v1/"):
            return error_response(503, DATABASE_AWAY_FR, "server_error", headers)
        if _wants_json(request) or request.headers.get("hx-request"):
            return JSONResponse({"detail": DATABASE_AWAY_FR}, status_code=503, headers=headers)
        page = render(request, "error.html", status_code=503, message=DATABASE_AWAY_FR)
        page.headers.update(headers)
        return page

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        rid = getattr(request.state, "request_id", "?")
        log.exception("unhandled error request_id=%s", rid, exc_info=exc)
        message = f"Erreur interne. Référence à transmettre au support : {rid}."
        if _wants_json(request):
            page: Response = JSONResponse({"detail": message}, status_code=500)
        else:
            page = render(request, "error.html", status_code=500, message=message)
        # Starlette sends this answer from its outermost middleware, past RequestIdHeaders.
        secure = request.app.state.settings.secure_cookies
        security_headers.apply(page.headers, rid, secure=secure)
        return page
