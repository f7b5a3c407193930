"""The OpenAPI schema, for API-token holders and logged-in users only.

FastAPI's own `/openapi.json` is public and its `/docs` page loads Swagger UI from a CDN: both
are off (see `create_app`); the schema is served here behind authentication."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from civia.api.openai import api_user
from civia.web.deps import Db, current_session

router = APIRouter()


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request, db: Db) -> JSONResponse:
    if request.headers.get("authorization"):
        api_user(request, db)  # a bad token is a 401, never a fallback to the cookie
    else:
        current_session(request, db)
    schema: dict[str, Any] = request.app.openapi()
    return JSONResponse(schema, headers={"Cache-Control": "private, no-store"})
