"""Assistant specs are strict data; imports cannot widen privileges."""

import pytest
from pydantic import ValidationError

from civia.assistants.catalogue import builtins
from civia.assistants.spec import AssistantSpec, Output, from_import

BASE = {
    "id": "mon-assistant",
    "name": "Mon assistant",
    "description": "d",
    "category": "Test",
    "instructions": "Tu aides les agents.",
    "prompt": "{{ texte }}",
    "fields": [{"name": "texte", "label": "Texte", "kind": "long_text"}],
}


def test_catalogue_has_the_thirteen_builtins() -> None:
    ids = set(builtins())
    assert {"chat", "courrier", "reponse-usager", "arrete", "compte-rendu", "traduction",
            "reformulation", "correction", "swot", "diapositives", "faq", "reseaux-sociaux",
            "tri-demandes"} <= ids  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"surprise": 1}, "Extra inputs are not permitted"),
        ({"prompt": "{{ inconnu }}"}, "champs inconnus : inconnu"),
        ({"prompt": "{% for %}"}, "prompt invalide"),
        ({"output": {"kind": "structured", "template": "x"}}, "json_schema"),
        (
            {"output": {"kind": "structured", "template": "x", "json_schema": {"type": "objet"}}},
            "schéma JSON invalide",
        ),
        ({"output": {"formats": ["exe"]}}, "formats inconnus"),
        ({"fields": [{"name": "texte", "label": "T", "kind": "choice"}]}, "choices"),
        (
            {
                "fields": [{"name": "a", "label": "A"}, {"name": "a", "label": "B"}],
                "prompt": "{{ a }}",
            },
            "même nom",
        ),
    ],
)
def test_invalid_specs_are_explained(change: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        AssistantSpec.model_validate({**BASE, **change})


def test_import_cannot_set_privileged_fields() -> None:
    spec = from_import({**BASE, "sensitivity": "public", "status": "published", "sharing": "tenant"},
                       status="draft", sharing="service", sensitivity="personal")  # fmt: skip
    assert (spec.status, spec.sharing, spec.sensitivity) == ("draft", "service", "personal")


def test_post_checks_need_a_structured_output() -> None:
    assert Output(kind="structured", json_schema={"type": "object"}, template="x", checks="letter")
    with pytest.raises(ValidationError, match="sortie structurée"):
        Output(kind="text", checks="letter")
    assert Output(kind="text", checks="hours")  # a translation's times: a text answer
    with pytest.raises(ValidationError, match="sortie texte"):
        Output(kind="structured", json_schema={"type": "object"}, template="x", checks="hours")
    with pytest.raises(ValidationError):
        Output(kind="structured", json_schema={"type": "object"}, template="x", checks="exec")
