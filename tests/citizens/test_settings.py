"""Settings by admins and référents (validated, audited, per collectivité) and the retention
purge, which keeps the daily counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from civia.audit.models import AuditEntry
from civia.citizens import retention, stats
from civia.citizens.models import CitizenDay, Outcome, PublicAssistant, PublicExchange
from civia.db.base import utcnow
from civia.db.engine import session_scope
from civia.documents.models import Collection, Scope
from tests.citizens.conftest import Citizens
from tests.conftest import login, page_text


def _exchange(tenant_id: int, token: str, hours_ago: float) -> PublicExchange:
    return PublicExchange(
        tenant_id=tenant_id, token=token, conversation="c" * 12, question="Horaires ?",
        answer="…", outcome=Outcome.ANSWERED, created_at=utcnow() - timedelta(hours=hours_ago),
    )  # fmt: skip


def test_retention_purge_follows_each_collectivites_period(citizens: Citizens) -> None:
    demo, other = citizens.personas.tenant.id, citizens.personas.other_tenant.id
    with session_scope(citizens.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        db.scalar(
            select(PublicAssistant).where(PublicAssistant.tenant_id == other)
        ).retention_hours = 2  # type: ignore[union-attr]
        db.add_all([
            _exchange(demo, "demo-recent", 1), _exchange(demo, "demo-old", 25),
            _exchange(other, "other-recent", 1), _exchange(other, "other-old", 3),
        ])  # fmt: skip
        stats.count(db, demo, Outcome.ANSWERED)
    with session_scope(citizens.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        deleted = retention.purge(db)
    assert deleted == {demo: 1, other: 1}
    with session_scope(citizens.client.app.state.sessions) as db:  # type: ignore[attr-defined]
        kept = set(db.scalars(select(PublicExchange.token)))
        assert kept == {"demo-recent", "other-recent"}
        assert db.scalar(select(CitizenDay.questions).where(CitizenDay.tenant_id == demo)) == 1
        actions = set(db.scalars(select(AuditEntry.action)))
        assert "citizens.purged" in actions


def test_referent_publishes_collections_of_their_collectivite_only(citizens: Citizens) -> None:
    client = citizens.client
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        personal = Collection(
            tenant_id=citizens.personas.tenant.id, scope=Scope.PERSONAL.value, name="Perso",
            owner_user_id=citizens.personas["referent"].id,
        )  # fmt: skip
        db.add(personal)
        db.flush()
        personal_id = personal.id
    csrf = login(client, "referent")
    page = client.get("/admin/assistant-citoyen")
    assert page.status_code == 200 and "Guide pratique" in page.text
    assert "Fêtes d'Autreville" not in page.text and "Perso" not in page.text
    form = {"csrf_token": csrf, "enabled": "oui", "retention_hours": "48", "colour": "#1d5e2a",
            "embed_origins": "https://www.demoville.fr/"}  # fmt: skip
    for forbidden in (citizens.other_published, personal_id):
        bad = client.post(
            "/admin/assistant-citoyen", data={**form, "collection_ids": str(forbidden)}
        )
        assert bad.status_code == 422 and "ne peut pas être publiée" in page_text(bad)
    wrong = client.post(
        "/admin/assistant-citoyen",
        data={**form, "collection_ids": str(citizens.published), "retention_hours": "0",
              "colour": "vert", "embed_origins": "javascript:alert(1)"},
    )  # fmt: skip
    text = page_text(wrong)
    assert wrong.status_code == 422
    assert (
        "conservation va de 1 heure" in text
        and "hexadécimaux" in text
        and "adresse d'un site" in text
    )
    ok = client.post(
        "/admin/assistant-citoyen",
        data={**form, "collection_ids": [str(citizens.published), str(citizens.internal)]},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        row = db.scalar(
            select(PublicAssistant).where(PublicAssistant.tenant_id == citizens.personas.tenant.id)
        )
        assert row is not None and row.retention_hours == 48 and row.colour == "1d5e2a"
        assert set(row.collection_ids) == {citizens.published, citizens.internal}
        assert row.embed_origins == "https://www.demoville.fr"
        assert "citizens.settings" in set(db.scalars(select(AuditEntry.action)))
    assert "#1d5e2a" in client.get("/citoyens/demoville/theme.css").text
    assert "effacés après 48 heures" in page_text(client.get("/citoyens/demoville"))


def test_agents_cannot_change_the_settings(citizens: Citizens) -> None:
    csrf = login(citizens.client, "agent")
    assert citizens.client.get("/admin/assistant-citoyen").status_code == 403
    resp = citizens.client.post(
        "/admin/assistant-citoyen", data={"csrf_token": csrf, "enabled": "oui"}
    )
    assert resp.status_code == 403
    assert citizens.client.get("/pilotage/citoyens").status_code == 403
