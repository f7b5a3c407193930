"""What the small model copies of its instructions: removed when the inputs do not give it."""

from __future__ import annotations

from civia.assistants import echo
from civia.assistants.catalogue import get
from civia.assistants.runner import ECHO_FR, build_messages
from tests.assistants.test_repetition import Scripted, _run

POOL = {  # bench dev input 21 of the reformulation
    "texte": "Fermeture de la piscine du 2 au 15 septembre pour vidange annuelle. Réouverture le "
    "16 septembre aux horaires habituels.",
    "registre": "courrier usager FALC",
    "longueur": "plus développée",
}
# What the bundled model answered (bench/results/issue17f-reformulation-dev2-before.jsonl)
ANSWER = (
    "La piscine sera fermée du 2 au 15 septembre.\n"
    "Nous effectuons une vidange annuelle.\n"
    "Après la vidange, les personnes en fauteuil pourront entrer plus facilement.\n"
    "Texte d'origine :\n\n"
    "Le bureau de l'éducation sera fermé le 30 août à 18h00 pour un entretien. Il reprendra ses "
    "services au 1er septembre à 9h00."
)


def _prompt(values: dict[str, str]) -> str:
    return "\n".join(m.content for m in build_messages(get("reformulation"), values, {}))


def test_the_example_and_a_made_up_original_are_removed() -> None:
    text, removed = echo.strip(ANSWER, _prompt(POOL), POOL.values())
    assert text == (
        "La piscine sera fermée du 2 au 15 septembre.\nNous effectuons une vidange annuelle.\n"
    )
    assert removed == 2  # the example's sentence, then the label and what follows it


def test_what_the_inputs_give_is_never_an_echo() -> None:
    """The agent's text may hold the example's very sentence: it stays."""
    example = "Après les travaux, les personnes en fauteuil pourront entrer plus facilement."
    values = {**POOL, "texte": f"{POOL['texte']} {example}"}
    answer = f"La piscine ferme du 2 au 15 septembre.\n{example}\n"
    assert echo.strip(answer, _prompt(values), values.values()) == (answer, 0)


def test_a_sentence_of_the_example_is_removed_mid_line() -> None:
    answer = (
        "La piscine ferme du 2 au 15 septembre. Après les travaux, les personnes en fauteuil "
        "pourront entrer plus facilement. Elle rouvre le 16 septembre."
    )
    text, removed = echo.strip(answer, _prompt(POOL), POOL.values())
    assert (text, removed) == (
        "La piscine ferme du 2 au 15 septembre. Elle rouvre le 16 septembre.\n",
        1,
    )


def test_an_answer_without_echo_is_unchanged() -> None:
    answer = "La piscine est fermée du 2 au 15 septembre.\nElle rouvre le 16 septembre.\n"
    assert echo.strip(answer, _prompt(POOL), POOL.values()) == (answer, 0)


def test_a_first_line_announcing_the_answer_goes_without_a_note() -> None:
    answer = "Voici le texte reformulé :\n\nLa piscine est fermée du 2 au 15 septembre.\n"
    text, removed = echo.strip(answer, _prompt(POOL), POOL.values())
    assert (text, removed) == ("La piscine est fermée du 2 au 15 septembre.\n", 0)
    kept = "Texte du règlement intérieur de la piscine :\nArticle 1. La piscine est ouverte.\n"
    values = {**POOL, "texte": kept}  # the agent's own first line
    assert echo.strip(kept, _prompt(values), values.values()) == (kept, 0)


def test_the_runner_shows_the_answer_without_its_echo_and_says_so() -> None:
    result = _run("reformulation", POOL, Scripted(ANSWER))
    assert result.markdown.startswith("La piscine sera fermée du 2 au 15 septembre.")
    assert "fauteuil" not in result.markdown and "Texte d'origine" not in result.markdown
    assert ECHO_FR.format(n=2) in result.notes
    assert result.raw == ANSWER  # the model's own answer stays in the run's record


def test_a_long_announcement_and_its_rule_go_a_list_opened_by_voici_stays() -> None:
    """Seen on the bundled model: a 20-word announcement, then a Markdown rule."""
    answer = (
        'Voici un reformulé du texte visant à répondre au registre "note au président" et à '
        "maintenir une longueur plus développée :\n\n---\n\nLa piscine ferme du 2 au 15 septembre.\n"
    )
    assert echo.strip(answer, _prompt(POOL), POOL.values()) == (
        "La piscine ferme du 2 au 15 septembre.\n",
        0,
    )
    listed = "Voici les horaires de la piscine :\n- lundi : 9 h – 12 h\n- mardi : fermée\n"
    assert echo.strip(listed, _prompt(POOL), POOL.values()) == (listed, 0)


def test_a_text_like_the_example_may_get_the_examples_answer() -> None:
    """The correction's prompt corrects « Les enfant sont aller a la piscine… » as its example:
    given that very text, the right answer is the example's, not an echo (CI run of 7 December)."""
    values = {"texte": "Les enfant sont aller a la piscine."}
    prompt = "\n".join(m.content for m in build_messages(get("correction"), values, {}))
    answer = "Les enfants sont allés à la piscine.\n"
    assert echo.strip(answer, prompt, values.values()) == (answer, 0)
