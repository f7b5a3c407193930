"""Smaller things users noticed (issue 18) that no other test pins down: optional labels said
once, meeting dates written the French way in the list and in the minutes."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from civia.assistants.catalogue import builtins
from civia.assistants.spec import JINJA
from civia.assistants.templating import render
from tests.conftest import Personas, login_as, page_text
from tests.governance.conftest import text_of
from tests.meetings.conftest import add_meeting


def test_optional_fields_say_facultatif_once(client: TestClient, personas: Personas) -> None:
    login_as(client, "agent")
    for spec in builtins().values():
        if spec.is_chat:
            continue
        page = text_of(client.get(f"/assistants/{spec.id}"))
        assert "(facultatif) (facultatif)" not in page, spec.id
        for field in spec.fields:
            if not field.required:
                assert re.search(r"\(facultatif", page), (spec.id, field.name)
    page = text_of(client.get("/assistants/reponse-usager"))
    assert page.count("Éléments de réponse (facultatif)") == 1


def test_meeting_dates_are_french_in_the_list_and_the_minutes(
    client: TestClient, personas: Personas
) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        add_meeting(db, personas["agent"], [("", "Le budget est adopté.")])
        db.commit()
    login_as(client, "agent")
    listing = page_text(client.get("/reunions"))
    assert "12 mars 2026" in listing and "2026-03-12" not in listing
    minutes = builtins()["compte-rendu"]
    assert minutes.output.template is not None
    title = render(JINJA, minutes.output.template.splitlines()[0],
                   inputs={"titre": "Conseil municipal", "date": "2026-03-12"})  # fmt: skip
    assert title == "# Compte rendu – Conseil municipal (12 mars 2026)"
    prompt = render(JINJA, minutes.prompt, titre="Conseil", date="2026-03-12", notes="…")
    assert "Réunion : Conseil du 12 mars 2026" in prompt
