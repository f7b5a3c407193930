"""The courrier's prompt: the collectivité writes to the recipient; the letter's kind is data."""

import pytest

from civia.assistants.catalogue import get
from civia.assistants.inputs import validate_inputs
from civia.assistants.runner import build_messages

CONTEXT = {"collectivite": "Commune de Démoville"}


def _user_message(**values: str) -> str:
    spec = get("courrier")
    assert spec is not None
    checked = validate_inputs(spec, {"destinataire": "M. Paul Girard", "objet": "Terrasse",
                                     "faits": "Terrasse refusée.", **values})  # fmt: skip
    system, user = build_messages(spec, checked, CONTEXT)
    assert "ni formule d'appel" in system.content and "paragraphes" in system.content
    assert "appel" not in spec.output.json_schema["properties"]  # type: ignore[index]
    return user.content


def test_the_collectivite_writes_to_the_recipient() -> None:
    message = _user_message()
    assert message.startswith("Courrier de Commune de Démoville à : M. Paul Girard")
    assert "Nature" not in message  # a plain courrier adds no plan


@pytest.mark.parametrize(
    ("nature", "plan"),
    [
        ("accusé de réception", "Confirme que la demande est bien reçue"),
        ("réponse favorable", "Annonce d'abord l'accord"),
        ("réponse défavorable", "puis son motif"),
        ("demande de pièces", "Indique les pièces qui manquent"),
    ],
)
def test_each_kind_of_letter_has_its_plan(nature: str, plan: str) -> None:
    assert plan in _user_message(nature=nature)
