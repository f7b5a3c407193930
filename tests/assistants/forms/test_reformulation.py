"""The reformulation's prompt: FALC's rules and example only when FALC is asked."""

from civia.assistants.catalogue import get
from civia.assistants.runner import build_messages

TEXT = "Le conseil municipal approuve la convention de partenariat avec la communauté de communes."


def _user_message(registre: str) -> str:
    spec = get("reformulation")
    assert spec is not None
    values = {"texte": TEXT, "registre": registre, "longueur": "équivalente"}
    return build_messages(spec, values, {})[1].content


def test_falc_asks_short_sentences_one_per_line_with_an_example() -> None:
    message = _user_message("courrier usager FALC")
    assert "12 mots au plus" in message and "une phrase par ligne" in message
    assert "La médiathèque sera fermée du 3 au 10 août." in message
    assert message.endswith(TEXT)


def test_other_registers_get_no_falc_rules() -> None:
    for registre in ("note au président", "synthèse pour les élus"):
        message = _user_message(registre)
        assert "FALC" not in message and "médiathèque" not in message
        assert message.startswith(f"Registre visé : {registre}\nLongueur : équivalente\n")
