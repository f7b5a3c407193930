"""Checks of the body the model wrote: each repairs what it safely can and says so.

The texts are what the bundled model wrote on the bench's requests (bench/results)."""

from civia.assistants.letters import body

FORMULA = "Je vous prie d'agréer, Madame, l'expression de mes salutations distinguées."
SUBSIDY = (
    "Je vous informe que le conseil municipal du 28 mars a voté une subvention de 1 500 euros "
    "pour la fête du moulin. Le versement interviendra après réception du bilan financier."
)


def test_repeated_paragraphs_and_closing_formulas_are_removed() -> None:
    looped = [f"{FORMULA} {SUBSIDY}"] * 3 + [FORMULA]
    cleaned = body.clean(looped)
    assert cleaned.paragraphs == [SUBSIDY]
    assert "Formule de politesse retirée du corps (4 fois)." in cleaned.notes
    assert any(n.startswith("Phrase répétée retirée") for n in cleaned.notes)


def test_a_paragraph_that_mostly_copies_an_earlier_one_is_removed() -> None:
    first = "Le préau sera inaccessible du 8 au 26 juillet pendant le remplacement des fenêtres."
    copy = (
        "Le préau sera donc inaccessible du 8 au 26 juillet pendant le remplacement des fenêtres."
    )
    cleaned = body.clean(
        [first, copy, "Le centre de loisirs sera accueilli à l'école Jules Ferry."]
    )
    assert cleaned.paragraphs[0] == first and len(cleaned.paragraphs) == 2
    assert "Paragraphe répété retiré." in cleaned.notes


def test_salutation_opening_the_body_is_removed() -> None:
    cleaned = body.clean(["Monsieur, nous avons bien reçu votre demande de terrasse.", "Madame,"])
    assert cleaned.paragraphs == ["nous avons bien reçu votre demande de terrasse."]
    assert "Formule d'appel retirée du corps (2 fois)." in cleaned.notes


def test_closing_words_in_an_ordinary_sentence_are_kept() -> None:
    text = "Votre demande a été prise en considération par la commission du 12 mai."
    assert body.clean([text]).paragraphs == [text]


def test_the_recipient_introducing_themself_is_removed() -> None:
    cleaned = body.clean(
        [
            "Je suis M. Jeanne Martin, gérante du café du Centre. Nous vous accordons la "
            "terrasse de 20 m² place du Marché.",
        ]
    )
    assert cleaned.paragraphs == ["Nous vous accordons la terrasse de 20 m² place du Marché."]
    assert "Phrase écrite au nom du destinataire retirée." in cleaned.notes


def test_the_recipient_s_voice_is_marked_for_review() -> None:
    cleaned = body.clean(["Dans l'attente de votre réponse, je reste à votre disposition."])
    assert cleaned.paragraphs[0].endswith(body.TO_REVIEW)
    assert cleaned.notes[0].startswith("Phrase à revoir, écrite comme si le destinataire")


def test_the_collectivite_at_the_recipient_s_disposal_is_its_own_voice() -> None:
    text = "Je suis à votre disposition pour tout renseignement complémentaire."
    cleaned = body.clean([text])
    assert cleaned.paragraphs == [text] and cleaned.notes == []


def test_subject_and_signature_lines_are_removed() -> None:
    cleaned = body.clean(["Objet : Terrasse.", "La terrasse est accordée.", "Signature : Le Maire"])
    assert cleaned.paragraphs == ["La terrasse est accordée."]


def test_a_body_left_empty_keeps_the_model_text_flagged() -> None:
    cleaned = body.clean([FORMULA])
    assert cleaned.paragraphs == [FORMULA]
    assert cleaned.notes[-1] == "Le corps n'a pas pu être nettoyé : relisez-le entièrement."


def test_a_signature_line_in_the_body_is_removed() -> None:
    cleaned = body.clean(
        ["La terrasse est refusée.", "La commune de Démoville", "Le Maire"],
        signatures=["Commune de Démoville", "Le Maire, Jean Exemple"],
    )
    assert cleaned.paragraphs == ["La terrasse est refusée."]
    # a sentence that only starts with the sender's name is the body, not a signature
    kept = "Le Maire vous remercie."
    assert body.clean([kept], signatures=["Le Maire"]).paragraphs == [kept]
