"""The courrier's frame and checks. The model writes only the body (short paragraphs, from the
facts); the salutation, the closing formula and the voice are decided here, and what the model
wrote is checked: repairs where they are safe, a note for the agent where they are not."""

from __future__ import annotations

from typing import Any

from civia.assistants import facts
from civia.assistants.letters import body, salutation

SOURCE_FIELDS = ("destinataire", "objet", "faits", "reference", "signataire")


def finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """`data` (the model's `paragraphes`) completed with `appel` and `formule_politesse`, its
    body cleaned and marked; and the notes for the agent (French, one per problem)."""
    destinataire = values.get("destinataire", "")
    appel = salutation.appel(values.get("civilite", ""), destinataire)
    closings = context.get("formules") if isinstance(context.get("formules"), dict) else None
    formule = salutation.closing(values.get("public", "usager"), appel, closings)

    signatures = [str(context.get(k) or "") for k in ("collectivite", "signataire", "autorite")] + [
        values.get("signataire", ""),
        f"commune de {context.get('city') or ''}".strip(),
    ]
    cleaned = body.clean([str(p) for p in data.get("paragraphes") or []], signatures)
    notes = list(cleaned.notes)
    source = facts.given((values.get(k, "") for k in SOURCE_FIELDS), context)
    marked, unsupported = [], []
    for paragraph in cleaned.paragraphs:
        text, found = facts.mark_unsupported(paragraph, source)
        marked.append(text)
        unsupported += found
    if unsupported:
        notes.append(
            "Absent de votre demande, marqué [à vérifier] dans le courrier : "
            f"{facts.listed(unsupported)}."
        )
    for fact in _missing(marked, values):
        notes.append(f"Fait peut-être absent du courrier : « {fact} ».")
    return {**data, "appel": appel, "paragraphes": marked, "formule_politesse": formule}, notes


def _missing(paragraphs: list[str], values: dict[str, str]) -> list[str]:
    letter = "\n".join([values.get("objet", ""), values.get("destinataire", ""), *paragraphs])
    return facts.missing_facts(values.get("faits", ""), letter)


def _missing_after_finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> list[str]:
    finished, _ = finish(data, values, context)
    return _missing(finished["paragraphes"], values)


def follow_up(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> dict[str, str]:
    """When the body leaves out facts of the request: the same request again with only those
    facts (a fresh one: shown its first answer, a small model copies it), whose paragraphs
    `merge` adds. Empty when nothing is missing."""
    missing = _missing_after_finish(data, values, context)
    return {"faits": "\n".join(missing)} if missing else {}


def merge(
    first: dict[str, Any],
    more: dict[str, Any],
    values: dict[str, str],
    context: dict[str, Any],
) -> dict[str, Any]:
    """The body followed by the follow-up's paragraphs, kept only if fewer facts are then
    missing (the checks of `finish` then apply to the whole)."""
    body = [str(p) for p in first.get("paragraphes") or []]
    added = [str(p) for p in more.get("paragraphes") or []]
    merged = {**first, "paragraphes": body + added}
    before = _missing_after_finish(first, values, context)
    after = _missing_after_finish(merged, values, context)
    return merged if len(after) < len(before) else first
