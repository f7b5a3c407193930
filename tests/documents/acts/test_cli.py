"""`civia acts import-scdl FILE --tenant SLUG` on a temporary database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from civia.cli import main
from civia.db.engine import make_engine, make_sessionmaker
from civia.demo_content import SIRET as DEMO_SIRET
from civia.documents.acts.models import Act
from civia.documents.models import Chunk
from civia.jobs.models import Job
from civia.settings import get_settings
from tests.documents.acts.conftest import BELLECOMBE, DATA, SAINT_AUBIN


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("CIVIA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CIVIA_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(main, ["demo", "load"]).exit_code == 0
    yield runner
    get_settings.cache_clear()


def _count(query: object) -> int:
    engine = make_engine(get_settings().db_url)
    with make_sessionmaker(engine)() as db:
        value = int(db.scalar(query) or 0)  # type: ignore[call-overload]
    engine.dispose()
    return value


def test_import_prints_a_summary_and_reimport_changes_nothing(cli: CliRunner) -> None:
    first = cli.invoke(
        main, ["acts", "import-scdl", str(DATA / SAINT_AUBIN), "--tenant", "demoville"]
    )
    assert first.exit_code == 0, first.output
    assert "17 acte(s) créé(s), 0 mis à jour, 1 inchangé(s), 5 ligne(s) rejetée(s) sur 23" in (
        first.stdout
    )
    assert "  ligne 22 : le SIRET « 2.14902734E+13 » est écrit en notation scientifique" in (
        first.stdout
    )
    assert "Encodage : Windows-1252." in first.stdout
    # The 17 new acts and the demo's 4 (fictitious, not yet vectorised: no worker ran).
    assert "Vecteurs calculés pour 21 acte(s)." in first.stdout
    assert _count(select(func.count(Chunk.id)).where(Chunk.embedding.is_(None))) == 0
    again = cli.invoke(
        main, ["acts", "import-scdl", str(DATA / SAINT_AUBIN), "--tenant", "demoville"]
    )
    assert "0 acte(s) créé(s), 0 mis à jour, 18 inchangé(s), 5 ligne(s) rejetée(s)" in again.stdout
    assert _count(select(func.count(Act.id)).where(Act.coll_siret != DEMO_SIRET)) == 17
    later = cli.invoke(
        main, ["acts", "import-scdl", str(DATA / BELLECOMBE), "--tenant", "demoville", "--no-embed"]
    )
    assert later.exit_code == 0 and "8 acte(s) créé(s)" in later.stdout
    assert "confiés au traitement en arrière-plan" in later.stdout
    assert _count(select(func.count(Job.id)).where(Job.kind == "acts.embed")) == 1


def test_bad_file_and_unknown_tenant_fail_with_a_reason(cli: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "budget.csv"
    other.write_text("annee;montant\n2024;12\n", encoding="utf-8")
    result = cli.invoke(main, ["acts", "import-scdl", str(other), "--tenant", "demoville"])
    assert result.exit_code == 1 and "ne suit pas le schéma SCDL Délibérations" in result.output
    result = cli.invoke(main, ["acts", "import-scdl", str(DATA / BELLECOMBE), "--tenant", "nulle"])
    assert result.exit_code == 1 and "Collectivité inconnue : « nulle »" in result.output
