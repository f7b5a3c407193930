"""Post-checks are named by the spec (data) and run after validation; their notes reach the
agent through the run's warning."""

from typing import get_args

from civia.assistants import postchecks
from civia.assistants.catalogue import builtins, get
from civia.assistants.runner import TRUNCATED_FR, RunResult
from civia.assistants.spec import AssistantSpec, Output


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
    text = get("correction")
    assert text is not None and text.output.kind == "text" and text.output.checks == ""
    assert postchecks.apply_text(text, "5 pm", {"texte": "5 pm"}, {}) == ("5 pm", [])


def test_notes_are_the_run_s_warning() -> None:
    result = RunResult(notes=["Paragraphe répété retiré."])
    assert result.warning == "Paragraphe répété retiré."
    result.truncated = True
    assert result.warning == f"{TRUNCATED_FR} Paragraphe répété retiré."
    assert RunResult().warning == ""


def _custom(assistant_id: str, schema: dict) -> AssistantSpec:
    """A référent's assistant naming the built-in's check, with its own output schema."""
    spec = get(assistant_id)
    assert spec is not None
    output = spec.output.model_copy(update={"json_schema": schema})
    return spec.model_copy(update={"id": "mon-assistant", "output": output})


def test_a_check_runs_on_an_answer_typed_as_its_built_in_even_with_other_choices() -> None:
    """More networks, more variants and an added key: the types are the built-in's, the check
    runs (the hashtag is completed, the link appended)."""
    variant = {"type": "object", "properties": {"texte": {"type": "string"},
               "hashtags": {"type": "array", "items": {"type": "string"}}}}  # fmt: skip
    schema = {"type": "object", "properties": {"publications": {"type": "array", "items": {
        "type": "object", "properties": {"reseau": {"type": "string"}, "ton": {"type": "string"},
        "variantes": {"type": "array", "items": variant}}}}}}  # fmt: skip
    data = {"publications": [{"reseau": "Mastodon", "ton": "léger", "variantes": [
        {"texte": f"Marché de Noël {i}", "hashtags": ["marché de Noël"]} for i in range(3)]}]}  # fmt: skip
    checked, notes = postchecks.apply(
        _custom("reseaux-sociaux", schema), data, {"lien": "demoville.fr"}, {}
    )
    first = checked["publications"][0]["variantes"][0]
    post = "Marché de Noël 0 demoville.fr #marchédeNoël"  # Mastodon counts every character
    assert first == {
        "texte": "Marché de Noël 0 demoville.fr",
        "hashtags": ["#marchédeNoël"],
        "caracteres": len(post),
    }
    assert not any("pas été appliquée" in note for note in notes)


def test_an_answer_typed_otherwise_is_shown_as_given_with_a_note() -> None:
    """Publications as plain strings: the check (written for objects) would fail the run."""
    schema = {"type": "object", "properties": {"publications": {"type": "array",
              "items": {"type": "string"}}}}  # fmt: skip
    data = {"publications": ["Marché de Noël samedi"]}
    checked, notes = postchecks.apply(
        _custom("reseaux-sociaux", schema), data, {"lien": "demoville.fr"}, {}
    )
    assert checked == data
    assert notes == [postchecks.SHAPE_FR.format(check="social")]


def test_no_check_fails_on_a_field_of_another_type() -> None:
    for spec in builtins().values():
        if spec.output.checks not in postchecks.CHECKS:
            continue
        fields = (spec.output.json_schema or {}).get("properties") or {}
        for name in fields:
            for wrong in (7, "texte", ["texte"], {"clé": 1}, [[1]]):
                postchecks.apply(spec, {name: wrong}, {}, {})  # never raises
                postchecks.follow_up(spec, {name: wrong}, {}, {})


def test_every_built_in_schema_fits_its_own_check() -> None:
    for spec in builtins().values():
        if spec.output.checks in postchecks.CHECKS:
            assert postchecks.clash(spec.output.checks, spec.output.json_schema or {}) == ""
