"""The compte rendu's loose ends: an action without a deadline takes the date its own text
gives (« prépare le dossier pour le 15 avril ») when the notes say it, otherwise « à définir »,
as an action without an owner does (what the instructions ask, and the small model leaves
empty); an agenda item that is only a time (« 19:00 », « 18 h 30 – 20 h », the meeting's
hours) is dropped; any number, date or amount the notes, the title and the date do not contain
is marked « [à vérifier] » (the small model adds up amounts the notes gave apart). An action
whose owner is one of the agenda's, decisions' or open questions' points (« Aides
facultatives », « Proposition : plafonner l'aide… »: the small model fills « qui » with
them) has no owner: « à définir ». When the notes list who was there (« Présents : Mme
Rolland, deux bénévoles. »), the participants are that list, as written: the small model
numbered « deux bénévoles » into « Bénévolat 1 », « Bénévolat 2 »."""

from __future__ import annotations

import re
from typing import Any

from civia.assistants import facts, repetition
from civia.dates import date_fr

TO_DEFINE = "à définir"
HOUR = r"\d{1,2}\s*(?:[:h.]\s*\d{2}|h)"  # « 19:00 », « 18 h 30 », « 20h »: a bare « 3 » is not one
TIME_ONLY = re.compile(rf"\s*(?:{HOUR}|\d{{1,2}})\s*[-–à]\s*{HOUR}\s*|\s*{HOUR}\s*")
LISTS = ("ordre_du_jour", "decisions", "questions_ouvertes")
PRESENT = re.compile(
    r"(?:^|[\n.])\s*(?:étaient\s+)?(?:présents|présentes|participants)\s*:"
    r"\s*((?:\b(?:M|Mr|Dr|Pr)\.|[^.\n])+)",  # « M. Durand »: not the end of the list
    re.IGNORECASE,
)
LISTED = re.compile(r"\s*[,;]\s*(?![^()]*\))")  # not within brackets: « (Batimo, gros œuvre) »


def present(notes: str) -> list[str]:
    """Who the notes say was there (« Présents : DGS, DSI, trois référents »), or []."""
    found = PRESENT.search(notes)
    if found is None:
        return []
    return [name for item in LISTED.split(found.group(1)) for name in _pair(item.strip()) if name]


def _pair(item: str) -> list[str]:
    """« M. Durand et Mme Li » is two people, « M. et Mme Durand » one entry."""
    left, sep, right = item.partition(" et ")
    return [left, right] if sep and len(left.split()) > 1 and len(right.split()) > 1 else [item]


def finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    given = [values.get("titre", ""), values.get("notes", ""), date_fr(values.get("date", ""))]
    source = facts.given(given, context)
    mark = facts.Marker(source)

    out = dict(data)
    listed = present(values.get("notes", ""))
    named = [str(p) for p in data.get("participants") or []]
    if listed and "participants" in data:
        out["participants"] = listed
    agenda = [str(i) for i in data.get("ordre_du_jour") or []]
    out["ordre_du_jour"] = [i for i in agenda if not TIME_ONLY.fullmatch(i)]
    for key in LISTS:
        if key in data:
            out[key] = [mark(i) for i in out[key]]
    if "synthese" in data:
        out["synthese"] = mark(data["synthese"])
    dated = defined = 0
    points = {repetition.words(str(i)) for key in LISTS for i in data.get(key) or []} - {()}
    actions = []
    for action in data.get("actions") or []:
        who, what = str(action.get("qui", "")).strip(), str(action.get("quoi", "")).strip()
        when = str(action.get("echeance", "")).strip()
        if not when:
            said = [
                m.group() for m in facts.ITEM.finditer(what) if m["date"] and source.supports(m)
            ]
            when = said[0] if said else TO_DEFINE
            dated += bool(said)
            defined += not said
        if not who or repetition.words(who) in points:  # « Aides facultatives »: a point
            who, defined = TO_DEFINE, defined + 1
        actions.append({**action, "qui": who, "quoi": mark(what), "echeance": mark(when)})
    if "actions" in data:
        out["actions"] = actions
    notes = []
    if listed and [repetition.words(p) for p in named] != [repetition.words(p) for p in listed]:
        notes.append("Participants repris tels que les notes les listent (« Présents : … »).")
    if len(agenda) > len(out["ordre_du_jour"]):
        notes.append("Points de l'ordre du jour sans texte (une heure seule) retirés.")
    if dated:
        notes.append(f"Échéance reprise du texte de l'action pour {dated} action(s).")
    if defined:
        notes.append(f"Responsable ou échéance absents des notes : « {TO_DEFINE} » ({defined}).")
    if mark.found:
        notes.append(f"Absent des notes, marqué [à vérifier] : {facts.listed(mark.found)}.")
    return out, notes
