"""Every assistant through `/v1/chat/completions` with `model="assistant:<id>"`: fields as a
JSON object or the main text as the message, files as OpenAI `file` content parts."""

from __future__ import annotations

import base64
import json

import pytest
from fastapi.testclient import TestClient

from civia.assistants.catalogue import builtins
from tests.api.test_openai_api import _auth, _token
from tests.assistants.test_builtins import CASES
from tests.conftest import Personas
from tests.documents import table_files


def _file_part(name: str, data: bytes) -> dict[str, object]:
    encoded = base64.b64encode(data).decode()
    return {
        "type": "file",
        "file": {"filename": name, "file_data": f"data:application/octet-stream;base64,{encoded}"},
    }


def _ask(client: TestClient, token: str, assistant: str, content: object, **extra: object):
    body = {
        "model": f"assistant:{assistant}",
        "messages": [{"role": "user", "content": content}],
        **extra,
    }
    return client.post("/v1/chat/completions", json=body, headers=_auth(token))


def test_every_form_assistant_is_listed(client: TestClient, personas: Personas) -> None:
    data = client.get("/v1/models", headers=_auth(_token(client, "agent"))).json()["data"]
    ids = {m["id"] for m in data}
    assert {f"assistant:{a}" for a in builtins()} <= ids and len(builtins()) == 15  # 14 + chat


def test_tables_from_a_pdf_sent_as_a_file_part(client: TestClient, personas: Personas) -> None:
    content = [{"type": "text", "text": json.dumps({"besoin": "budget"})},
               _file_part("rapport.pdf", table_files.budget_pdf())]  # fmt: skip
    resp = _ask(client, _token(client, "agent"), "extraction-donnees", content)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    tables = data["civia"]["data"]["tables"]
    assert [t["where"] for t in tables] == ["p. 2"] and tables[0]["rows"][0][0] == "011"
    assert "## Tableau 1 (p. 2) : Budget primitif 2026" in data["choices"][0]["message"]["content"]


@pytest.mark.parametrize(
    ("assistant", "content", "words"),
    [
        ("courrier", [_file_part("a.pdf", b"%PDF")], "n'accepte pas de fichier"),
        ("extraction-donnees", [{"type": "file", "file": {"filename": "a.pdf", "file_data": "@@@"}}],
         "base64 valide"),
        ("extraction-donnees", [_file_part("note.pdf", table_files.text_only_pdf())], "Aucun tableau"),
        ("extraction-donnees", "{}", "Déposez un fichier"),
        ("faq", json.dumps({"sujet": "Cantine", "collection": 999}), "Choisissez une collection"),
    ],
)  # fmt: skip
def test_bad_inputs_are_422_in_french(
    client: TestClient, personas: Personas, assistant: str, content: object, words: str
) -> None:
    resp = _ask(client, _token(client, "agent"), assistant, content)
    assert resp.status_code == 422 and words in resp.json()["error"]["message"], resp.text


@pytest.mark.model
def test_a_text_too_long_for_the_context_says_by_how_much(
    client: TestClient, personas: Personas
) -> None:
    notes = "Le conseil municipal a débattu longuement du budget de la voirie. " * 900
    resp = _ask(
        client,
        _token(client, "agent"),
        "compte-rendu",
        json.dumps({"titre": "Conseil", "notes": notes}),
    )
    assert resp.status_code == 422
    message = resp.json()["error"]["message"]
    assert "« Notes brutes ou transcription » est trop long pour le modèle" in message
    assert "retirez environ" in message and "4 096 jetons" in message.replace("\u202f", " ")


# Every built-in runs on the model with these inputs through the web form
# (tests/assistants/test_builtins.py), on the same runner: here, the structured ones whose
# answer the API shapes from the collectivité's data (a letter and its follow-up, a triage
# checked against the routing rules); the text ones are the streamed correction and the
# translated DOCX below.
@pytest.mark.model
@pytest.mark.parametrize("assistant_id", ["courrier", "tri-demandes"])
def test_builtins_answer_through_the_api(
    client: TestClient, personas: Personas, assistant_id: str
) -> None:
    values, check = CASES[assistant_id]
    resp = _ask(client, _token(client, "agent"), assistant_id, json.dumps(values))
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["model"] == f"assistant:{assistant_id}"
    content = data["choices"][0]["message"]["content"]
    assert check(content), content
    assert data["usage"]["completion_tokens"] > 0
    assert data["usage"]["cost"] >= 0 and data["usage"]["carbon"]["kWh"]["max"] > 0


@pytest.mark.model
def test_plain_message_and_streaming(client: TestClient, personas: Personas) -> None:
    token = _token(client, "agent")
    resp = _ask(client, token, "correction", "Les enfant sont aller a la piscine.", stream=True)
    lines = [line[6:] for line in resp.text.splitlines() if line.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    text = "".join(json.loads(x)["choices"][0]["delta"].get("content", "") for x in lines[:-1])
    assert "enfants" in text
    last = json.loads(lines[-2])  # the last chunk: usage with cost and carbon
    assert last["usage"]["completion_tokens"] > 0 and "kgCO2eq" in last["usage"]["carbon"]


@pytest.mark.model
def test_a_docx_sent_as_a_file_part_is_translated(client: TestClient, personas: Personas) -> None:
    content = [{"type": "text", "text": json.dumps({"langue": "anglais"})},
               _file_part("guide.docx", table_files.english_docx())]  # fmt: skip
    resp = _ask(client, _token(client, "agent"), "traduction", content)
    assert resp.status_code == 200, resp.text
    text = resp.json()["choices"][0]["message"]["content"]
    assert "lundi" in text.lower() and "|" in text
