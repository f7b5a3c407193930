"""How the web app's JSON routes appear in the OpenAPI schema.

A handful of page routes answer JSON to the scripts of the pages (sending a message, polling a
job, saving a transcript, uploading a recording). They are tagged `JSON_TAG` and declare every
answer they give, so that the schema served at `/openapi.json` describes them exactly and
schemathesis can check them (tests/web/test_json_routes_fuzz.py). Routes that read their body
themselves (streamed uploads, the transcript form) declare it with `form_body`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, RootModel

JSON_TAG = "json"

# What an error answer of a JSON route says (French), whatever refused it: the route, the
# session check (401), the CSRF check (403), the charter gate (403), validation (422), the
# body-size limit (413), a quota (429).
ERRORS = {
    400: "Corps de requête illisible",
    401: "Session absente ou expirée",
    403: "Jeton CSRF absent ou faux, charte non acceptée",
    404: "Objet inexistant ou d'un autre utilisateur",
    409: "Conflit avec l'état de l'objet",
    413: "Corps trop volumineux",
    415: "Fichier d'un format refusé",
    422: "Requête invalide",
    429: "Quota atteint",
    503: "Service indisponible (outil système absent)",
}


class Detail(BaseModel):
    detail: str


class JsonDocument(RootModel[dict[str, Any]]):
    """A JSON document whose sections vary (a person's data export, the open data of the
    transparency register)."""


class Sent(BaseModel):
    conversation_id: int
    url: str
    title: str
    user_html: str
    answer_id: int
    stream_url: str
    stop_url: str


class Regenerated(BaseModel):
    answer_id: int
    stream_url: str
    stop_url: str


class JobProgress(BaseModel):
    id: int
    kind: str
    status: str
    label: str
    percent: int
    eta_seconds: int | None
    eta: str
    message: str
    error: str
    finished: bool
    cancel_requested: bool
    url: str


class Uploaded(BaseModel):
    url: str
    id: int


class TranscriptSaved(BaseModel):
    version: int
    message: str


def responses(
    ok: int, model: type[BaseModel] | None, *errors: int, html: bool = False, public: bool = False
) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a JSON route: its success (`model`, or no content) and its errors.
    `html`: the route also answers a page (without `Accept: application/json`); `public`: no
    login, so no 401/403."""
    answers: dict[int | str, dict[str, Any]] = {}
    success: dict[str, Any] = {"description": "Succès"}
    if model is not None:
        success["model"] = model
    if html:
        success["content"] = {"text/html": {"schema": {"type": "string"}}}
    answers[ok] = success
    for status in sorted({422, *errors} | (set() if public else {401, 403})):
        answers[status] = {"description": ERRORS[status], "model": Detail}
    return answers


def form_body(
    properties: dict[str, dict[str, Any]], required: list[str], *, multipart: bool = False
) -> dict[str, Any]:
    """`openapi_extra` declaring the form a route reads itself (not through FastAPI's Form)."""
    media = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
    schema = {"type": "object", "properties": properties, "required": required}
    return {"requestBody": {"required": True, "content": {media: {"schema": schema}}}}


def integer_only(schema: dict[str, Any]) -> None:
    """An optional form field is absent when empty, never `null` (a form has no null): the
    schema says integer, and the field may be left out."""
    for branch in schema.pop("anyOf", []):
        if branch.get("type") == "integer":
            schema.update(branch)  # its bounds included
    schema["type"] = "integer"
