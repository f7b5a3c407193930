"""`/healthz` (the process answers), `/readyz` (it can serve: database, Redis, queue, default
model) and `/metrics` (Prometheus). No login; probe details and metrics only for the operator
(declared network or bearer token), anonymous callers get the status alone."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from civia.ops import metrics, readiness
from civia.ops.access import is_operator

router = APIRouter()
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/healthz", include_in_schema=False)
def healthz() -> Response:
    return JSONResponse({"status": "ok"}, headers=NO_STORE)


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> Response:
    state = request.app.state
    checks = await asyncio.to_thread(readiness.run_all, state.sessions, state.settings)
    ready = all(check.ok for check in checks)
    body: dict[str, object] = {"status": "ok" if ready else "indisponible"}
    if is_operator(request):
        body["checks"] = {check.name: {"ok": check.ok, "detail": check.detail} for check in checks}
    return JSONResponse(body, status_code=200 if ready else 503, headers=NO_STORE)


@router.get("/metrics", include_in_schema=False)
async def metrics_page(request: Request) -> Response:
    if not is_operator(request):
        # The same answer for a missing or a wrong token: nothing to learn by trying.
        raise HTTPException(403, "Réservé à l'exploitant de la plateforme.")
    state = request.app.state
    body, content_type = await asyncio.to_thread(metrics.exposition, state.sessions)
    return Response(body, media_type=content_type, headers=NO_STORE)
