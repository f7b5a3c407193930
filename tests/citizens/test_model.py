"""One short call to the real local model: a supported question gets an answer citing the
published guide, with links to the public source page; the phone number typed by the citizen
never reaches the model (the stored question and the usage event say what was masked)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from civia.citizens.models import Outcome, PublicExchange
from civia.db.engine import session_scope
from civia.settings import Settings
from civia.usage.models import UsageEvent
from tests.citizens.conftest import Citizens

pytestmark = pytest.mark.model


@pytest.fixture
def citizen_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_tokens": 60})


def test_a_supported_question_gets_a_cited_answer(citizens: Citizens) -> None:
    resp = citizens.client.post(
        "/citoyens/demoville/questions",
        data={"question": "Quels sont les horaires de la déchetterie ? (mon numéro : 06 12 34 56 78)",
              "conversation": "conversation-modele"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert resp.status_code == 200
    with session_scope(citizens.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        row = db.scalar(select(PublicExchange))
        # the question's query embedding (a search), then the answer: both the collectivité's
        search, event = db.scalars(select(UsageEvent).order_by(UsageEvent.id)).all()
        assert row is not None and search.user_id is None and search.source == "citoyens"
        assert row.outcome == Outcome.ANSWERED, row.answer
        assert "06 12 34 56 78" not in row.question and "[TELEPHONE]" in row.question
        assert event.user_id is None and event.source == "citoyens"
        assert event.assistant_id == "assistant-citoyen"
        urls = [s["url"] for s in row.sources]
    assert urls and all(
        u.startswith(f"/citoyens/demoville/sources/{citizens.guide_document}#passage-")
        for u in urls
    )
    assert "route des Prés" in resp.text or "9 h" in resp.text
    assert "06 12 34 56 78" not in resp.text
