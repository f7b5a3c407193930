"""Search filters on acts, as SQL conditions that every ranking query carries inside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_

from civia.documents.acts.models import Act, ActKind, Outcome

# The vote filters users choose from, and the outcomes each one covers.
VOTE_FILTERS: dict[str, tuple[str, tuple[Outcome, ...]]] = {
    "unanimite": ("Adopté à l'unanimité", (Outcome.UNANIMOUS,)),
    "sans_contre": ("Adopté sans voix contre", (Outcome.UNANIMOUS, Outcome.ABSTENTIONS)),
    "contre": ("Avec des voix contre", (Outcome.OPPOSED, Outcome.TIED, Outcome.REJECTED)),
    "rejete": ("Rejeté", (Outcome.REJECTED,)),
    "non_renseigne": ("Vote non renseigné ou sans vote", (Outcome.UNKNOWN, Outcome.NO_VOTE)),
}
# Level 1 of the ACTES nomenclature, to group the thèmes (matières) found in the acts.
MATIERE_GROUPS = {
    "1": "Commande publique",
    "2": "Urbanisme",
    "3": "Domaine et patrimoine",
    "4": "Fonction publique",
    "5": "Institutions et vie politique",
    "6": "Libertés publiques et pouvoirs de police",
    "7": "Finances locales",
    "8": "Domaines de compétences par thèmes",
    "9": "Autres domaines de compétences",
}
_CODE = re.compile(r"^\d(?:\.\d{1,2})*$")


class FilterError(ValueError):
    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


@dataclass(frozen=True)
class ActFilters:
    kinds: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    siret: str = ""  # the author collectivité
    matiere: str = ""  # an ACTES code ("7", "7.1") or a thème name of a local referential
    vote: str = ""  # a key of VOTE_FILTERS

    @property
    def active(self) -> bool:
        return bool(
            self.kinds or self.date_from or self.date_to or self.siret or self.matiere or self.vote
        )


def _date(value: str, label: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{label} « {value} » n'est pas une date (AAAA-MM-JJ).") from None


def parse_filters(
    *,
    kinds: list[str] | tuple[str, ...] = (),
    date_from: str = "",
    date_to: str = "",
    siret: str = "",
    matiere: str = "",
    vote: str = "",
) -> ActFilters:
    """Filters from form values; raises `FilterError` (French) for a value that cannot be."""
    known = {k.value for k in ActKind}
    unknown = [k for k in kinds if k and k not in known]
    if unknown:
        raise FilterError(f"Type d'acte inconnu : « {unknown[0][:40]} ».")
    if vote and vote not in VOTE_FILTERS:
        raise FilterError(f"Résultat de vote inconnu : « {vote[:40]} ».")
    start = _date(date_from, "La date de début")
    end = _date(date_to, "La date de fin")
    if start and end and start > end:
        raise FilterError("La date de début est postérieure à la date de fin.")
    siret = re.sub(r"\s", "", siret)
    if siret and not re.fullmatch(r"\d{14}", siret):
        raise FilterError(f"Collectivité inconnue : « {siret[:40]} » n'est pas un SIRET.")
    return ActFilters(
        kinds=tuple(dict.fromkeys(k for k in kinds if k)),
        date_from=start,
        date_to=end,
        siret=siret,
        matiere=matiere.strip()[:300],
        vote=vote,
    )


def conditions(filters: ActFilters) -> list[ColumnElement[bool]]:
    """SQL conditions on `Act` for these filters (the caller adds the readable tenants)."""
    where: list[ColumnElement[bool]] = []
    if filters.kinds:
        where.append(Act.kind.in_(filters.kinds))
    if filters.date_from:
        where.append(Act.act_date >= filters.date_from)
    if filters.date_to:
        where.append(Act.act_date <= filters.date_to)
    if filters.siret:
        where.append(Act.coll_siret == filters.siret)
    if filters.matiere:
        if _CODE.match(filters.matiere):  # a code and its sub-codes: "7.1" → 7.1, 7.1.2…
            where.append(
                or_(
                    Act.matiere_code == filters.matiere,
                    Act.matiere_code.like(f"{filters.matiere}.%"),
                )
            )
        else:
            where.append(Act.matiere_name == filters.matiere)
    if filters.vote:
        where.append(Act.outcome.in_([o.value for o in VOTE_FILTERS[filters.vote][1]]))
    return where
