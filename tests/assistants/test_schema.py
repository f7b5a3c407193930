"""What the model is told about a schema, and the schema resolved for a run."""

from __future__ import annotations

from civia.assistants import schema
from civia.assistants.catalogue import builtins
from civia.assistants.runner import build_messages, effective_schema

CONTEXT = {"services": "Population; Urbanisme", "service_list": ["Population", "Urbanisme"]}


def test_services_become_an_enum_and_the_model_reads_them() -> None:
    tri = builtins()["tri-demandes"]
    resolved = effective_schema(tri, {"demande": "x"}, CONTEXT)
    assert resolved is not None
    assert resolved["properties"]["service"]["enum"] == ["Population", "Urbanisme"]
    assert "x-civia-enum" not in resolved["properties"]["service"]
    system = build_messages(tri, {"demande": "x"}, CONTEXT)[0].content
    assert "- service (une valeur parmi : « Population », « Urbanisme »)" in system
    # the reasoning comes before the verdicts, in the order the grammar generates them
    assert system.index("- justification") < system.index("- service")


def test_requested_slide_count_bounds_the_array() -> None:
    slides = builtins()["diapositives"]
    resolved = effective_schema(slides, {"nombre": "3"}, CONTEXT)
    assert resolved is not None
    array = resolved["properties"]["diapositives"]
    assert array["minItems"] == array["maxItems"] == 3
    too_many = effective_schema(slides, {"nombre": "40"}, CONTEXT)
    assert too_many is not None and too_many["properties"]["diapositives"]["maxItems"] == 15


def test_descriptions_and_nested_items_are_described() -> None:
    text = schema.describe(builtins()["reseaux-sociaux"].output.json_schema or {})
    assert "- publications (liste de 1 à 4 éléments) : une entrée par réseau demandé" in text
    assert "  - variantes (liste de 2 éléments)" in text and "    - texte (texte)" in text


def test_reply_decides_the_human_flag_after_its_reason() -> None:
    props = list((builtins()["reponse-usager"].output.json_schema or {})["properties"])
    assert props.index("raison") < props.index("reponse_humaine_necessaire")


def test_translation_prompt_says_french() -> None:
    messages = build_messages(
        builtins()["traduction"], {"texte": "Hello", "langue": "anglais", "fichier": ""}, CONTEXT
    )
    assert "Traduis en français" in messages[1].content and "français" in messages[0].content


def test_a_cut_off_answer_is_retried_with_a_brevity_rule_not_a_message() -> None:
    from civia.assistants.runner import BE_BRIEF, repair_messages

    first = build_messages(builtins()["reponse-usager"], {"courriel": "Bonjour"}, CONTEXT)
    cut = repair_messages(first, answer='{"reponse": "Bonj', finish_reason="length", problem="x")
    assert len(cut) == 2 and cut[0].content.endswith(BE_BRIEF) and cut[1] == first[1]
    bad = repair_messages(first, answer="{}", finish_reason="stop", problem="missing reponse")
    assert [m.role for m in bad] == ["system", "user", "assistant", "user"]
    assert "missing reponse" in bad[-1].content
