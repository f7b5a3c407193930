"""Generated from the route table: the platform operator, logged in, gets no page of a
collectivité's content, whatever the route (GET and POST, with or without ids)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from civia.chat.models import Conversation
from civia.db.engine import session_scope
from civia.tenants import platform
from tests.conftest import Personas

# Acts sharing lists only the collectivités that opted in to pooling: no name leaks anywhere.
KNOWN_NAME_LEAKS: set[str] = set()
SECRET = "Budget confidentiel de la crèche"
# Pages that need no session at all (login, health and readiness probes, metrics behind their
# own token, public transparency, anonymous survey, the public assistant's published content,
# single sign-on) or are the operator's own.
OPEN = (
    "/connexion",
    "/deconnexion",
    "/sante",
    "/healthz",
    "/readyz",
    "/metrics",
    "/citoyens",
    "/transparence",
    "/enquete",
    "/sso",
    "/plateforme",
    "/api/docs",
    "/openapi.json",
    "/docs",
    "/redoc",
    "/static",
)


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every route, also inside included routers (however this FastAPI version nests them)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _api_routes(route.original_router.routes)


def test_operator_reaches_no_content_route(client: TestClient, personas: Personas) -> None:
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    with session_scope(sessions) as db:
        for tenant, owner in ((personas.tenant, "agent"), (personas.other_tenant, "carol")):
            db.add(Conversation(tenant_id=tenant.id, user_id=personas[owner].id, title=SECRET))
        platform.create_operator(db, login="ops", password="operator-password-1")
    page = client.get("/connexion")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    client.post(
        "/connexion",
        data={"login": "ops", "password": "operator-password-1", "csrf_token": token.group(1)},
    )
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/plateforme").text)
    assert csrf
    tried = 0
    for route in _api_routes(client.app.routes):  # type: ignore[attr-defined]
        if route.path.startswith(OPEN) or route.path == "/":
            continue
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        for method in sorted(route.methods & {"GET", "POST"}):
            data = {"csrf_token": csrf.group(1)} if method == "POST" else None
            resp = client.request(method, path, data=data, follow_redirects=False)
            tried += 1
            assert SECRET not in resp.text, (method, path)
            if path.startswith("/v1/"):
                assert resp.status_code == 401, (method, path)  # tokens only, none for operators
            else:
                assert resp.status_code in (403, 413, 422), (method, path, resp.status_code)
    assert tried > 100


def test_other_collectivite_admin_reads_nothing(client: TestClient, personas: Personas) -> None:
    """Olivia administers Autreville: no GET route with Démoville's ids shows Démoville's
    content or name."""
    from tests.conftest import login

    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        conv = Conversation(
            tenant_id=personas.tenant.id, user_id=personas["agent"].id, title=SECRET
        )
        db.add(conv)
        db.flush()
        conv_id = conv.id
    login(client, "olivia")
    tried = 0
    for route in _api_routes(client.app.routes):  # type: ignore[attr-defined]
        if "GET" not in route.methods or route.path.startswith(("/static", "/transparence")):
            continue
        path = re.sub(r"\{[^}]+\}", str(conv_id), route.path)
        resp = client.get(path, follow_redirects=False)
        tried += 1
        assert SECRET not in resp.text, path
        if path not in KNOWN_NAME_LEAKS:
            assert "Démoville" not in resp.text, path
    assert tried > 50
