"""Every answer says which model wrote it, with the warning wherever it is the bundled one."""

from __future__ import annotations

from fastapi.testclient import TestClient

from civia.chat.models import Conversation, Message
from civia.providers.model_files import MODEL_ID
from civia.providers.models import HostingClass, Provider
from tests.conftest import Personas, login_as, page_text

WARNING = "petit modèle local de démonstration"


def test_the_banner_stays_while_answers_come_from_the_bundled_model(
    client: TestClient, personas: Personas
) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        db.add(
            Provider(
                tenant_id=personas.tenant.id, name="Albert (sans clé)", kind="openai_compat",
                base_url="http://127.0.0.1:9/v1", hosting_class=HostingClass.FR_SOVEREIGN.value,
                models=["albert-large"], is_default=False,
            )
        )  # fmt: skip
        db.commit()
    login_as(client, "agent")
    assert "il invente des faits" in page_text(client.get("/"))
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        for row in db.query(Provider).filter_by(tenant_id=personas.tenant.id):
            row.is_default = row.kind == "openai_compat"
        db.commit()
    assert "il invente des faits" not in page_text(client.get("/"))


def test_each_answer_is_labelled_with_its_model(client: TestClient, personas: Personas) -> None:
    agent = personas["agent"]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        conv = Conversation(tenant_id=agent.tenant_id, user_id=agent.id, title="Horaires")
        db.add(conv)
        db.flush()
        db.add_all([
            Message(conversation_id=conv.id, role="user", content="Horaires ?"),
            Message(conversation_id=conv.id, role="assistant", content="9 h", model=MODEL_ID),
            Message(conversation_id=conv.id, role="user", content="Et le samedi ?"),
            Message(conversation_id=conv.id, role="assistant", content="Fermé", model="mistral-large"),
        ])  # fmt: skip
        db.commit()
        conv_id = conv.id
    login_as(client, "agent")
    resp = client.get(f"/conversations/{conv_id}")
    assert resp.status_code == 200, resp.text[:300]
    text = page_text(resp)
    assert f"Rédigé par le modèle {MODEL_ID} — <strong>{WARNING}" in text
    assert "Rédigé par le modèle mistral-large" in text
    assert text.count(WARNING) == 1
