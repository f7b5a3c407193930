"""The queue in the browser: connect a declared mailbox, fetch now, see the service's queue,
edit and validate a reply that lands in the real mailbox's Drafts folder, threaded."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient
from imapclient import IMAPClient
from sqlalchemy import delete, select

from civia.audit.models import AuditEntry
from civia.chat.gateway import Gateway
from civia.db.base import utcnow
from civia.db.engine import session_scope
from civia.governance import usecases
from civia.jobs.models import Job, JobStatus
from civia.jobs.worker import Worker
from civia.mailbox import follow, jobs, process
from civia.mailbox.models import Mailbox, MailMessage, MessageStatus
from civia.settings import Settings
from tests.conftest import Personas, build_app, login, login_as, page_text
from tests.documents.web import new_collection, run_jobs, upload
from tests.mailbox.conftest import LOGIN, citizen_mail, declare, deliver
from tests.servers import free_port


@pytest.fixture
def app(mail_settings: Settings, password_hash: str) -> Iterator[tuple[TestClient, Personas]]:
    client, personas = build_app(mail_settings, password_hash)
    with client:
        yield client, personas
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def csrf_of(headers: dict[str, str]) -> dict[str, str]:
    return {"csrf_token": headers["X-CSRF-Token"]}


def _connect(client: TestClient, personas: Personas, service_id: int | None = None) -> None:
    csrf = login(client, "admin")
    page = client.get("/admin/courriels")
    assert page.status_code == 200
    service_id = service_id or personas.service_a.id
    resp = client.post(
        "/admin/courriels",
        data={"key": "accueil", "service_id": service_id, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert resp.status_code == 303


def _fetch_now(client: TestClient, user: str) -> str:
    csrf = login(client, user)
    resp = client.post("/courriels/relever", data={"csrf_token": csrf})
    assert resp.status_code == 200
    return page_text(resp)


def _only_message(client: TestClient) -> MailMessage:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        [message] = db.scalars(select(MailMessage)).all()
        db.expunge(message)
        return message


def test_admin_picks_among_declared_mailboxes_only(
    app: tuple[TestClient, Personas], imap: IMAPClient
) -> None:
    client, personas = app
    login(client, "agent")
    assert client.get("/admin/courriels").status_code == 403
    csrf = login(client, "admin")
    text = page_text(client.get("/admin/courriels"))
    assert "Accueil de la mairie (accueil@demoville.test)" in text
    assert "autreville" not in text and "imap-secret" not in text  # another tenant's, a secret
    bad = client.post("/admin/courriels", data={"key": "autreville", "service_id":
                      personas.service_a.id, "csrf_token": csrf})  # fmt: skip
    assert bad.status_code == 422 and "n'est pas déclarée" in page_text(bad)
    _connect(client, personas)
    # Each row's button names its mailbox for screen readers (RGAA 11.9).
    buttons = BeautifulSoup(client.get("/admin/courriels").text, "html.parser").select("td button")
    assert [" ".join(b.get_text().split()) for b in buttons] == [
        "Mettre en pause la boîte Accueil de la mairie"
    ]
    login(client, "olivia")  # the other collectivité's admin sees only its own declaration
    other = page_text(client.get("/admin/courriels"))
    assert "mairie@autreville.test" in other and "Accueil de la mairie" not in other


def test_fetch_now_fills_the_queue_of_the_service_only(
    app: tuple[TestClient, Personas], imap: IMAPClient
) -> None:
    client, personas = app
    _connect(client, personas)
    deliver(imap, citizen_mail())
    assert "1 nouveau message relevé ; analyse en cours." in _fetch_now(client, "agent")
    assert "Aucun nouveau" not in _fetch_now(client, "agent") and "0 nouveau" in _fetch_now(
        client, "agent"
    )
    message = _only_message(client)
    # Post/Redirect/Get: reloading the page the button led to shows the queue, fetching nothing.
    csrf = login(client, "agent")
    resp = client.post("/courriels/relever", data={"csrf_token": csrf}, follow_redirects=False)
    assert (resp.status_code, resp.headers["location"]) == (303, "/courriels?releves=0")
    deliver(imap, citizen_mail(subject="Bruit de voisinage"))
    assert "0 nouveau message relevé." in page_text(client.get("/courriels?releves=0"))
    assert _only_message(client).id == message.id  # the second email waits for a real fetch
    queue = page_text(client.get("/courriels"))
    assert "Demande d'acte de naissance" in queue and "En attente d'analyse" in queue
    assert "Accueil de la mairie · dernier relevé le" in queue  # the operator's label, not the key
    # Digits Python reads as such but `int` refuses, or too many: the queue, not a 500.
    for odd in ("²", "9" * 5000):
        for name in ("releves", "service"):
            resp = client.get(f"/courriels?{name}={odd}")
            assert resp.status_code == 200 and "Demande d'acte de naissance" in page_text(resp)
    assert "Service chargé" in queue and "Service proposé" not in queue  # not yet proposed
    assert client.get(f"/courriels/{message.id}").status_code == 200
    login(client, "bob")  # service Urbanisme: not his queue
    assert "Demande d'acte de naissance" not in page_text(client.get("/courriels"))
    assert client.get(f"/courriels/{message.id}").status_code == 404
    login(client, "carol")  # another collectivité
    assert client.get(f"/courriels/{message.id}").status_code == 404
    assert "Aucune boîte partagée n'est connectée" in page_text(client.get("/courriels"))


EMPTY_MAIL = b"From: x@exemple.fr\r\n\r\n"  # analysed without the model: nothing to read


def _run_job(client: TestClient, settings: Settings) -> bool:
    """Run the next analysis job as a worker of the `courriels` queue would."""
    return Worker(client.app.state.sessions, settings, {}).run_once(jobs.QUEUE)  # type: ignore[attr-defined]


def _jobs(client: TestClient) -> list[Job]:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        found = list(db.scalars(select(Job).order_by(Job.id)))
        db.expunge_all()
        return found


def test_fetch_now_has_the_new_messages_analysed_by_a_job_at_once(
    app: tuple[TestClient, Personas], imap: IMAPClient, mail_settings: Settings
) -> None:
    """No periodic analysis runs here: the job the fetch queued analyses the message, and the
    page says so until it is done, then shows the analysed queue."""
    client, personas = app
    _connect(client, personas)
    deliver(imap, EMPTY_MAIL)
    csrf = login(client, "agent")
    resp = client.post("/courriels/relever", data={"csrf_token": csrf}, follow_redirects=False)
    [job] = _jobs(client)
    followed = f"/courriels?releves=1&travaux={job.id}"
    assert (resp.status_code, resp.headers["location"]) == (303, followed)
    assert (job.kind, job.queue, job.status) == (jobs.KIND, "courriels", JobStatus.QUEUED)
    assert job.user_id == personas["agent"].id and job.tenant_id == personas.tenant.id
    message = _only_message(client)
    assert job.payload["message_ids"] == [message.id]
    page = client.get(followed)
    notice = BeautifulSoup(page.text, "html.parser").find(role="status")
    assert (
        notice is not None and notice.get_text() == "1 nouveau message relevé ; analyse en cours."
    )
    assert notice["hx-get"] == followed  # the page asks until the end
    polled = client.get(followed, headers={"HX-Request": "true"})
    assert polled.status_code == 204 and "HX-Refresh" not in polled.headers
    assert _run_job(client, mail_settings)
    analysed = _only_message(client)
    assert (analysed.status, analysed.problem) == (MessageStatus.FAILED, process.EMPTY_FR)
    [done] = _jobs(client)
    assert done.status == JobStatus.DONE and done.result["analysed"] == [message.id]
    assert done.message == "1 message traité sur 1, dont 1 analysé par ce traitement"
    polled = client.get(followed, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and polled.headers["HX-Refresh"] == "true"
    page = client.get(followed)
    notice = BeautifulSoup(page.text, "html.parser").find(role="status")
    assert notice is not None and notice.get_text() == (  # the analysis failed: said so
        "1 nouveau message relevé ; analyse terminée : 1 message en échec, à relancer depuis la "
        "file."
    )
    assert not notice.has_attr("hx-get") and "Analyse impossible" in page_text(page)
    assert "Analyse des courriels relevés" in page_text(client.get("/travaux"))  # the agent's
    # Nothing new: no job, nothing to follow.
    again = client.post("/courriels/relever", data={"csrf_token": csrf}, follow_redirects=False)
    assert again.headers["location"] == "/courriels?releves=0" and len(_jobs(client)) == 1
    zero = BeautifulSoup(client.get("/courriels?releves=0").text, "html.parser").find(role="status")
    assert zero is not None and zero.get_text() == "0 nouveau message relevé."
    assert not zero.has_attr("hx-get")


def test_a_message_is_analysed_once_when_the_tick_and_the_job_overlap(
    app: tuple[TestClient, Personas], imap: IMAPClient, mail_settings: Settings
) -> None:
    """The periodic analysis and the job take messages the same way (`process.claim`): the job
    skips those the periodic analysis holds or has done, and the reverse."""
    client, personas = app
    _connect(client, personas)
    for _ in range(3):
        deliver(imap, EMPTY_MAIL)
    _fetch_now(client, "agent")
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    with session_scope(sessions) as db:
        first, second, third = db.scalars(select(MailMessage.id).order_by(MailMessage.id))
        # The periodic analysis is in the middle of the first message (it claimed it)...
        assert process.claim(db) == first
    # ...and goes through the second, as a periodic run limited to one message would.
    assert process.process_pending(sessions, mail_settings, limit=1) == [second]
    assert _run_job(client, mail_settings)
    [job] = _jobs(client)
    assert job.status == JobStatus.DONE and job.result["analysed"] == [third]
    # Its progress counts what it analysed, not the messages the periodic analysis took.
    assert job.message == "3 messages traités sur 3, dont 1 analysé par ce traitement"
    assert process.process_pending(sessions, mail_settings) == []  # nothing left to do twice
    with session_scope(sessions) as db:
        states = {i: s for i, s in db.execute(select(MailMessage.id, MailMessage.status))}
    assert states == {first: MessageStatus.ANALYSING, second: MessageStatus.FAILED,
                      third: MessageStatus.FAILED}  # fmt: skip


def _waiting_elsewhere(client: TestClient, personas: Personas) -> int:
    """A message of the collectivité another press left « en cours d'analyse » (a worker died
    holding it): nothing this press started."""
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        box = db.scalars(select(Mailbox)).one()
        other = MailMessage(tenant_id=box.tenant_id, mailbox_id=box.id, uidvalidity=1, uid=999,
                            subject="Ancien", status=MessageStatus.ANALYSING,
                            claimed_at=utcnow(), service_id=personas.service_a.id)  # fmt: skip
        db.add(other)
        db.flush()
        return other.id


def _notice(client: TestClient, address: str) -> Tag:
    notice = BeautifulSoup(client.get(address).text, "html.parser").find(role="status")
    assert isinstance(notice, Tag)
    return notice


def test_the_page_follows_the_jobs_of_its_own_press_only(
    app: tuple[TestClient, Personas], imap: IMAPClient, mail_settings: Settings
) -> None:
    """The page asks while the messages of this press's jobs wait (ids in its address, read
    within the agent's collectivité), not while any message of the collectivité waits; a poll
    after the session expired swaps no login page in."""
    client, personas = app
    _connect(client, personas)
    deliver(imap, EMPTY_MAIL)
    csrf = login(client, "agent")
    elsewhere = _waiting_elsewhere(client, personas)
    resp = client.post("/courriels/relever", data={"csrf_token": csrf}, follow_redirects=False)
    [job] = _jobs(client)
    followed = resp.headers["location"]
    assert followed == f"/courriels?releves=1&travaux={job.id}"
    notice = _notice(client, followed)
    assert notice["hx-get"] == followed and notice["hx-swap"] == "none"
    assert client.get(followed, headers={"HX-Request": "true"}).status_code == 204
    # No worker serves `courriels` here: the periodic analysis takes the message, the job stays
    # queued, and the page reloads, though another message of the collectivité still waits.
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    assert process.process_pending(sessions, mail_settings) == job.payload["message_ids"]
    assert _jobs(client)[0].status == JobStatus.QUEUED
    polled = client.get(followed, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and polled.headers["HX-Refresh"] == "true"
    assert not _notice(client, followed).has_attr("hx-get")
    # The periodic analysis then closes the job no worker took, not before 2 minutes, and not
    # a job whose message still waits.
    with session_scope(sessions) as db:
        kept = jobs.hand_over(db, tenant_id=job.tenant_id, message_ids=[elsewhere],
                              user_id=job.user_id)  # fmt: skip
        assert kept is not None
        later = utcnow() + timedelta(seconds=jobs.OVERTAKEN_AFTER_S + 1)
        assert jobs.close_overtaken(db) == []
        assert jobs.close_overtaken(db, later) == [job.id]
    statuses = {j.id: j.status for j in _jobs(client)}
    assert statuses == {job.id: JobStatus.DONE, kept.id: JobStatus.QUEUED}
    # Another collectivité's agent given these job ids follows nothing.
    login(client, "carol")
    assert _notice(client, followed).get_text() == "1 nouveau message relevé."
    carol = client.get(followed, headers={"HX-Request": "true"})
    assert carol.headers.get("HX-Refresh") == "true"
    # The session expired while the page asks: a redirect in a header, no login page to swap.
    client.cookies.clear()
    expired = client.get(followed, headers={"HX-Request": "true"}, follow_redirects=False)
    assert expired.status_code == 401 and expired.headers["HX-Redirect"] == "/connexion"
    assert "<form" not in expired.text


def test_the_page_stops_asking_after_a_while(
    app: tuple[TestClient, Personas], imap: IMAPClient
) -> None:
    """A press whose analysis takes longer than FOLLOW_FOR: the page stops asking, says so."""
    client, personas = app
    _connect(client, personas)
    deliver(imap, EMPTY_MAIL)
    csrf = login(client, "agent")
    resp = client.post("/courriels/relever", data={"csrf_token": csrf}, follow_redirects=False)
    late = resp.headers["location"]
    assert client.get(late, headers={"HX-Request": "true"}).status_code == 204
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        job_row = db.scalars(select(Job).order_by(Job.id.desc())).first()
        assert job_row is not None and job_row.status == JobStatus.QUEUED
        job_row.created_at = utcnow() - follow.FOLLOW_FOR - timedelta(seconds=1)
    polled = client.get(late, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and polled.headers["HX-Refresh"] == "true"
    notice = _notice(client, late)
    assert notice.get_text() == f"1 nouveau message relevé. {follow.LATER_FR}"
    assert not notice.has_attr("hx-get")


def test_a_job_never_analyses_another_collectivites_message(
    app: tuple[TestClient, Personas], imap: IMAPClient, mail_settings: Settings
) -> None:
    """The payload's ids are only trusted within the job's collectivité."""
    client, personas = app
    _connect(client, personas)
    deliver(imap, EMPTY_MAIL)
    client.post("/courriels/relever", data={"csrf_token": login(client, "agent")})
    message = _only_message(client)
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    with session_scope(sessions) as db:
        db.execute(delete(Job))
        jobs.hand_over(db, tenant_id=personas.other_tenant.id, message_ids=[message.id])
    assert _run_job(client, mail_settings)
    [job] = _jobs(client)
    assert job.status == JobStatus.DONE and job.result["analysed"] == []
    assert _only_message(client).status == MessageStatus.RECEIVED  # left for its own tenant
    with session_scope(sessions) as db:
        assert process.claim(db, message.id, tenant_id=personas.other_tenant.id) is None
        assert process.claim(db, message.id, tenant_id=personas.tenant.id) == message.id


def _analysed(client: TestClient, personas: Personas) -> MailMessage:
    """The state the analysis leaves (its model part is tested in test_process.py)."""
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        message = db.scalars(select(MailMessage)).one()
        message.status = MessageStatus.TO_REVIEW
        message.proposed_service_id = message.service_id = personas.service_a.id
        message.category, message.urgency = "État civil", "normale"
        message.justification = "Demande de copie d'acte de naissance : service Population."
        message.draft = "Bonjour, votre demande est bien reçue. [à compléter]"
        message.pii_counts = {"PERSON": 1, "PHONE": 1, "DATE": 2}
    return _only_message(client)


def test_a_validated_reply_lands_in_drafts_threaded(
    app: tuple[TestClient, Personas], imap: IMAPClient
) -> None:
    client, personas = app
    _connect(client, personas)
    original = citizen_mail()
    deliver(imap, original)
    _fetch_now(client, "agent")
    message = _analysed(client, personas)
    csrf = login(client, "agent")
    page = page_text(client.get(f"/courriels/{message.id}"))
    assert "Demande de copie d'acte de naissance" in page and "[à compléter]" in page
    # The kinds of personal data found are named in French, never by their code.
    assert "personne × 1, téléphone × 1, date × 2." in page and "PHONE" not in page
    edited = "Bonjour Madame,\nVotre copie vous sera envoyée sous huit jours.\nLa mairie"
    resp = client.post(
        f"/courriels/{message.id}",
        data={"draft": edited, "service_id": personas.service_a.id, "action": "valider",
              "csrf_token": csrf},
        follow_redirects=False,
    )  # fmt: skip
    assert resp.status_code == 303, page_text(resp)
    imap.select_folder("Drafts")
    [uid] = imap.search("ALL")
    fetched = imap.fetch([uid], ["BODY.PEEK[]", "FLAGS"])[uid]
    assert b"\\Draft" in fetched[b"FLAGS"]
    draft = email.message_from_bytes(fetched[b"BODY[]"], policy=email.policy.default)
    assert draft["In-Reply-To"] == original["Message-ID"]
    assert draft["References"] == original["Message-ID"]
    assert draft["To"] == "Jeanne Martin <jeanne.martin@exemple.fr>"
    assert draft["From"].addresses[0].addr_spec == LOGIN
    assert draft["Subject"] == "Re: Demande d'acte de naissance"
    assert draft.get_content().replace("\r\n", "\n").strip() == edited  # CRLF on the wire
    filed = _only_message(client)
    assert filed.status == MessageStatus.FILED and filed.validated_by == personas["agent"].id
    assert "Réponse déposée dans les brouillons" in page_text(
        client.get(f"/courriels/{message.id}")
    )
    again = client.post(f"/courriels/{message.id}", data={"draft": "x", "action": "valider",
                        "csrf_token": csrf})  # fmt: skip
    assert again.status_code == 409
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        actions = db.scalars(select(AuditEntry.action)).all()
    assert "mailbox.reply_filed" in actions


def test_an_unreachable_mailbox_keeps_the_edited_reply(
    settings: Settings, password_hash: str, tmp_path: Path, imap: IMAPClient, imap_port: int
) -> None:
    down = settings.model_copy(update={"mailboxes_file": declare(tmp_path, free_port())})
    client, personas = build_app(down, password_hash)
    with client:
        with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
            box = Mailbox(tenant_id=personas.tenant.id, key="accueil", last_uid=0,
                          service_id=personas.service_a.id)  # fmt: skip
            db.add(box)
            db.flush()
            db.add(MailMessage(tenant_id=box.tenant_id, mailbox_id=box.id, uidvalidity=1, uid=1,
                               subject="Bruit", sender="a@exemple.fr", body="Trop de bruit.",
                               service_id=personas.service_a.id))  # fmt: skip
        message = _analysed(client, personas)
        csrf = login(client, "agent")
        resp = client.post(
            f"/courriels/{message.id}",
            data={"draft": "Bonjour, réponse corrigée.", "action": "valider", "csrf_token": csrf},
        )
        assert resp.status_code == 502
        assert "injoignable" in page_text(resp) and "Votre réponse est enregistrée" in page_text(
            resp
        )
        kept = _only_message(client)
        assert kept.draft == "Bonjour, réponse corrigée." and kept.status == MessageStatus.TO_REVIEW
        empty = client.post(f"/courriels/{message.id}", data={"draft": " ", "action": "valider",
                            "csrf_token": csrf})  # fmt: skip
        assert empty.status_code == 422 and "La réponse est vide" in page_text(empty)
        foreign = client.post(f"/courriels/{message.id}", data={"draft": "x", "service_id": "999",
                              "csrf_token": csrf})  # fmt: skip
        assert foreign.status_code == 422
        # « Relever maintenant » says the mailbox is unreachable on the page it leads to.
        fetched = page_text(client.post("/courriels/relever", data={"csrf_token": csrf}))
        assert "0 nouveau message relevé." in fetched
        assert re.search('role="alert">[^<]*injoignable', fetched)
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def test_analysis_refusals_need_no_model(
    app: tuple[TestClient, Personas], imap: IMAPClient, mail_settings: Settings
) -> None:
    """An empty message and a suspended assistant end in the queue with a French reason."""
    client, personas = app
    _connect(client, personas)
    deliver(imap, b"From: x@exemple.fr\r\n\r\n")
    _fetch_now(client, "agent")
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    process.process_one(sessions, mail_settings)
    message = _only_message(client)
    assert (message.status, message.problem) == (MessageStatus.FAILED, process.EMPTY_FR)
    csrf = login(client, "agent")
    shown = page_text(client.get(f"/courriels/{message.id}"))
    assert process.EMPTY_FR in shown and "Relancer l'analyse" in shown
    resp = client.post(f"/courriels/{message.id}/reanalyser", data={"csrf_token": csrf},
                       follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303 and _only_message(client).status == MessageStatus.RECEIVED
    with session_scope(sessions) as db:
        db.scalars(select(MailMessage)).one().subject = "Horaires"
        usecases.suspend_assistant(db, tenant_id=personas.tenant.id, actor=None,
                                   assistant_id="tri-demandes", reason="essai")  # fmt: skip
    assert process.process_one(sessions, mail_settings) == message.id
    suspended = _only_message(client)
    assert suspended.status == MessageStatus.FAILED and "suspendu" in suspended.problem
    assert process.process_one(sessions, mail_settings) is None  # nothing left waiting
    assert re.search("Analyse impossible", page_text(client.get("/courriels")))


FAQ = (
    "Foire aux questions de la mairie de Démoville\n\n"
    "Acte de naissance : la copie intégrale se demande en ligne ou au guichet de l'état civil, "
    "gratuitement ; elle est envoyée sous cinq jours ouvrés.\n\n"
    "Déchèterie : ouverte du mardi au samedi de 9 heures à 18 heures.\n"
)


def test_replies_draw_on_the_faq_collection_the_admin_chose(
    app: tuple[TestClient, Personas], imap: IMAPClient, mail_settings: Settings
) -> None:
    """The retrieval part of the analysis (its generation is in test_process.py): the FAQ
    extracts closest to the message are read with the rights of the admin who chose them."""
    client, personas = app
    headers = login_as(client, "admin")
    collection = new_collection(client, headers, "FAQ de la mairie", scope="tenant")
    assert upload(
        client, headers, collection, [("faq.txt", FAQ.encode(), "text/plain")]
    ).status_code in (200, 303)
    run_jobs(client, mail_settings)
    bad = client.post("/admin/courriels", data={"key": "accueil", "service_id":
                      personas.service_a.id, "faq_collection_id": "999", **csrf_of(headers)})  # fmt: skip
    assert bad.status_code == 422
    resp = client.post("/admin/courriels", data={"key": "accueil", "service_id":
                       personas.service_a.id, "faq_collection_id": collection,
                       **csrf_of(headers)}, follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303
    assert "FAQ de la mairie" in page_text(client.get("/admin/courriels"))
    deliver(imap, citizen_mail())
    _fetch_now(client, "agent")
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    gateway = Gateway(mail_settings, sessions)
    with session_scope(sessions) as db:
        message = db.scalars(select(MailMessage)).one()
        job = process.prepare(db, message, gateway)
    assert not isinstance(job, str)
    assert "copie intégrale se demande en ligne" in job.faq and job.faq.startswith("[1]")
    assert job.sources and job.sources[0]["number"] == 1 and job.sources[0]["url"]
