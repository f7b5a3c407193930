"""Read an open-data CSV of the SCDL « Délibérations » schema, however it was written.

Published files differ: comma, semicolon or tab separated, UTF-8 with or without BOM,
Windows-1252 or UTF-16 (spreadsheet exports), quoted fields spanning lines, lower-case or
padded headers, extra columns (NATURE_ACTE, PUBLICATION_DATE…), missing optional ones,
trailing separators. `open_scdl` checks the file as a whole (encoding, separator, required
columns) and raises `ScdlFormatError` with a French message; `records` then yields every
record with the line it starts on, as values or as the reason it cannot be read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from civia.documents.acts.records import KIND_COLUMNS, REQUIRED, SCDL_COLUMNS
from civia.documents.errors import DocumentError
from civia.documents.extract.text import decode

KNOWN = frozenset(SCDL_COLUMNS) | frozenset(KIND_COLUMNS)
SEPARATORS = (";", ",", "\t", "|")
SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
# A field this long, or with this many line breaks, means a quote was never closed.
MAX_FIELD_CHARS = 20_000
MAX_FIELD_LINES = 30

csv.field_size_limit(10_000_000)  # the default 128 KiB would stop at one long objet


class ScdlFormatError(Exception):
    """The file as a whole cannot be imported. `unsupported`: it is not a text file at all
    (a spreadsheet, a binary) rather than a CSV that misses the schema."""

    def __init__(self, message_fr: str, *, unsupported: bool = False) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr
        self.unsupported = unsupported


@dataclass
class ScdlFile:
    text: str
    delimiter: str
    columns: list[str]  # normalised header names, in file order ("" for a blank header)
    notes: list[str] = field(default_factory=list)  # what the import should tell the user


@dataclass(frozen=True)
class Record:
    line: int  # where the record starts in the file (1 = header)
    values: dict[str, str] | None
    error: str = ""


def normalise(name: str) -> str:
    """ " delib_objet " / "Delib Objet" / "\ufeffCOLL_NOM" → "DELIB_OBJET" / "COLL_NOM"."""
    name = name.replace("\ufeff", "").strip().strip('"').strip()
    return re.sub(r"[\s\-]+", "_", name).upper()


def _text_of(data: bytes, filename: str) -> tuple[str, str]:
    """The file's text and a French note on its encoding."""
    if data.startswith(b"PK\x03\x04"):
        raise ScdlFormatError(
            f"« {filename} » est un classeur (XLSX ou ODS), pas un fichier CSV : ouvrez-le dans "
            "votre tableur et enregistrez-le au format CSV.",
            unsupported=True,
        )
    try:
        text = decode(data, filename)
    except DocumentError as exc:
        raise ScdlFormatError(exc.message_fr, unsupported=True) from None
    if "\x00" in text:
        raise ScdlFormatError(f"« {filename} » n'est pas un fichier texte (CSV).", unsupported=True)
    return text, f"Encodage : {_encoding_name(data, text)}."


def _encoding_name(data: bytes, text: str) -> str:
    """Name the encoding `decode` found, for the report (it does not say which it used)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "UTF-8 (avec BOM)"
    for encoding, name in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            if data.decode(encoding) == text:
                return name
        except UnicodeDecodeError:
            continue
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    return "détecté automatiquement (ni UTF-8 ni Windows-1252)"


def _header_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def sniff_delimiter(text: str) -> str:
    """The separator that splits the header into the most SCDL column names. A header is
    more reliable than `csv.Sniffer` on files whose quoted fields span lines; the sniffer is
    only asked when no separator finds a known column."""
    header = _header_line(text)
    best, best_known = ";", 0
    for candidate in SEPARATORS:
        cells = next(csv.reader([header], delimiter=candidate), [])
        known = sum(1 for cell in cells if normalise(cell) in KNOWN)
        if known > best_known:
            best, best_known = candidate, known
    if best_known:
        return best
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        return best


def open_scdl(data: bytes, filename: str) -> ScdlFile:
    if not data.strip():
        raise ScdlFormatError(f"Le fichier « {filename} » est vide.")
    text, encoding_note = _text_of(data, filename)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ScdlFormatError(f"Le fichier « {filename} » est vide.")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(row for row in reader if any(cell.strip() for cell in row))
    except (StopIteration, csv.Error):
        raise ScdlFormatError(f"Le fichier « {filename} » n'a pas de ligne d'en-tête.") from None
    columns = [normalise(cell) for cell in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(c[:40] for c in columns[:12] if c) or "aucune"
        raise ScdlFormatError(
            f"« {filename} » ne suit pas le schéma SCDL Délibérations : colonne(s) obligatoire(s) "
            f"absente(s) : {', '.join(missing)}. Colonnes trouvées : {found}."
        )
    notes = [encoding_note, f"Séparateur : {SEPARATOR_NAMES.get(delimiter, repr(delimiter))}."]
    extra = [c for c in columns if c and c not in KNOWN]
    if extra:
        notes.append(f"Colonnes ignorées (hors schéma) : {', '.join(extra)}.")
    absent = [c for c in SCDL_COLUMNS if c not in columns]
    if absent:
        notes.append(f"Colonnes facultatives absentes : {', '.join(absent)}.")
    duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicated:
        notes.append(f"Colonnes en double (la première est lue) : {', '.join(duplicated)}.")
    return ScdlFile(text=text, delimiter=delimiter, columns=columns, notes=notes)


def _runaway(cell: str, delimiter: str, width: int) -> bool:
    """A field that swallowed the following records because a quote was left open: too long,
    too many lines, or a line inside it that reads like a whole record."""
    if len(cell) > MAX_FIELD_CHARS or cell.count("\n") > MAX_FIELD_LINES:
        return True
    wanted = max(3, width // 2)
    return any(line.count(delimiter) + 1 >= wanted for line in cell.splitlines()[1:])


def records(scdl: ScdlFile) -> Iterator[Record]:
    """Every data record after the header, blank lines skipped."""
    reader = csv.reader(io.StringIO(scdl.text, newline=""), delimiter=scdl.delimiter)
    width = len(scdl.columns)
    seen_header = False
    start = 1
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Record(
                start, None, f"ligne illisible ({exc}) ; la lecture du fichier s'arrête ici"
            )
            return
        if not any(cell.strip() for cell in row):
            continue
        if not seen_header:
            seen_header = True
            continue
        if any(_runaway(cell, scdl.delimiter, width) for cell in row):
            yield Record(
                start,
                None,
                "un guillemet ouvert n'est jamais refermé : le reste du fichier à partir de "
                "cette ligne n'a pas pu être lu",
            )
            return
        extra = [cell for cell in row[width:] if cell.strip()]
        if extra:
            sep = SEPARATOR_NAMES.get(scdl.delimiter, scdl.delimiter)
            yield Record(
                start,
                None,
                f"la ligne compte {len(row)} champs au lieu de {width} : un séparateur "
                f"({sep}) non protégé par des guillemets dans un champ ?",
            )
            continue
        values: dict[str, str] = {}
        for name, cell in zip(scdl.columns, row, strict=False):
            if name and name not in values:
                values[name] = cell
        yield Record(start, values)


def count_records(scdl: ScdlFile) -> int:
    return sum(1 for _ in records(scdl))
