"""File fields: Traduction of an uploaded document (block by block as a job, DOCX out), and
the French messages for files that cannot be read."""

from __future__ import annotations

import io
import re

import docx
import pytest
from fastapi.testclient import TestClient

from civia.assistants import files
from civia.assistants.models import AssistantRun
from civia.jobs.models import Job
from civia.jobs.worker import Worker
from tests.conftest import Personas, login_as, page_text
from tests.documents import table_files


def _translate(client: TestClient, headers: dict[str, str], data: bytes, name: str, text: str = ""):
    return client.post(
        "/assistants/traduction",
        data={"texte": text, "langue": "anglais"},
        files={"fichier": (name, data, "application/octet-stream")} if data else None,
        headers=headers,
        follow_redirects=False,
    )


def test_blocks_keep_headings_paragraphs_and_table_grids() -> None:
    read = files.read_document(table_files.english_docx(), "guide.docx", max_bytes=10**7)
    kinds = [b["kind"] for b in read["blocks"]]
    assert kinds == ["heading", "paragraph", "heading", "table", "paragraph"]
    table = read["blocks"][3]
    assert table["header"] == ["Service", "Price"] and table["rows"][0] == [
        "School canteen",
        "3.50 euros",
    ]
    md = files.markdown(read)
    assert (
        md.startswith("# Opening hours")
        and "## Prices" in md
        and "| School canteen | 3.50 euros |" in md
    )


def test_batches_cut_between_blocks_and_repeat_table_headers() -> None:
    rows = [[f"Row {i}", "x" * 40] for i in range(200)]
    blocks = [{"kind": "heading", "level": 1, "text": "Title"},
              {"kind": "paragraph", "text": "A sentence. " * 400},
              {"kind": "table", "header": ["Name", "Value"], "rows": rows}]  # fmt: skip
    parts = files.batches(blocks, max_chars=1000)
    assert all(len(p) <= 1000 for p in parts) and len(parts) > 10
    tables = [p for p in parts if p.startswith("| Name | Value |")]
    assert len(tables) > 2 and sum(p.count("| Row ") for p in tables) == 200


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "", "Renseignez « Texte à traduire » ou « Document à traduire"),
        (table_files.corrupted_docx(), "abime.docx", "« abime.docx » est endommagé"),
        (table_files.scanned_pdf(), "scan.pdf", "pages numérisées"),
        (b"MZ\x90\x00binary", "outil.exe", "n'est pas pris en charge"),
    ],
)
def test_unreadable_files_get_precise_messages(
    client: TestClient, personas: Personas, data: bytes, name: str, words: str
) -> None:
    headers = login_as(client, "agent")
    resp = _translate(client, headers, data, name)
    assert resp.status_code == 422 and words in page_text(resp), page_text(resp)[-2000:]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.query(AssistantRun).count() == 0


def test_form_offers_the_file_field_and_multipart(client: TestClient, personas: Personas) -> None:
    login_as(client, "agent")
    page = client.get("/assistants/traduction").text
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    assert 'accept=".pdf,.docx' in page and '<label for="f-fichier">' in page


@pytest.mark.model
def test_uploaded_docx_comes_back_in_french_with_its_table(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "agent")
    resp = _translate(client, headers, table_files.english_docx(), "guide.docx")
    assert resp.status_code == 303, page_text(resp)[-1500:]
    url = resp.headers["location"]
    page = page_text(client.get(url))
    assert "Avancement" in page and "<progress" in page  # a job with a progress bar
    app = client.app
    assert Worker(app.state.sessions, app.state.settings, {}).run_once("assistants")  # type: ignore[attr-defined]
    with app.state.sessions() as db:  # type: ignore[attr-defined]
        run = db.get(AssistantRun, int(url.rsplit("/", 1)[1]))
        job = db.get(Job, run.job_id)
        assert job.status == "done" and job.result["url"] == url, job.error
        assert run.status == "draft", run.error
        draft = run.draft
    assert re.search(r"horaires|ouverture", draft, re.I) and re.search(r"lundi", draft, re.I)
    assert draft.lstrip().startswith("#") and re.search(r"^\|.*\|$", draft, re.M)
    client.post(f"{url}/valider", data={"text": draft}, headers=headers)
    out = docx.Document(io.BytesIO(client.get(f"{url}/export/docx").content))
    assert out.tables and len(out.tables[0].rows) == 3  # header + 2 rows, as in the original
    assert any(p.style.name.startswith("Heading") for p in out.paragraphs)


def test_a_referent_adds_a_file_field_in_the_builder(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "referent")
    form = {
        "id": "resume-note", "name": "Résumé de note", "description": "", "category": "Rédaction",
        "icon": "📝", "instructions": "Tu résumes des notes de service en français.",
        "prompt": "Résume : {{ note }}", "sharing": "service", "output.kind": "text",
        "fields.0.name": "note", "fields.0.label": "Note à résumer", "fields.0.kind": "file",
        "fields.0.required": "true", "action": "save",
    }  # fmt: skip
    resp = client.post("/atelier/nouveau", data=form, headers=headers, follow_redirects=False)
    assert resp.status_code == 303, page_text(resp)[-1500:]
    page = client.get("/assistants/resume-note").text  # the owner tries the draft
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    resp = client.post(
        "/assistants/resume-note", files={"note": ("note.docx", table_files.english_docx(), "x")},
        headers=headers, follow_redirects=False,
    )  # fmt: skip
    assert resp.status_code == 303
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = db.get(AssistantRun, int(resp.headers["location"].rsplit("/", 1)[1]))
        job = db.get(Job, run.job_id)
        assert job.kind == "assistants.document" and job.queue == "assistants"
        assert run.attachments["note"]["filename"] == "note.docx"


@pytest.mark.model
def test_a_cut_translation_says_so(client: TestClient, personas: Personas) -> None:
    """finish_reason=length on a text assistant: the result carries a warning, not silence."""
    import asyncio

    from civia.assistants.catalogue import builtins
    from civia.assistants.runner import TRUNCATED_FR, RunResult, run
    from civia.chat.gateway import CallContext

    app = client.app
    spec = builtins()["traduction"]
    with app.state.sessions() as db:  # type: ignore[attr-defined]
        target = app.state.gateway.resolve(db, personas.tenant.id)  # type: ignore[attr-defined]
    ctx = CallContext(tenant_id=personas.tenant.id, user_id=personas["agent"].id,
                      service_id=None, source="web", assistant_id=spec.id)  # fmt: skip

    async def go() -> RunResult:
        outcome = RunResult()
        values = {"texte": "The town hall is open from Monday to Friday, 9 am to 5 pm.",
                  "langue": "anglais", "fichier": ""}  # fmt: skip
        async for item in run(spec, values, context={}, gateway=app.state.gateway, ctx=ctx,  # type: ignore[attr-defined]
                              target=target, max_tokens=6):  # fmt: skip
            if isinstance(item, RunResult):
                outcome = item
        return outcome

    outcome = asyncio.run(go())
    assert outcome.truncated and outcome.warning == TRUNCATED_FR


def test_the_warning_is_shown_beside_the_draft(client: TestClient, personas: Personas) -> None:
    from civia.assistants.runner import TRUNCATED_FR

    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = AssistantRun(tenant_id=personas.tenant.id, user_id=personas["agent"].id,
                           assistant_id="traduction", inputs={"texte": "x"}, status="draft",
                           draft="La mairie est ouverte du", warning=TRUNCATED_FR)  # fmt: skip
        db.add(run)
        db.commit()
        run_id = run.id
    login_as(client, "agent")
    assert "Le texte a été coupé" in page_text(client.get(f"/resultats/{run_id}"))


def test_a_document_run_is_left_to_its_job(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    resp = _translate(client, headers, table_files.english_docx(), "guide.docx")
    url = resp.headers["location"]
    page = client.get(url).text
    assert 'data-status="job"' in page  # a progress bar, no text stream: parts come one by one
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.get(AssistantRun, int(url.rsplit("/", 1)[1])).status == "pending"
