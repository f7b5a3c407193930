"""Post-checks are named by the spec (data) and run after validation; their notes reach the
agent through the run's warning."""

from typing import get_args

from civia.assistants import postchecks
from civia.assistants.catalogue import builtins, get
from civia.assistants.runner import TRUNCATED_FR, RunResult
from civia.assistants.spec import Output


def test_every_check_a_spec_may_name_exists() -> None:
    names = set(get_args(Output.model_fields["checks"].annotation)) - {""}
    assert names == set(postchecks.CHECKS)
    used = {spec.output.checks for spec in builtins().values()} - {""}
    assert used == {"letter", "arrete", "faq", "triage", "reply"}


def test_a_spec_without_checks_is_left_as_the_model_gave_it() -> None:
    spec = get("swot")
    assert spec is not None and spec.output.checks == ""
    data = {"forces": ["x"]}
    assert postchecks.apply(spec, data, {}, {}) == (data, [])


def test_notes_are_the_run_s_warning() -> None:
    result = RunResult(notes=["Paragraphe répété retiré."])
    assert result.warning == "Paragraphe répété retiré."
    result.truncated = True
    assert result.warning == f"{TRUNCATED_FR} Paragraphe répété retiré."
    assert RunResult().warning == ""
