"""Post-checks are named by the spec (data) and run after validation; their notes reach the
agent through the run's warning."""

from typing import get_args

from civia.assistants import postchecks
from civia.assistants.catalogue import builtins, get
from civia.assistants.runner import TRUNCATED_FR, RunResult
from civia.assistants.spec import Output


def test_every_check_a_spec_may_name_exists() -> None:
    names = set(get_args(Output.model_fields["checks"].annotation)) - {""}
    assert names == set(postchecks.CHECKS) | set(postchecks.TEXT_CHECKS)
    assert not set(postchecks.CHECKS) & set(postchecks.TEXT_CHECKS)
    used = {spec.output.checks for spec in builtins().values()} - {""}
    assert used == set(postchecks.CHECKS) | set(postchecks.TEXT_CHECKS)


def test_a_spec_without_checks_is_left_as_the_model_gave_it() -> None:
    spec = get("affiche")
    assert spec is not None and spec.output.checks == ""
    data = {"titre": "x"}
    assert postchecks.apply(spec, data, {}, {}) == (data, [])
    text = get("reformulation")
    assert text is not None and text.output.checks == ""
    assert postchecks.apply_text(text, "5 pm", {"texte": "5 pm"}, {}) == ("5 pm", [])


def test_notes_are_the_run_s_warning() -> None:
    result = RunResult(notes=["Paragraphe répété retiré."])
    assert result.warning == "Paragraphe répété retiré."
    result.truncated = True
    assert result.warning == f"{TRUNCATED_FR} Paragraphe répété retiré."
    assert RunResult().warning == ""
