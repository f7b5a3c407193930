"""« Rédiger à partir de ces actes »: what the drafting assistants start from.

From one or several acts, the arrêté assistant's form is pre-filled (objet, visas, motifs,
reference acts and their articles) and a délibération request is prepared for a conversation.
Only what the acts say is carried over — their objets, « Vu … » and « Considérant … » lines,
articles — so the model is not asked to invent legal references; the agent edits the form or
the request before anything runs, and validates the draft as with every assistant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from civia.documents.acts.models import Act, ActKind, Outcome
from civia.documents.acts.text import date_fr, vote_line

MAX_ACTS = 8
_VISA = re.compile(r"^\s*vu[\s,:]", re.IGNORECASE)
_CONSIDERANT = re.compile(r"^\s*consid[ée]rant", re.IGNORECASE)
_ARTICLE = re.compile(r"^\s*article\s+(?:\d+|premier|1er)\b", re.IGNORECASE)
_LETTER_LIMIT = 6000  # a délibération request stays well inside the local model's context


def _lines(body: str, pattern: re.Pattern[str]) -> list[str]:
    return [" ".join(line.split()) for line in body.splitlines() if pattern.match(line)]


def _unique(items: Iterable[str]) -> list[str]:
    """Each line once (« VU le code de la route » and « Vu le code de la route » are one)."""
    kept: dict[str, str] = {}
    for item in items:
        line = item.rstrip(" ;,.")
        if line:
            kept.setdefault(line.casefold(), line)
    return list(kept.values())


def reference(act: Act) -> str:
    """« Délibération n° 2024-12 du 12 mars 2024 (Commune de X) : objet — vote »."""
    number = f" n° {act.identifier}" if act.identifier else ""
    line = f"{act.kind_label}{number} du {date_fr(act.act_date)} ({act.coll_name}) : {act.objet}"
    if act.outcome not in (Outcome.UNKNOWN.value, Outcome.NO_VOTE.value):
        votes = vote_line(act)
        line += f" — {act.outcome_label.lower()}" + (f" ({votes})" if votes else "")
    return line


def visas(acts: list[Act]) -> list[str]:
    return _unique(v for act in acts for v in _lines(act.body or "", _VISA))


def considerants(acts: list[Act]) -> list[str]:
    return _unique(c for act in acts for c in _lines(act.body or "", _CONSIDERANT))


def _fit(values: dict[str, str], limits: Mapping[str, int]) -> dict[str, str]:
    """Keep the fields the form has, cut to their length (the form refuses longer values)."""
    fitted = {}
    for name, value in values.items():
        if name in limits and value:
            limit = limits[name]
            fitted[name] = value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
    return fitted


def arrete_prefill(acts: list[Act], limits: Mapping[str, int]) -> dict[str, str]:
    """Values for the arrêté assistant's form fields (`limits`: field name → max length).
    The first act is the model; the others add their visas, motifs and references."""
    acts = acts[:MAX_ACTS]
    main = acts[0]
    references = "\n".join(f"- {reference(act)}" for act in acts)
    articles = _lines(main.body or "", _ARTICLE)
    mesures = f"À adapter à partir des actes de référence :\n{references}"
    if articles:
        mesures += "\n\nArticles de l'acte modèle :\n" + "\n".join(articles)
    return _fit(
        {
            "objet": main.objet,
            "textes": "\n".join(visas(acts)),
            "motifs": "\n".join(considerants(acts)),
            "mesures": mesures,
        },
        limits,
    )


def deliberation_request(acts: list[Act], *, tenant_name: str) -> str:
    """A request for a conversation: draft a délibération modelled on these acts."""
    acts = acts[:MAX_ACTS]
    main = acts[0]
    kind = (
        "délibération"
        if main.kind == ActKind.DELIBERATION
        else "délibération (sur le modèle d'un acte)"
    )
    parts = [
        f"Rédige un projet de {kind} pour {tenant_name}, ayant pour objet : {main.objet}.",
        "Structure attendue : les visas (« Vu … »), les considérants (« Considérant que … »), "
        "la formule « Le conseil, après en avoir délibéré, DÉCIDE : », puis des articles "
        "numérotés. N'invente ni texte juridique, ni montant, ni date : reprends seulement ceux "
        "des actes ci-dessous ou écris [à préciser].",
        "",
        "Actes similaires servant de modèle :",
        *(f"{n}. {reference(act)}" for n, act in enumerate(acts, start=1)),
    ]
    found_visas = visas(acts)
    if found_visas:
        parts += ["", "Visas relevés dans ces actes :", *found_visas]
    found = considerants(acts)
    if found:
        parts += ["", "Considérants relevés dans ces actes :", *found]
    text = "\n".join(parts)
    return text if len(text) <= _LETTER_LIMIT else text[: _LETTER_LIMIT - 1].rstrip() + "…"
