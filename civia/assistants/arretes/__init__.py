"""The arrêté's visas and checks. The model writes the title, the considérants and the
provisions; the visas come from the agent's texts and the library (never from the model), and
any number, date or duration absent from the request is marked « [à vérifier] »."""

from __future__ import annotations

from typing import Any

from civia.assistants import facts, repetition
from civia.assistants.arretes import visas

REQUEST_FIELDS = ("objet", "motifs", "mesures")
SOURCE_FIELDS = ("objet", "textes", "motifs", "mesures", "beneficiaire")


def finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    request = "\n".join(values.get(k, "") for k in REQUEST_FIELDS)
    textes = values.get("textes", "")
    chosen, others = visas.visas_for(textes, request)
    notes = []
    if not visas.from_texts(textes) and chosen != [visas.TO_COMPLETE]:
        notes.append("Visas repris de la bibliothèque de références : vérifiez qu'ils conviennent.")
    if others:
        listed = " ; ".join(f"« {v} »" for v in others)
        notes.append(f"Visas possibles, d'après la bibliothèque de références : {listed}.")
    if chosen == [visas.TO_COMPLETE]:
        notes.append("Aucun texte à viser : complétez le visa marqué [visa à compléter].")
    mark = facts.Marker(facts.given((values.get(k, "") for k in SOURCE_FIELDS), context))

    # the small model loops: a considérant or an article said twice is kept once
    considerants, twice = repetition.dedupe([str(c) for c in data.get("considerants") or []])
    dispositions, more = repetition.dedupe([str(d) for d in data.get("dispositions") or []])
    if twice + more:
        notes.append(f"{twice + more} considérant(s) ou article(s) répété(s) : retiré(s).")
    out = {
        **data,
        "visas": chosen,
        "titre": mark(data.get("titre", "")),
        # the template ends each considérant with « ; »: the model's own full stop would stay
        "considerants": [mark(c.rstrip(" .;,:")) for c in considerants],
        "dispositions": [mark(d) for d in dispositions],
    }
    # an individual decision is notified to its beneficiary, whom the small model often leaves
    # unnamed (and the appeal period runs from the notification)
    beneficiaire = values.get("beneficiaire", "").strip().rstrip(" .;,")
    notified = any("notifi" in d.lower() for d in out["dispositions"])
    if values.get("individuel") == "oui" and beneficiaire and not notified:
        out["dispositions"].append(
            f"Le présent arrêté sera notifié au bénéficiaire : {beneficiaire}."
        )
    if mark.found:
        notes.append(
            "Absent de votre demande, marqué [à vérifier] dans l'arrêté : "
            f"{facts.listed(mark.found)}."
        )
    return out, notes
