"""One act's metadata, validated from raw strings (a CSV row or the import form).

`parse_record(raw)` takes SCDL column names as keys and returns an `ActRecord`, or raises
`RecordError` listing every problem in French with the field it concerns, so a CSV import can
report a line and the form can mark its fields. Real open-data files are messy: dates come as
AAAA-MM-JJ, JJ/MM/AAAA or with a time, numbers as "12.0" (spreadsheets), SIRETs with spaces
or in scientific notation (a spreadsheet that took them for numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime

from civia.documents.acts.models import ActKind, Outcome

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

# The natures of the ACTES nomenclature (codes 1-6 and their two-letter forms), and words.
_NATURES = {
    "1": ActKind.DELIBERATION,
    "de": ActKind.DELIBERATION,
    "2": ActKind.ARRETE,  # actes réglementaires
    "ar": ActKind.ARRETE,
    "3": ActKind.ARRETE,  # actes individuels
    "ai": ActKind.ARRETE,
    "4": ActKind.OTHER,  # contrats, conventions
    "cc": ActKind.OTHER,
    "5": ActKind.OTHER,  # documents budgétaires
    "bf": ActKind.OTHER,
    "6": ActKind.OTHER,
    "au": ActKind.OTHER,
}
_KIND_WORDS = (
    ("delib", ActKind.DELIBERATION),
    ("arret", ActKind.ARRETE),
    ("decision", ActKind.DECISION),
)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y")
_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")
_INT_LIKE = re.compile(r"^\d+(?:[.,]0+)?$")


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


def vote_outcome(kind: str, pour: int | None, contre: int | None, abstention: int | None) -> str:
    if (pour is None and contre is None and abstention is None) or not (
        (pour or 0) + (contre or 0) + (abstention or 0)
    ):
        return Outcome.UNKNOWN.value if kind == ActKind.DELIBERATION else Outcome.NO_VOTE.value
    p, c, a = pour or 0, contre or 0, abstention or 0
    if c > p:
        return Outcome.REJECTED.value
    if c == p:
        return Outcome.TIED.value
    if c == 0:
        return Outcome.UNANIMOUS.value if a == 0 else Outcome.ABSTENTIONS.value
    return Outcome.OPPOSED.value


def parse_date(value: str) -> date | None:
    """AAAA-MM-JJ, JJ/MM/AAAA (and a few neighbours), with or without a time; None if empty.
    Raises ValueError for anything else, or a year outside 1800-2200."""
    value = value.strip()
    if not value:
        return None
    head = re.split(r"[T ]", value, maxsplit=1)[0]
    for pattern in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(head, pattern).date()
        except ValueError:
            continue
        if not 1800 <= parsed.year <= 2200:
            raise ValueError(value)
        return parsed
    raise ValueError(value)


def parse_count(value: str) -> int | None:
    """A vote count: empty → None; "12" or "12.0" (spreadsheets) → 12."""
    value = value.strip().replace("\u00a0", "").replace(" ", "")
    if not value:
        return None
    if not _INT_LIKE.match(value):
        raise ValueError(value)
    return int(re.split(r"[.,]", value)[0])


def parse_siret(value: str) -> str:
    """14 digits; spaces, dots and dashes are dropped. Raises ValueError with the reason."""
    cleaned = re.sub(r"[\s.\-\u00a0]", "", value)
    if _SCIENTIFIC.match(value.strip()):
        raise ValueError(
            f"le SIRET « {value.strip()} » est écrit en notation scientifique : le tableur qui a "
            "produit le fichier l'a pris pour un nombre et en a perdu des chiffres"
        )
    if not re.fullmatch(r"\d{14}", cleaned):
        raise ValueError(f"le SIRET « {value.strip()} » doit comporter 14 chiffres")
    return cleaned


def parse_url(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if value.lower().startswith("www."):
        value = "https://" + value
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        raise ValueError(value)
    return value[:1000]


def parse_kind(value: str, default: ActKind = ActKind.DELIBERATION) -> str:
    """An ACTES nature code ("1", "DE", "AR"…) or a word ("Arrêté") → our kind."""
    from civia.documents.analysis import fold

    folded = fold(value.strip())
    if not folded:
        return default.value
    if folded in _NATURES:
        return _NATURES[folded].value
    if folded in {k.value for k in ActKind}:
        return folded
    for prefix, kind in _KIND_WORDS:
        if folded.startswith(prefix):
            return kind.value
    return ActKind.OTHER.value


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
