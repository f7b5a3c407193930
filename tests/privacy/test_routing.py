"""Route by sensitivity: mask or refuse before a model that is not cleared, restore after."""

import pytest

from civia.privacy.routing import PrivacyRefused, StreamRestorer, guard
from civia.providers.base import ChatMessage


def nir(base: str) -> str:
    digits = base.replace(" ", "")
    return f"{base} {97 - int(digits) % 97:02d}"


NIR = nir("2 85 03 75 111 222")
TEXT = f"Bonjour, je suis Jeanne Dupont, mon NIR est {NIR}. Que faire pour ma carte vitale ?"


def run(messages: list[ChatMessage], **kw: str):
    args = {"sensitivity": "internal", "clearance": "internal", "policy": "pseudonymise",
            "provider": "Cloud", "hosting": "Hors Union européenne", **kw}  # fmt: skip
    return guard(messages, **args)


def test_local_model_receives_everything_without_scan() -> None:
    msgs = [ChatMessage("user", TEXT)]
    out = run(msgs, clearance="sensitive")
    assert out.messages == msgs and out.action == "none"


def test_uncleared_model_gets_placeholders() -> None:
    out = run([ChatMessage("system", "Tu es Civia."), ChatMessage("user", TEXT)])
    sent = out.messages[1].content
    assert "Dupont" not in sent and NIR not in sent
    assert "[PERSONNE_1]" in sent and "[NIR_1]" in sent
    assert out.messages[0].content == "Tu es Civia."
    assert out.counts == {"PERSON": 1, "NIR": 1} and out.action == "pseudonymised"


def test_same_person_same_placeholder_across_messages() -> None:
    out = run([ChatMessage("user", TEXT), ChatMessage("assistant", "Bonjour Jeanne Dupont."),
               ChatMessage("user", "Merci, Jeanne Dupont")])  # fmt: skip
    assert all("[PERSONNE_1]" in m.content for m in out.messages)


def test_refuse_policy_explains_in_french() -> None:
    with pytest.raises(PrivacyRefused) as err:
        run([ChatMessage("user", TEXT)], policy="refuse")
    assert "NIR" in err.value.message_fr and "n'est pas autorisé" in err.value.message_fr


def test_personal_assistant_on_uncleared_model_without_detectable_data_is_refused() -> None:
    with pytest.raises(PrivacyRefused):
        run([ChatMessage("user", "Rien de particulier.")], sensitivity="personal")


def test_cleared_for_personal_but_not_sensitive() -> None:
    out = run([ChatMessage("user", "Écrire à Jeanne Dupont.")], clearance="personal")
    assert out.action == "none"
    out = run([ChatMessage("user", TEXT)], clearance="personal")
    assert out.action == "pseudonymised"


@pytest.mark.parametrize("cut", range(1, 24))
def test_restorer_handles_placeholders_split_across_chunks(cut: int) -> None:
    answer = "Madame [PERSONNE_1], votre NIR [NIR_1] est noté."
    restorer = StreamRestorer({"PERSONNE_1": "Jeanne Dupont", "NIR_1": NIR})
    out = restorer.feed(answer[:cut]) + restorer.feed(answer[cut:]) + restorer.flush()
    assert out == f"Madame Jeanne Dupont, votre NIR {NIR} est noté."


def test_system_messages_are_scanned_too() -> None:
    """API clients write their own system messages; grounded prompts carry passages there."""
    out = run([ChatMessage("system", f"Dossier : {TEXT}"), ChatMessage("user", "Résume.")])
    assert "Dupont" not in out.messages[0].content and "[PERSONNE_1]" in out.messages[0].content
    assert out.messages[1].content == "Résume."
    plain = run([ChatMessage("system", "Tu es Civia, l'assistant de la mairie."),
                 ChatMessage("user", "Bonjour")])  # fmt: skip
    assert plain.action == "none" and plain.counts == {}


def test_scanned_texts_are_remembered_by_digest_and_offsets_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A conversation sends its history with every turn: each text is scanned once, and what
    is kept of it is a digest and the spans' offsets, never a value."""
    from civia.privacy import routing

    instructions = "Tu es l'assistant courrier de la mairie. Réponds en français."
    run([ChatMessage("system", instructions), ChatMessage("user", "Bonjour")])
    assert instructions not in str(routing._SCANNED)  # digests, never the text
    dirty = f"Dossier : {TEXT}"
    first = run([ChatMessage("system", dirty), ChatMessage("user", "Résume.")])
    assert "Dupont" not in str(routing._SCANNED)

    def scanned_again(text: str) -> None:
        raise AssertionError("a remembered text was scanned again")

    monkeypatch.setattr(routing, "_scan", scanned_again)
    again = run([ChatMessage("system", dirty), ChatMessage("user", "Résume.")])  # remembered
    assert "Dupont" not in again.messages[0].content
    assert again.messages == first.messages and again.mapping == first.mapping
    assert again.counts == first.counts


def test_remembered_scans_are_kept_apart_per_collectivite(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text scanned for one collectivité is scanned again for another: a faster answer must
    not tell one that another sent the same text."""
    from civia.privacy import routing

    text = f"Courrier de la commune : {TEXT}"
    first = run([ChatMessage("user", text)], scope="1")
    scans: list[str] = []
    real_scan = routing._scan

    def counted(t: str):  # type: ignore[no-untyped-def]
        scans.append(t)
        return real_scan(t)

    monkeypatch.setattr(routing, "_scan", counted)
    again = run([ChatMessage("user", text)], scope="1")
    assert scans == []  # remembered for the same collectivité
    other = run([ChatMessage("user", text)], scope="2")
    assert scans == [text]  # scanned anew for another one
    assert other.counts == first.counts == again.counts
