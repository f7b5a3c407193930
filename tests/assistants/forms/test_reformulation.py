"""The reformulation's prompt: FALC's rules and example only when FALC is asked; a number of
sentences when the text is asked shorter."""

from civia.assistants.catalogue import get
from civia.assistants.runner import build_messages

TEXT = "Le conseil municipal approuve la convention de partenariat avec la communauté de communes."


def _user_message(registre: str, longueur: str = "équivalente", texte: str = TEXT) -> str:
    spec = get("reformulation")
    assert spec is not None
    values = {"texte": texte, "registre": registre, "longueur": longueur}
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


def test_a_shorter_text_is_asked_in_half_the_sentences() -> None:
    """« Plus court » alone left the text as long as it was (7 of 20 dev runs): the model
    follows a number of sentences better than a share or a count of words."""
    four = "Une phrase. Une autre phrase. Encore une phrase. La dernière phrase."
    assert "Écris au plus 2 phrase(s) : garde l'essentiel." in _user_message(
        "note au président", "plus court", four
    )
    assert "Écris au plus 1 phrase(s)" in _user_message("note au président", "plus court")
    listed = (
        "Points de vigilance :\n- extincteurs ;\n- issue encombrée ;\n- registre.\nAvis favorable."
    )
    assert "Écris au plus 2 phrase(s)" in _user_message("note au président", "plus court", listed)
    assert "Écris au plus" not in _user_message("note au président", "plus développée")
