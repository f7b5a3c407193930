"""The salutation from the recipient's civility, the closing formula from the settings."""

import pytest

from civia.assistants.letters import salutation


@pytest.mark.parametrize(
    ("civilite", "destinataire", "expected"),
    [
        ("selon le destinataire", "Mme Jeanne Martin, café du Centre", "Madame,"),
        ("selon le destinataire", "Madame Claire Martin, 3 rue des Écoles", "Madame,"),
        ("selon le destinataire", "M. Karim Benali", "Monsieur,"),
        ("selon le destinataire", "Monsieur et Madame Petit", "Madame, Monsieur,"),
        ("selon le destinataire", "SARL Bâtir Plus, 45 avenue de la Gare", "Madame, Monsieur,"),
        ("selon le destinataire", "Association Les Amis du Vieux Moulin", "Madame, Monsieur,"),
        ("", "Monsieur le Président du SIVOM", "Monsieur le Président,"),
        ("selon le destinataire", "Madame la Directrice de l'école", "Madame la Directrice,"),
        ("Monsieur", "Dominique Laurent", "Monsieur,"),
        ("Madame, Monsieur", "Mme Petit", "Madame, Monsieur,"),
        ("Madame", "Mairie annexe", "Madame,"),
    ],
)
def test_salutation_from_civility(civilite: str, destinataire: str, expected: str) -> None:
    assert salutation.appel(civilite, destinataire) == expected


def test_a_chosen_civility_wins_over_a_misleading_recipient() -> None:
    # the agent corrected a « Madame » the address line got wrong
    assert salutation.appel("Monsieur", "Madame Camille Roy") == "Monsieur,"


def test_closing_formula_per_kind_names_the_salutation() -> None:
    usager = salutation.closing("usager", "Madame,")
    assert (
        usager == "Nous vous prions d'agréer, Madame, l'expression de nos salutations distinguées."
    )
    assert "haute considération" in salutation.closing("élu", "Monsieur le Maire,")
    assert ", Monsieur le Maire," in salutation.closing("élu", "Monsieur le Maire,")
    assert "considération distinguée" in salutation.closing("administration", "Madame,")
    # an unknown kind falls back to the usager's formula
    assert salutation.closing("inconnu", "Madame,") == usager


def test_the_collectivite_sets_its_own_formulas() -> None:
    closings = salutation.closings_of(
        {"formule_elu": "Veuillez croire, {appel}, à mes sentiments les meilleurs."}
    )
    assert salutation.closing("élu", "Madame,", closings) == (
        "Veuillez croire, Madame, à mes sentiments les meilleurs."
    )
    assert closings["usager"] == salutation.DEFAULT_CLOSINGS["usager"]
