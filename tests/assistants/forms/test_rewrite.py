"""The reformulation checked against its source: numbers marked, length and FALC told."""

from civia.assistants.catalogue import get
from civia.assistants.forms import rewrite
from civia.assistants.postchecks import apply_text
from tests.assistants.test_repetition import Scripted, _run

SOURCE = (
    "Les tarifs de la restauration scolaire sont révisés à compter du 1er septembre 2025 : le "
    "repas coûte 3,80 euros pour les familles dont le quotient familial dépasse 800 euros."
)


def _values(registre: str = "note au président", longueur: str = "équivalente") -> dict[str, str]:
    return {"texte": SOURCE, "registre": registre, "longueur": longueur}


def test_a_faithful_reformulation_is_left_alone() -> None:
    text = (
        "À compter du 1er septembre 2025, le repas à la restauration scolaire coûte 3,80 euros "
        "aux familles dont le quotient familial dépasse 800 euros, selon les nouveaux tarifs."
    )
    assert rewrite.finish(text, _values(), {}) == (text, [])


def test_a_number_the_source_does_not_give_is_marked_and_a_lost_one_listed() -> None:
    text = "Dès le 1er septembre 2025, le repas coûte 4 euros aux familles au-dessus de 800 euros."
    marked, notes = rewrite.finish(text, _values(), {})
    assert "4 [à vérifier] euros" in marked
    assert notes == [
        "Absent de la reformulation, à reprendre : « 3,80 ».",
        "Absent du texte d'origine, marqué [à vérifier] : « 4 ».",
    ]


def test_a_text_asked_shorter_must_be_shorter_and_names_what_it_dropped() -> None:
    _, notes = rewrite.finish(SOURCE, _values(longueur="plus court"), {})
    assert notes == [
        "Le texte n'a pas été raccourci (30 mots contre 30 pour le texte d'origine) : "
        "raccourcissez-le ou relancez."
    ]
    short = "Nouveaux tarifs de cantine au 1er septembre 2025."
    assert rewrite.finish(short, _values(longueur="plus court"), {}) == (
        short,
        ["Absent du texte raccourci : « 3,80 », « 800 » ; vérifiez qu'il peut être omis."],
    )
    _, notes = rewrite.finish(SOURCE, _values(longueur="plus développée"), {})
    assert notes[0].startswith("Le texte n'a pas été développé (30 mots contre 30")


def test_falc_sentences_of_more_than_15_words_are_counted() -> None:
    falc = (
        "Les prix de la cantine changent le 1er septembre 2025.\n"
        "Le repas coûte 3,80 euros pour les familles dont le quotient familial dépasse 800 euros."
    )
    _, notes = rewrite.finish(falc, _values("courrier usager FALC"), {})
    assert notes == [
        "1 phrase(s) de plus de 15 mots : le FALC demande des phrases courtes, coupez-les."
    ]


def test_the_built_in_names_the_check_and_an_assistant_without_the_text_is_left_alone() -> None:
    spec = get("reformulation")
    assert spec is not None and spec.output.checks == "rewrite"
    assert apply_text(spec, "Le repas coûte 4 euros.", _values(), {})[0].endswith(
        "[à vérifier] euros."
    )
    assert rewrite.finish("Le repas coûte 4 euros.", {"registre": "note"}, {}) == (
        "Le repas coûte 4 euros.",
        [],
    )


def test_a_text_asked_shorter_that_is_not_is_given_back_once() -> None:
    """The first answer is as long as the source: the model is asked to shorten its own answer,
    and the shorter of the two is shown."""
    first = SOURCE.replace("Les tarifs", "Les nouveaux tarifs")
    second = "Dès le 1er septembre 2025, le repas coûte 3,80 euros au-delà de 800 euros de QF."
    gateway = Scripted(first, second)
    result = _run("reformulation", _values(longueur="plus court"), gateway)
    assert result.follow_ups == 1 and len(gateway.requests) == 2
    assert first in gateway.requests[1].messages[-1].content  # its own answer, to shorten
    assert SOURCE not in gateway.requests[1].messages[-1].content
    assert result.markdown == second + "\n"
    assert not any("pas été raccourci" in n for n in result.notes)
    # the second came back longer: the first stands, and the agent is told
    gateway = Scripted(first, first + " Les familles sont informées par courrier.")
    result = _run("reformulation", _values(longueur="plus court"), gateway)
    assert result.markdown == first + "\n"
    assert any("Le texte n'a pas été raccourci" in n for n in result.notes)


def test_a_shorter_text_or_another_length_asks_nothing_more() -> None:
    short = "Le repas coûte 3,80 euros dès le 1er septembre 2025 au-delà de 800 euros de QF."
    gateway = Scripted(short)
    assert _run("reformulation", _values(longueur="plus court"), gateway).follow_ups == 0
    gateway = Scripted(SOURCE)
    assert _run("reformulation", _values(), gateway).follow_ups == 0
    assert len(gateway.requests) == 1
