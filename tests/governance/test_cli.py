"""`civia audit verify|export`, `civia retention sweep`, `civia usecases suspend|list`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from civia.audit import journal as audit
from civia.audit.models import AuditEntry
from civia.cli import governance as gov_cli
from civia.governance import usecases
from civia.plugins.registries import Governance
from civia.settings import get_settings
from tests.conftest import Personas
from tests.governance.conftest import user


@click.group()
def cli() -> None:
    """What `civia` gets once the groups are mounted."""


for _group in (gov_cli.audit_group, gov_cli.retention_group, gov_cli.usecases_group):
    cli.add_command(_group)


@pytest.fixture
def runner(db_url: str, monkeypatch: pytest.MonkeyPatch, people: Personas) -> Iterator[CliRunner]:
    monkeypatch.setenv("CIVIA_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_verify_then_tamper(runner: CliRunner, db: Session, people: Personas) -> None:
    for i in range(3):
        audit.record(
            db,
            tenant_id=people.tenant.id,
            actor=user(db, "admin"),
            action="provider.saved",
            target=f"provider:{i}",
        )
    db.commit()
    ok = invoke(runner, "audit", "verify")
    assert ok.exit_code == 0, ok.output
    assert "Audit log intact." in ok.output and f"chain {people.tenant.id}: 3 entries" in ok.output
    db.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(target="provider:99"))
    db.commit()
    bad = invoke(runner, "audit", "verify")
    assert bad.exit_code == 1
    assert "ALTERED" in bad.output and "n° 2" in bad.output and "provider.saved" in bad.output
    assert invoke(runner, "audit", "verify", "--tenant", "autreville").exit_code == 0


def test_checkpoint_then_verify_against_it(
    runner: CliRunner, db: Session, people: Personas, tmp_path: Path
) -> None:
    for i in range(3):
        audit.record(db, tenant_id=people.tenant.id, actor=None, action="provider.saved",
                     target=f"provider:{i}")  # fmt: skip
    db.commit()
    kept = tmp_path / "checkpoints.jsonl"
    out = invoke(runner, "audit", "checkpoint", "--out", str(kept))
    assert out.exit_code == 0 and "appended" in out.output, out.output
    assert '"count": 3' in kept.read_text()
    assert invoke(runner, "audit", "verify", "--checkpoints", str(kept)).exit_code == 0
    # The last entry rewritten (key holder or not): the checkpoint still remembers it.
    db.execute(
        update(AuditEntry)
        .where(AuditEntry.chain == people.tenant.id, AuditEntry.seq == 3)
        .values(hash="f" * 64)
    )
    db.commit()
    bad = invoke(runner, "audit", "verify", "--checkpoints", str(kept))
    assert bad.exit_code == 1 and "réécrite" in bad.output
    refused = invoke(runner, "audit", "checkpoint")
    assert refused.exit_code != 0 and "no checkpoint written" in refused.output


def test_export_csv(runner: CliRunner, db: Session, people: Personas, tmp_path: Path) -> None:
    audit.record(db, tenant_id=people.tenant.id, actor=None, action="login.failure", target="x")
    audit.record(db, tenant_id=people.other_tenant.id, actor=None, action="login.failure")
    db.commit()
    out = tmp_path / "journal.csv"
    result = invoke(runner, "audit", "export", "--tenant", "demoville", "--csv", str(out))
    assert result.exit_code == 0, result.output
    assert "1 entries written" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and ";login.failure;" in lines[1]
    # The export is itself audited, and the chain still verifies.
    assert invoke(runner, "audit", "verify").exit_code == 0
    entries, _ = audit.search(db, tenant_id=people.tenant.id, filters=audit.Filters())
    assert entries[0].action == "audit.exported"
    bad = runner.invoke(cli, ["audit", "export", "--tenant", "nulle-part", "--csv", str(out)])
    assert bad.exit_code != 0 and "Unknown tenant" in bad.output


def test_suspend_and_list(
    runner: CliRunner, factory: sessionmaker[Session], people: Personas
) -> None:
    result = invoke(
        runner,
        "usecases",
        "suspend",
        "courrier",
        "--tenant",
        "demoville",
        "--reason",
        "Réponses erronées signalées",
    )
    assert result.exit_code == 0, result.output
    with factory() as db:
        assert usecases.is_suspended(db, people.tenant.id, "courrier")
        assert not usecases.is_suspended(db, people.other_tenant.id, "courrier")
    assert (
        "courrier\tsuspended" in invoke(runner, "usecases", "list", "--tenant", "demoville").output
    )
    again = runner.invoke(
        cli, ["usecases", "suspend", "courrier", "--tenant", "demoville", "--reason", "encore"]
    )
    assert again.exit_code != 0 and "déjà suspendu" in again.output


def test_sweep_runs(runner: CliRunner, people: Personas) -> None:
    result = invoke(runner, "retention", "sweep", "--now", "2030-01-01")
    assert result.exit_code == 0, result.output
    assert "demoville:" in result.output


def test_sweep_loads_every_areas_purgers(
    runner: CliRunner, people: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from civia.governance import retention

    seen = []
    sweep = retention.sweep

    def spy(db: Session, now: datetime | None = None, *, hooks: Governance) -> object:
        seen.append(set(hooks.purgers))
        return sweep(db, now, hooks=hooks)

    monkeypatch.setattr(retention, "sweep", spy)
    assert invoke(runner, "retention", "sweep").exit_code == 0
    assert seen == [{"audio", "transcripts", "documents", "mail"}]
