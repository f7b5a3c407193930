"""The triage's service checked against the collectivité's routing rules (data)."""

from civia.assistants import triage
from civia.assistants.catalogue import get
from civia.assistants.runner import render_markdown

SERVICES = ["Population", "Urbanisme", "Voirie", "Enfance", "Finances"]
LAMP = "Un lampadaire est tombé rue Haute, c'est dangereux."


def test_the_default_rules_name_only_the_collectivite_s_services() -> None:
    rules = triage.rules_for(["État civil", "Services techniques"])
    assert set(rules) == {"État civil", "Services techniques"}
    assert "passeport" in rules["État civil"] and "lampadaire" in rules["Services techniques"]


def test_a_service_the_rules_agree_with_is_confirmed() -> None:
    data, notes = triage.finish(
        {"service": "Voirie", "urgence": "haute"}, {"demande": LAMP}, {"service_list": SERVICES}
    )
    assert data["controle"] == triage.AGREES and notes == []


def test_rules_apply_to_services_whose_name_holds_theirs() -> None:
    rules = triage.rules_for(["Population et citoyenneté", "Action sociale (CCAS)", "Voirie"])
    assert "passeport" in rules["Population et citoyenneté"]
    assert "aide sociale" in rules["Action sociale (CCAS)"] and "trottoir" in rules["Voirie"]


def test_a_model_choice_no_rule_backs_gives_way_to_the_one_service_the_rules_name() -> None:
    data, notes = triage.finish(
        {"service": "Finances"}, {"demande": LAMP}, {"service_list": SERVICES}
    )
    assert data["service"] == "Voirie"
    verdict = (
        "à vérifier : service choisi par les règles de routage (le modèle proposait « Finances »)"
    )
    assert data["controle"] == verdict and notes == [f"Service {verdict}."]


def test_a_model_choice_some_rule_backs_is_kept_and_to_check() -> None:
    both = "Un lampadaire est éteint et le trottoir cassé ; ma facture de cantine est fausse."
    data, _ = triage.finish({"service": "Finances"}, {"demande": both}, {"service_list": SERVICES})
    assert data["service"] == "Finances"  # facture: a rule backs it, though Voirie leads
    assert data["controle"] == "à vérifier : les règles de routage désignent « Voirie »"
    tie = "Le trottoir devant l'école est cassé."
    data, _ = triage.finish({"service": "Population"}, {"demande": tie}, {"service_list": SERVICES})
    assert data["service"] == "Population"  # two services tie: the model's choice stays
    assert "« Voirie » ou « Enfance »" in data["controle"]


def test_a_request_no_rule_knows_is_to_check() -> None:
    data, _ = triage.finish(
        {"service": "Population"}, {"demande": "Bonjour, merci."}, {"service_list": SERVICES}
    )
    assert data["controle"].startswith("à vérifier : aucune règle")


def test_the_collectivite_s_own_words_count() -> None:
    context = {"service_list": SERVICES, "routage": {"Enfance": "ludothèque, mercredis"}}
    data, _ = triage.finish(
        {"service": "Enfance"}, {"demande": "Horaires de la ludothèque ?"}, context
    )
    assert data["controle"] == triage.AGREES


def test_the_check_is_shown_beside_the_service() -> None:
    spec = get("tri-demandes")
    assert spec is not None and spec.output.checks == "triage"
    data, _ = triage.finish(
        {"justification": "Éclairage.", "service": "Voirie", "categorie": "Éclairage",
         "urgence": "haute"},
        {"demande": LAMP}, {"service_list": SERVICES},
    )  # fmt: skip
    markdown = render_markdown(spec, data, {"demande": LAMP}, {})
    assert "| Contrôle |" in markdown and f"| {triage.AGREES} |" in markdown
