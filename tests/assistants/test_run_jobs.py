"""A form assistant's run is a background job: it ends whatever the browser does, the result page
reattaches to it (text so far, then the stream from the database), a failure says why in
French, and « réessayer » brings the inputs back."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from civia.assistants import launch
from civia.assistants.jobs import part_notes
from civia.assistants.models import AssistantRun
from civia.jobs.models import Job
from civia.jobs.worker import Worker
from civia.providers.models import Provider
from civia.settings import Settings
from tests.chat.helpers import events
from tests.conftest import Personas, build_app, login_as, page_text
from tests.servers import garbage_server

TEXT = "La mairie sera fermée le lundi 4 mai pour inventaire. Merci de votre compréhension."
FORM = {"texte": TEXT, "registre": "courrier usager FALC", "longueur": "plus court"}


def _submit(client: TestClient, headers: dict[str, str]) -> tuple[str, int]:
    resp = client.post("/assistants/reformulation", data=FORM, headers=headers,
                       follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303, page_text(resp)[-1500:]
    url = resp.headers["location"]
    return url, int(url.rsplit("/", 1)[1])


def _work(client: TestClient) -> bool:
    app = client.app
    return Worker(app.state.sessions, app.state.settings, {}).run_once("redaction")  # type: ignore[attr-defined]


def _row(client: TestClient, run_id: int) -> tuple[str, str, str, Job | None]:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = db.get(AssistantRun, run_id)
        job = db.get(Job, run.job_id) if run.job_id else None
        if job is not None:
            db.expunge(job)
        return run.status, run.draft, run.error, job


def test_a_model_failure_says_why_and_retry_brings_the_inputs_back(
    client: TestClient, personas: Personas
) -> None:
    with garbage_server() as base:
        with client.app.state.sessions() as db:  # type: ignore[attr-defined]
            db.execute(update(Provider).where(Provider.tenant_id == personas.tenant.id)
                       .values(enabled=False))  # fmt: skip
            db.add(Provider(tenant_id=personas.tenant.id, name="Serveur cassé", kind="openai_compat",
                            base_url=base, models=["casse"], is_default=True))  # fmt: skip
            db.commit()
        headers = login_as(client, "agent")
        url, run_id = _submit(client, headers)
        assert _row(client, run_id)[0] == "pending"  # nothing ran in the request
        assert _work(client)
    status, _, error, job = _row(client, run_id)
    assert status == "error" and job is not None and job.status == "failed"
    assert job.queue == "redaction"  # not behind the long documents of "assistants"
    assert error and "réf." in error and error.split(" (réf.")[0] == job.error.split(" (réf.")[0]
    final = events(client.get(f"{url}/flux").text)[-1]
    assert final[0] == "done" and final[1]["status"] == "error" and final[1]["error"] == error
    page = client.get(url).text
    assert error.split(" (")[0] in page_text(client.get(url))
    assert f'href="/assistants/reformulation?reprendre={run_id}"' in page
    form = client.get(f"/assistants/reformulation?reprendre={run_id}").text
    assert f">{TEXT}</textarea>" in form
    assert '<option value="courrier usager FALC" selected' in form.replace('"selected"', "")
    assert "Vos saisies précédentes sont reprises" in form
    assert "ajoutez-les à nouveau" not in form  # no file in this form
    login_as(client, "carol")  # an agent of another collectivité cannot read them
    assert client.get(f"/assistants/reformulation?reprendre={run_id}").status_code == 404


def test_the_retry_of_a_file_run_asks_for_the_file_again(
    client: TestClient, personas: Personas
) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = AssistantRun(
            tenant_id=personas.tenant.id, user_id=personas["agent"].id,
            service_id=personas.service_a.id, assistant_id="traduction",
            inputs={"fichier": "guide.docx", "langue": "allemand"}, status="error", error="",
        )  # fmt: skip
        db.add(run)
        db.commit()
        run_id = run.id
    login_as(client, "agent")
    page = page_text(client.get(f"/resultats/{run_id}"))
    assert "La génération s'est interrompue sans réponse du modèle." in page  # never empty
    form = page_text(client.get(f"/assistants/traduction?reprendre={run_id}"))
    assert "Les fichiers ne sont pas conservés : ajoutez-les à nouveau" in form
    assert "Déposez à nouveau le fichier (« guide.docx »)" in form
    assert '<option value="allemand" selected' in form.replace('"selected"', "")


def _streaming_run(client: TestClient, personas: Personas, draft: str) -> int:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = AssistantRun(
            tenant_id=personas.tenant.id, user_id=personas["agent"].id,
            service_id=personas.service_a.id, assistant_id="reformulation",
            inputs={"texte": TEXT, "registre": "note au président", "longueur": "équivalente"},
            status="streaming", draft=draft,
        )  # fmt: skip
        db.add(run)
        db.flush()
        launch.enqueue(db, run)
        db.commit()
        return run.id


def test_reopened_page_shows_the_text_so_far_and_the_stream_follows_the_row(
    client: TestClient, personas: Personas
) -> None:
    run_id = _streaming_run(client, personas, "Madame, Monsieur,\nLa mairie")
    login_as(client, "agent")
    page = client.get(f"/resultats/{run_id}").text
    assert 'data-status="streaming"' in page  # civia.js opens the stream
    assert '<pre id="run-live" class="live">Madame, Monsieur,\nLa mairie</pre>' in page
    assert "Annuler" in page and "le traitement continue" in page

    def job_writes() -> None:  # what the job does meanwhile, as another process would
        for values in ({"draft": "Madame, Monsieur,\nLa mairie sera fermée"},
                       {"draft": "# Note\n\nLa mairie sera fermée lundi.\n", "status": "draft"}):  # fmt: skip
            time.sleep(0.7)
            with client.app.state.sessions() as db:  # type: ignore[attr-defined]
                db.execute(update(AssistantRun).where(AssistantRun.id == run_id).values(**values))
                db.commit()

    writer = threading.Thread(target=job_writes)
    writer.start()
    got = events(client.get(f"/resultats/{run_id}/flux").text)
    writer.join()
    tokens = "".join(data["t"] for kind, data in got if kind == "token")
    assert tokens == "Madame, Monsieur,\nLa mairie sera fermée"
    assert got[-1][0] == "done" and got[-1][1]["status"] == "draft"
    assert got[-1][1]["draft"] == "# Note\n\nLa mairie sera fermée lundi.\n"


def test_a_cancelled_run_says_so(client: TestClient, personas: Personas) -> None:
    run_id = _streaming_run(client, personas, "")
    headers = login_as(client, "agent")
    job_id = _row(client, run_id)[3].id  # type: ignore[union-attr]
    assert client.post(f"/travaux/{job_id}/annuler", headers=headers).status_code in (200, 303)
    final = events(client.get(f"/resultats/{run_id}/flux").text)[-1]
    assert (
        final[1]["status"] == "error" and final[1]["error"] == "Génération annulée à votre demande."
    )
    assert "Génération annulée à votre demande." in page_text(client.get(f"/resultats/{run_id}"))


@pytest.mark.model
def test_a_run_ends_when_nobody_follows_it(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    url, run_id = _submit(client, headers)
    assert _work(client)  # the page was never opened: no stream, the job alone
    status, draft, error, job = _row(client, run_id)
    assert status == "draft" and draft.strip() and job is not None and job.status == "done", error
    page = client.get(url).text
    assert 'id="run-editor"' in page and draft.strip().splitlines()[0][:20] in page_text(
        client.get(url)
    )
    final = events(client.get(f"{url}/flux").text)[-1]
    assert final[0] == "done" and final[1]["status"] == "draft" and final[1]["draft"] == draft


def test_the_web_app_worker_runs_it_with_nobody_on_the_page(
    settings: Settings, password_hash: str
) -> None:
    """Embedded profile: the web process's own worker takes the run; no page is ever opened."""
    client, personas = build_app(settings.model_copy(update={"jobs_in_process": True}),
                                 password_hash)  # fmt: skip
    with garbage_server() as base, client:
        with client.app.state.sessions() as db:  # type: ignore[attr-defined]
            db.execute(update(Provider).where(Provider.tenant_id == personas.tenant.id)
                       .values(enabled=False))  # fmt: skip
            db.add(Provider(tenant_id=personas.tenant.id, name="Serveur cassé", kind="openai_compat",
                            base_url=base, models=["casse"], is_default=True))  # fmt: skip
            db.commit()
        _, run_id = _submit(client, login_as(client, "agent"))
        deadline = time.monotonic() + 20
        while _row(client, run_id)[0] in ("pending", "streaming") and time.monotonic() < deadline:
            time.sleep(0.2)
        status, _, error, job = _row(client, run_id)
    client.app.state.engine.dispose()  # type: ignore[attr-defined]
    assert status == "error" and error and job is not None and job.status == "failed"


def test_minutes_being_written_read_as_text_even_without_javascript(
    client: TestClient, personas: Personas
) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = AssistantRun(
            tenant_id=personas.tenant.id, user_id=personas["agent"].id,
            service_id=personas.service_a.id, assistant_id="compte-rendu",
            inputs={"titre": "Conseil d'école", "notes": "Mme Lenoir : budget voté."},
            status="streaming",
            draft='{"participants": ["Mme Lenoir"], "ordre_du_jour": ["Budget"], "synthese": "Le bud',
        )  # fmt: skip
        db.add(run)
        db.flush()
        launch.enqueue(db, run)
        db.commit()
        run_id = run.id
    login_as(client, "agent")
    page = page_text(client.get(f"/resultats/{run_id}"))
    assert '<pre id="run-live" class="live">Mme Lenoir\n\nBudget\n\nLe bud</pre>' in page
    assert '"participants"' not in page and "{" not in page.split('id="run-live"')[1][:80]
    # Without JavaScript the page reloads itself until the draft is there.
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page


def test_a_document_s_part_notes_are_kept_with_their_part_numbers() -> None:
    """A document worked part by part (traduction of a PDF) shows what each part's post-checks
    changed, once per note, with the parts it concerns."""
    hours = "Heures passées au format 24 h, d'après le texte d'origine : « 5 pm » → « 17 h »."
    parts = [{"notes": [hours]}, {"notes": []}, {"notes": [hours, "Autre note."]}, {}]
    assert part_notes(parts) == [f"Partie(s) 1, 3 : {hours}", "Partie(s) 3 : Autre note."]
