"""CSV files: delimiter sniffed among , ; tab |, quoted fields spanning lines allowed."""

from __future__ import annotations

import csv
import io

from civia.documents.errors import CorruptedFileError
from civia.documents.extract.base import Block, Extracted, clean, stem_title
from civia.documents.extract.office import table_blocks
from civia.documents.extract.text import decode


def sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";,\t|"}
        return max(counts, key=lambda d: counts[d])


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    text = decode(data, filename)
    if "\x00" in text:
        raise CorruptedFileError(filename, "le fichier CSV")
    delimiter = sniff_delimiter(text[:20_000])
    try:
        return [
            [clean(cell) for cell in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise CorruptedFileError(filename, "le fichier CSV") from exc


def extract_csv(data: bytes, filename: str) -> Extracted:
    rows = read_rows(data, filename)
    return Extracted(
        title=stem_title(filename),
        mime="text/csv",
        blocks=[Block(text, kind="table") for text in table_blocks(rows)],
        meta={"rows": max(len(rows) - 1, 0)},
    )
