"""The `civia` CLI on a temporary database."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from civia.cli import main
from civia.settings import get_settings


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CIVIA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CIVIA_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def run(cli: CliRunner, *args: str, input: str | None = None) -> str:
    result = cli.invoke(main, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_load_is_idempotent_and_lists_roles(cli: CliRunner) -> None:
    run(cli, "demo", "load")
    run(cli, "demo", "load")
    out = run(cli, "users", "list")
    for role in ("agent", "referent", "comite", "dpo", "pilotage", "admin"):
        assert f"{role}\t{role}\t" in out
    assert "Modèle local (démo)" in run(cli, "providers", "list")


def test_demo_refused_in_production(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVIA_MODE", "production")
    monkeypatch.setenv("CIVIA_SECRET_KEY", "z" * 40)
    get_settings.cache_clear()
    result = cli.invoke(main, ["demo", "load"])
    assert result.exit_code != 0 and "refused outside demo" in result.output


def test_tokens_create_prints_token_once(cli: CliRunner) -> None:
    run(cli, "demo", "load")
    token = run(cli, "tokens", "create", "--user", "agent").strip()
    assert token.startswith("civia_") and len(token) > 40
    listing = run(cli, "tokens", "list", "--user", "agent")
    assert token not in listing and token[:12] in listing


def test_users_services_and_providers(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    get_settings.cache_clear()
    run(cli, "demo", "load")
    run(cli, "services", "create", "Finances")
    run(
        cli,
        "users",
        "create",
        "marie",
        "--role",
        "referent",
        "--service",
        "Finances",
        "--password",
        "assez-long-mdp",
    )
    run(cli, "users", "set-role", "marie", "comite")
    assert "marie\tcomite\tFinances" in run(cli, "users", "list")
    run(cli, "platform", "credentials", "add", "albert", "--label", "Albert", "--env",
        "ALBERT_API_KEY", "--base-url", "https://albert.example/v1", "--tenant", "demoville")  # fmt: skip
    assert "env:ALBERT_API_KEY" in run(cli, "platform", "credentials", "list")
    run(cli, "providers", "add", "--name", "Albert", "--base-url", "https://albert.example/v1",
        "--credential", "albert", "--model", "albert-large", "--hosting-class", "fr_sovereign")  # fmt: skip
    assert "credential:albert" in run(cli, "providers", "list")


def test_bad_input_gives_clear_error(cli: CliRunner) -> None:
    run(cli, "demo", "load")
    result = cli.invoke(main, ["users", "create", "x", "--password", "short"])
    assert result.exit_code != 0 and "identifiant" in result.output.lower()
    result = cli.invoke(main, ["tokens", "create", "--user", "ghost"])
    assert result.exit_code != 0 and "Unknown user" in result.output


def test_demo_content_is_there_on_the_first_run(cli: CliRunner, tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from civia.db.engine import make_engine, make_sessionmaker
    from civia.documents.acts.models import Act
    from civia.documents.models import Collection, Document
    from civia.governance.models import UseCaseVote
    from civia.jobs.models import Job

    run(cli, "demo", "load")
    run(cli, "demo", "load")  # again: nothing doubled
    out = run(cli, "users", "list")
    assert out.count("\tcomite\t") == 3  # élu, DGS, agents' representative
    engine = make_engine(get_settings().db_url)
    with make_sessionmaker(engine)() as db:
        faq = db.scalars(select(Collection).where(Collection.name.like("FAQ%"))).one()
        document = db.scalars(select(Document).where(Document.collection_id == faq.id)).one()
        assert "démonstration" in faq.description
        assert db.scalar(select(func.count()).select_from(Act)) == 4
        kinds = sorted(db.scalars(select(Job.kind)))
        # The acts' vectors, the FAQ and the residents' guide of the public assistant.
        assert kinds == ["acts.embed", "documents.ingest", "documents.ingest"], kinds
        stored = tmp_path / "documents"
        assert any(p.read_bytes().startswith(b"# Foire") for p in stored.rglob("*") if p.is_file())
        assert document.status == "pending"
        from civia.governance import standing  # the built-ins' card, approved by two members

        card = standing.card(db, faq.tenant_id)
        assert card is not None and card.status == "approved"
        assert standing.unreviewed(db, faq.tenant_id) == set()
        votes = select(UseCaseVote.voter_id).where(UseCaseVote.use_case_id == card.id)
        voters = set(db.scalars(votes))
        assert len(voters) == 2 and card.created_by is not None and card.created_by not in voters
    engine.dispose()
