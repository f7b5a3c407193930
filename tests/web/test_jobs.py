"""Job pages: owners (and their collectivité's admins) follow and cancel; others get a 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

from civia.jobs import queue
from civia.jobs.models import Job
from tests.conftest import Personas, login_as, page_text
from tests.jobs import conftest as _kinds  # noqa: F401 - registers the test job kinds


def _job_for(client: TestClient, personas: Personas, login: str) -> int:
    user = personas[login]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        job = queue.enqueue(
            db, tenant_id=user.tenant_id, user_id=user.id, kind="test.echo", queue="test",
            payload={"name": "rapport.pdf"},
        )  # fmt: skip
        db.commit()
        return job.id


def test_owner_follows_progress_as_json_html_and_fragment(
    client: TestClient, personas: Personas
) -> None:
    job_id = _job_for(client, personas, "agent")
    login_as(client, "agent")
    data = client.get(f"/travaux/{job_id}", headers={"Accept": "application/json"}).json()
    assert data["status"] == "queued" and data["label"] == "En file d'attente"
    fragment = client.get(f"/travaux/{job_id}", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in fragment.text and "<progress" in fragment.text
    assert "rapport.pdf" in page_text(client.get("/travaux"))


def test_others_get_404_and_admin_of_the_tenant_sees(
    client: TestClient, personas: Personas
) -> None:
    job_id = _job_for(client, personas, "agent")
    for login, status in (("bob", 404), ("olivia", 404), ("referent", 404), ("admin", 200)):
        client.cookies.clear()
        login_as(client, login)
        assert client.get(f"/travaux/{job_id}").status_code == status, login


def test_cancel_needs_csrf_then_stops_the_job(client: TestClient, personas: Personas) -> None:
    job_id = _job_for(client, personas, "agent")
    headers = login_as(client, "agent")
    assert client.post(f"/travaux/{job_id}/annuler").status_code == 403
    resp = client.post(f"/travaux/{job_id}/annuler", headers={**headers, "HX-Request": "true"})
    assert resp.status_code == 200 and "Annulé" in page_text(resp)
    assert "hx-trigger" not in resp.text  # finished: the bar stops polling
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.get(Job, job_id).status == "cancelled"  # type: ignore[union-attr]
    again = client.post(f"/travaux/{job_id}/annuler", headers=headers)
    assert again.status_code == 409 and "déjà terminé" in page_text(again)


def test_a_page_waiting_for_its_own_result_reloads_when_the_job_is_done(
    client: TestClient, personas: Personas
) -> None:
    job_id = _job_for(client, personas, "agent")
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        job = db.get(Job, job_id)
        assert job is not None
        job.status, job.result = "done", {"url": "/reunions/7"}
        db.commit()
    login_as(client, "agent")
    poll = {"HX-Request": "true", "HX-Current-URL": "http://testserver/reunions/7"}
    assert client.get(f"/travaux/{job_id}", headers=poll).headers.get("HX-Refresh") == "true"
    elsewhere = {"HX-Request": "true", "HX-Current-URL": "http://testserver/travaux"}
    fragment = client.get(f"/travaux/{job_id}", headers=elsewhere)
    assert "HX-Refresh" not in fragment.headers and "Voir le résultat" in fragment.text
