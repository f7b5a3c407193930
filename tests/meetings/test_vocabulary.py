"""The collectivité's transcription vocabulary: edited by its admins (French validation), kept
in its profile, and given to the decoder, which then spells the names right."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts.models import Tenant
from civia.jobs.worker import Worker
from civia.meetings.models import MeetingSegment
from civia.providers import vocabulary
from civia.providers.whisper import OpenAITranscriber
from tests.conftest import Personas, login_as, page_text

from .conftest import CLIP, needs_clip, needs_ffmpeg

TERMS = "Claire Lemoine\nrue des Peupliers\nMashhad\nCCAS"


def _profile(client: TestClient, tenant_id: int) -> dict:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, tenant_id)
        assert tenant is not None
        return dict(tenant.profile or {})


def test_parse_tidies_and_bounds_the_list() -> None:
    assert vocabulary.parse("  Claire   Lemoine \n\nCCAS,\nccas\n") == ["Claire Lemoine", "CCAS"]
    with pytest.raises(vocabulary.VocabularyError, match="maximum 200, un par ligne"):
        vocabulary.parse("\n".join(f"terme {i}" for i in range(201)))
    with pytest.raises(vocabulary.VocabularyError, match="Ligne 2 : un terme fait au plus 100"):
        vocabulary.parse("CCAS\n" + "x" * 101)
    with pytest.raises(
        vocabulary.VocabularyError, match="fait 4\u202f041 caractères ; maximum 4\u202f000"
    ):
        vocabulary.parse("a" * 50 + "\n" + "b" * 3990)


def test_the_decoder_gets_the_first_terms_that_fit() -> None:
    terms = [f"Nom numéro {i}" for i in range(100)]
    used = vocabulary.for_decoder(terms)
    assert used == terms[: len(used)] and 0 < len(used) < 100
    assert len(vocabulary.as_prompt(terms)) <= vocabulary.DECODER_CHARS
    assert vocabulary.as_prompt([]) == ""


def test_an_admin_saves_the_vocabulary(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "admin")
    page = client.get("/admin/vocabulaire")
    assert page.status_code == 200 and '<label for="termes">' in page.text
    assert 'href="/admin/vocabulaire"' in page.text  # in the admin's menu
    resp = client.post(
        "/admin/vocabulaire", data={"termes": TERMS}, headers=headers, follow_redirects=False
    )
    assert resp.status_code == 303
    assert _profile(client, personas.tenant.id)[vocabulary.PROFILE_KEY] == TERMS.splitlines()
    assert vocabulary.PROFILE_KEY not in _profile(client, personas.other_tenant.id)
    text = " ".join(page_text(client.get("/admin/vocabulaire")).split())
    assert "4 termes enregistrés ; tous sont transmis au moteur de transcription." in text


def test_a_list_too_long_is_refused_in_french_and_kept(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "admin")
    typed = "\n".join(f"Rue numéro {i}" for i in range(250))
    resp = client.post("/admin/vocabulaire", data={"termes": typed}, headers=headers)
    assert resp.status_code == 422
    assert "Le vocabulaire compte 250 termes ; maximum 200, un par ligne." in page_text(resp)
    assert 'aria-invalid="true"' in resp.text
    assert "Rue numéro 249</textarea>" in resp.text  # nothing lost
    assert vocabulary.PROFILE_KEY not in _profile(client, personas.tenant.id)


def test_only_admins_reach_the_page(client: TestClient) -> None:
    headers = login_as(client, "agent")
    assert client.get("/admin/vocabulaire").status_code == 403
    resp = client.post("/admin/vocabulaire", data={"termes": TERMS}, headers=headers)
    assert resp.status_code == 403


@needs_ffmpeg
@needs_clip
def test_a_server_gets_the_vocabulary_as_its_prompt() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"text": "Le même mois."})

    client = OpenAITranscriber("http://albert.test/v1", transport=httpx.MockTransport(handler))
    transcript = client.transcribe(CLIP, vocabulary=["Mashhad", "CCAS"])
    body = seen[0].read().decode("utf-8", "replace")
    assert 'name="prompt"\r\n\r\nMashhad, CCAS\r\n' in body
    assert transcript.settings["prompt"] == "Mashhad, CCAS"


@pytest.mark.model
@needs_clip
def test_the_embedded_decoder_spells_the_vocabulary(transcriber) -> None:
    """Whisper base hears « à ma chade » for the city of Mashhad; told the name, it writes it."""
    assert "Mashhad" not in transcriber.transcribe(CLIP).text
    assert "Mashhad" in transcriber.transcribe(CLIP, vocabulary=["CCAS", "Mashhad"]).text


@pytest.mark.model
@needs_ffmpeg
@needs_clip
def test_a_meeting_is_transcribed_with_its_collectivite_s_vocabulary(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "admin")
    client.post("/admin/vocabulaire", data={"termes": TERMS}, headers=headers)
    agent = {**login_as(client, "agent"), "Accept": "application/json"}
    resp = client.post(
        "/reunions",
        data={"title": "Conseil", "language": "fr"},
        files={"audio": (CLIP.name, CLIP.read_bytes(), "audio/ogg")},
        headers=agent,
    )
    assert resp.status_code == 201, resp.text
    app = client.app
    assert Worker(app.state.sessions, app.state.settings, {}).run_once("transcription")  # type: ignore[attr-defined]
    with app.state.sessions() as db:  # type: ignore[attr-defined]
        text = " ".join(db.scalars(select(MeetingSegment.text)))
    assert "Mashhad" in text
