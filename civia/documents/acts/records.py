"""One act's metadata, validated from raw strings (a CSV row or the import form).

`parse_record(raw)` takes SCDL column names as keys and returns an `ActRecord`, or raises
`RecordError` listing every problem in French with the field it concerns, so a CSV import can
report a line and the form can mark its fields. Real open-data files are messy: dates come as
AAAA-MM-JJ, JJ/MM/AAAA or with a time, numbers as "12.0" (spreadsheets), SIRETs with spaces
or in scientific notation (a spreadsheet that took them for numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from civia.documents.acts.fields import (
    parse_count,
    parse_date,
    parse_kind,
    parse_siret,
    parse_url,
    vote_outcome,
)

SCDL_COLUMNS = (
    "COLL_NOM",
    "COLL_SIRET",
    "DELIB_ID",
    "DELIB_DATE",
    "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM",
    "DELIB_OBJET",
    "BUDGET_ANNEE",
    "BUDGET_NOM",
    "PREF_ID",
    "PREF_DATE",
    "VOTE_EFFECTIF",
    "VOTE_REEL",
    "VOTE_POUR",
    "VOTE_CONTRE",
    "VOTE_ABSTENTION",
    "DELIB_URL",
)
# Required to import a row; the schema also requires the matière, often left empty in practice.
REQUIRED = ("COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_OBJET")
# Extra columns some publishers add (pro.publication-actes.fr exports): the nature of the act.
KIND_COLUMNS = ("NATURE_ACTE", "TYPE_ACTE")
VOTE_COLUMNS = ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")

LABELS = {
    "COLL_NOM": "le nom de la collectivité (COLL_NOM)",
    "COLL_SIRET": "le SIRET de la collectivité (COLL_SIRET)",
    "DELIB_ID": "l'identifiant de l'acte (DELIB_ID)",
    "DELIB_DATE": "la date de l'acte (DELIB_DATE)",
    "DELIB_OBJET": "l'objet (DELIB_OBJET)",
    "PREF_DATE": "la date de transmission en préfecture (PREF_DATE)",
    "DELIB_URL": "le lien (DELIB_URL)",
}


class RecordError(ValueError):
    """Problems of one record: (SCDL column, French message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems

    @property
    def message_fr(self) -> str:
        return str(self)


@dataclass(frozen=True)
class ActRecord:
    kind: str
    coll_name: str
    coll_siret: str
    identifier: str
    act_date: date
    matiere_code: str
    matiere_name: str
    objet: str
    budget_year: str
    budget_name: str
    pref_id: str
    pref_date: date | None
    vote_effectif: int | None
    vote_reel: int | None
    vote_pour: int | None
    vote_contre: int | None
    vote_abstention: int | None
    url: str
    body: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.coll_siret, self.kind, self.identifier)

    @property
    def outcome(self) -> str:
        return vote_outcome(self.kind, self.vote_pour, self.vote_contre, self.vote_abstention)

    def values(self) -> dict[str, object]:
        """Column values for the `Act` row."""
        data: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["outcome"] = self.outcome
        return data


def _text(raw: dict[str, str], column: str, limit: int) -> str:
    return " ".join((raw.get(column) or "").split())[:limit]


def parse_record(
    raw: dict[str, str], *, body: str = "", kind: str | None = None, siret_required: bool = True
) -> ActRecord:
    """Validate one act. `raw` maps SCDL column names (and optionally NATURE_ACTE) to text.
    The import form may leave the SIRET empty (an agent filing one of their own arrêtés)."""
    problems: list[tuple[str, str]] = []
    for column in REQUIRED:
        if column == "COLL_SIRET" and not siret_required:
            continue
        if not (raw.get(column) or "").strip():
            problems.append((column, f"{LABELS[column]} est vide"))
    siret = ""
    if (raw.get("COLL_SIRET") or "").strip():
        try:
            siret = parse_siret(raw["COLL_SIRET"])
        except ValueError as exc:
            problems.append(("COLL_SIRET", str(exc)))
    dates: dict[str, date | None] = {}
    for column in ("DELIB_DATE", "PREF_DATE"):
        try:
            dates[column] = parse_date(raw.get(column) or "")
        except ValueError:
            problems.append(
                (
                    column,
                    f"{LABELS[column][:1].upper()}{LABELS[column][1:]} « {raw[column].strip()} » "
                    "n'est pas une date valide (attendu AAAA-MM-JJ ou JJ/MM/AAAA)",
                )
            )
    counts: dict[str, int | None] = {}
    for column in VOTE_COLUMNS:
        try:
            counts[column] = parse_count(raw.get(column) or "")
        except ValueError:
            problems.append(
                (column, f"{column} « {raw[column].strip()} » n'est pas un nombre entier positif")
            )
    url = ""
    try:
        url = parse_url(raw.get("DELIB_URL") or "")
    except ValueError:
        problems.append(
            ("DELIB_URL", f"le lien « {raw['DELIB_URL'].strip()[:80]} » n'est pas une adresse web")
        )
    if problems:
        raise RecordError(problems)
    if kind is None:
        nature = next((raw[c] for c in KIND_COLUMNS if (raw.get(c) or "").strip()), "")
        kind = parse_kind(nature)
    act_date = dates["DELIB_DATE"]
    assert act_date is not None  # required above
    return ActRecord(
        kind=kind,
        coll_name=_text(raw, "COLL_NOM", 300),
        coll_siret=siret,
        identifier=_text(raw, "DELIB_ID", 100),
        act_date=act_date,
        matiere_code=_text(raw, "DELIB_MATIERE_CODE", 20),
        matiere_name=_text(raw, "DELIB_MATIERE_NOM", 300),
        objet=" ".join((raw.get("DELIB_OBJET") or "").split())[:5000],
        budget_year=_text(raw, "BUDGET_ANNEE", 20).removesuffix(".0"),
        budget_name=_text(raw, "BUDGET_NOM", 300),
        pref_id=_text(raw, "PREF_ID", 20),
        pref_date=dates["PREF_DATE"],
        vote_effectif=counts["VOTE_EFFECTIF"],
        vote_reel=counts["VOTE_REEL"],
        vote_pour=counts["VOTE_POUR"],
        vote_contre=counts["VOTE_CONTRE"],
        vote_abstention=counts["VOTE_ABSTENTION"],
        url=url,
        body=body,
    )
