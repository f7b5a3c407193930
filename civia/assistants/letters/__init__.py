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
    said = [values.get(k, "") for k in SOURCE_FIELDS]
    said += [v for v in context.values() if isinstance(v, str)]
    source = facts.Source("\n".join(said))
    marked, unsupported = [], []
    for paragraph in cleaned.paragraphs:
        text, found = facts.mark_unsupported(paragraph, source)
        marked.append(text)
        unsupported += found
    if unsupported:
        listed = ", ".join(f"« {u} »" for u in dict.fromkeys(unsupported))
        notes.append(f"Absent de votre demande, marqué [à vérifier] dans le courrier : {listed}.")
    letter = "\n".join([values.get("objet", ""), destinataire, *marked])
    for fact in facts.missing_facts(values.get("faits", ""), letter):
        notes.append(f"Fait peut-être absent du courrier : « {fact} ».")
    return {**data, "appel": appel, "paragraphes": marked, "formule_politesse": formule}, notes
