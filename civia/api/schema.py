"""The OpenAPI schema, for API-token holders and logged-in users only.

FastAPI's own `/openapi.json` is public and its `/docs` page loads Swagger UI from a CDN: both
are off (see `create_app`); the schema is served here behind authentication."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from civia.web.deps import UserOrApi

router = APIRouter()


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request, user: UserOrApi) -> JSONResponse:
    schema: dict[str, Any] = request.app.openapi()
    return JSONResponse(schema, headers={"Cache-Control": "private, no-store"})
