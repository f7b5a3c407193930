"""Extraction de données, measured: 20 generated files (PDF, DOCX, XLSX) whose tables are known,
read by the assistant's own path (`civia.assistants.files.read_tables`), scored cell by cell.

A found table is paired with the expected table it shares most cells with (same row, column
and text); cell precision = paired cells / all cells found (spurious tables count), recall =
paired cells / all cells expected. A table is "exact" when all its cells match, and its place
(page or sheet) is checked too. No model is called: finding tables is the library's job.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from civia.assistants.files import FileFieldError, read_tables

Grid = list[list[str]]


@dataclass
class Case:
    name: str
    data: bytes
    expected: list[tuple[Grid, str]]  # (cells with the header first, where)
    note: str = ""


@dataclass
class Score:
    case: Case
    found: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    cells_expected: int = 0
    cells_found: int = 0
    cells_matched: int = 0
    exact: int = 0
    placed: int = 0


LABELS = [
    "Voirie",
    "Écoles",
    "Éclairage",
    "Sport",
    "Culture",
    "Social",
    "Espaces verts",
    "Eau",
    "Cantine",
    "Transport",
    "Numérique",
    "Sécurité",
    "Urbanisme",
    "Fêtes",
    "Archives",
]


def _grid(rng: random.Random, rows: int, cols: int, *, blanks: bool = False) -> Grid:
    header = ["Poste", "Libellé", "Montant (euros)", "Évolution", "Service", "Agents"][:cols]
    body = []
    for index in range(rows):
        row = [
            f"{rng.randint(10, 99)}{index:02d}",
            rng.choice(LABELS) + f" n° {index + 1}",
            f"{rng.randint(1, 999)} {rng.randint(0, 999):03d},{rng.randint(0, 99):02d}",
            f"{rng.choice(['+', '-'])}{rng.randint(0, 30)} %",
            rng.choice(LABELS),
            str(rng.randint(1, 40)),
        ][:cols]
        if blanks and index % 4 == 1:
            row[-1] = ""
        body.append(row)
    return [header, *body]


def _pdf(
    tables: list[tuple[Grid, int]], pages: int, seed: int, *, ruled: bool = True
) -> tuple[bytes, list[str]]:
    """`tables`: (grid, page where it starts); text paragraphs fill the other pages. Returns
    the file and each table's expected place (« p. N » or « p. N-M » when it runs over)."""
    from fpdf import FPDF

    rng = random.Random(seed)
    pdf = FPDF()
    pdf.set_font("Helvetica", size=9)
    places = []
    by_page = {}
    for grid, page in tables:
        by_page.setdefault(page, []).append(grid)
    for number in range(1, pages + 1):
        if pdf.page_no() < number:
            pdf.add_page()
        pdf.multi_cell(
            0, 5, f"Chapitre {number}. " + "Le conseil examine le rapport. " * rng.randint(3, 12)
        )
        for grid in by_page.get(number, []):
            pdf.ln(3)
            pdf.cell(0, 6, f"Tableau - {grid[1][1]}", new_x="LMARGIN", new_y="NEXT")
            start = pdf.page_no()
            layout = "ALL" if ruled else "NONE"  # unruled: columns aligned, no lines drawn
            with pdf.table(repeat_headings=1, borders_layout=layout) as table:
                for values in grid:
                    row = table.row()
                    for value in values:
                        row.cell(value)
            end = pdf.page_no()
            places.append(f"p. {start}" if end == start else f"p. {start}-{end}")
            pdf.ln(3)
    return bytes(pdf.output()), places


def _docx(grids: list[Grid], breaks: list[bool]) -> tuple[bytes, list[str]]:
    import docx

    document = docx.Document()
    document.add_heading("Rapport d'activité", level=1)
    page, places = 1, []
    for grid, brk in zip(grids, breaks, strict=True):
        if brk:
            document.add_page_break()
            page += 1
        document.add_paragraph("Le service présente ses chiffres de l'année. " * 3)
        document.add_paragraph(f"Tableau - {grid[1][1]}")
        table = document.add_table(rows=0, cols=len(grid[0]))
        for values in grid:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
        places.append(f"p. {page}" if any(breaks) else "")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), places


def _xlsx(sheets: list[tuple[str, list[Grid]]]) -> tuple[bytes, list[str]]:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    places = []
    for title, grids in sheets:
        sheet = workbook.create_sheet(title)
        for grid in grids:
            sheet.append([f"Tableau - {grid[1][1]}"])
            sheet.append([])
            for values in grid:
                sheet.append(values)
            sheet.append([])
            places.append(f"feuille « {title} »")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), places


def cases() -> list[Case]:
    out: list[Case] = []
    rng = random.Random(7)
    # 8 PDF: small, several per page, a table over a page break, a 60-page report
    pdf_specs: list[tuple[str, list[tuple[int, int, int]], int, str]] = [
        ("budget-simple.pdf", [(4, 3, 1)], 1, "one table"),
        ("deux-tableaux.pdf", [(5, 3, 1), (3, 2, 1)], 1, "two tables on a page"),
        ("rapport-3-pages.pdf", [(6, 4, 2), (4, 5, 3)], 3, "text pages between"),
        ("long-tableau.pdf", [(70, 3, 1)], 1, "one table over two pages"),
        ("effectifs.pdf", [(8, 6, 1)], 1, "six columns"),
        ("sans-bordures.pdf", [(12, 4, 1)], 1, "unruled table (no lines drawn)"),
        ("cellules-vides.pdf", [(9, 5, 1)], 1, "empty cells"),
        (
            "rapport-60-pages.pdf",
            [(rng.randint(4, 15), rng.randint(3, 5), p) for p in range(3, 61, 4)],
            60,
            "60 pages, 15 tables",
        ),
    ]
    for index, (name, specs, pages, note) in enumerate(pdf_specs):
        grids = [(_grid(rng, r, c, blanks="vides" in name), p) for r, c, p in specs]
        data, places = _pdf(grids, pages, seed=index, ruled="sans-bordures" not in name)
        out.append(
            Case(name, data, [(g, w) for (g, _), w in zip(grids, places, strict=True)], note)
        )
    # 6 DOCX: with and without page breaks
    for index in range(6):
        count = 1 + index % 3
        grids = [_grid(rng, rng.randint(3, 12), rng.randint(2, 5)) for _ in range(count)]
        breaks = [index >= 3 and i > 0 for i in range(count)]
        data, places = _docx(grids, breaks)
        out.append(
            Case(
                f"rapport-{index + 1}.docx",
                data,
                list(zip(grids, places, strict=True)),
                "page breaks" if any(breaks) else "no page information",
            )
        )
    # 6 XLSX: one or two tables per sheet, one or two sheets
    for index in range(6):
        sheets = [
            (
                f"Feuille {s + 1}",
                [
                    _grid(rng, rng.randint(3, 15), rng.randint(2, 6))
                    for _ in range(1 + (index + s) % 2)
                ],
            )
            for s in range(1 + index % 2)
        ]
        data, places = _xlsx(sheets)
        expected = [g for _, grids in sheets for g in grids]
        out.append(
            Case(f"classeur-{index + 1}.xlsx", data, list(zip(expected, places, strict=True)))
        )
    return out


def _cells(grid: Grid) -> set[tuple[int, int, str]]:
    return {(r, c, v) for r, row in enumerate(grid) for c, v in enumerate(row) if v}


def score(case: Case, read: Callable[[bytes, str], dict[str, Any]] | None = None) -> Score:
    read = read or (lambda data, name: read_tables(data, name, max_bytes=100_000_000))
    result = Score(case)
    start = time.perf_counter()
    try:
        result.found = read(case.data, case.name)["tables"]
    except FileFieldError as exc:
        result.error = str(exc)
    result.seconds = time.perf_counter() - start
    found_cells = [_cells([t["header"], *t["rows"]]) for t in result.found]
    result.cells_found = sum(len(c) for c in found_cells)
    used: set[int] = set()
    for grid, where in case.expected:
        want = _cells(grid)
        result.cells_expected += len(want)
        best, best_index = 0, -1
        for index, got in enumerate(found_cells):
            if index not in used and len(want & got) > best:
                best, best_index = len(want & got), index
        if best_index < 0:
            continue
        used.add(best_index)
        result.cells_matched += best
        if best == len(want) == len(found_cells[best_index]):
            result.exact += 1
        if result.found[best_index]["where"] == where or not where:
            result.placed += 1
    return result


def preselection(report: Case) -> tuple[float, float, int]:
    """The agent's wish (« Cantine ») pre-selects the tables sharing its stems: precision and
    recall against the tables whose caption names it, over every label of the report."""
    from civia.assistants.extraction import initial_data

    attachment = read_tables(report.data, report.name, max_bytes=100_000_000)
    hits = relevant = selected = 0
    labels = sorted({t["caption"].removeprefix("Tableau - ").split(" n° ")[0]
                     for t in attachment["tables"]})  # fmt: skip
    for label in labels:
        wanted = {t["number"] for t in attachment["tables"] if label in t["caption"]}
        chosen = set(initial_data(attachment, label)["matched"])
        hits, relevant, selected = (
            hits + len(wanted & chosen),
            relevant + len(wanted),
            selected + len(chosen),
        )
    return hits / max(selected, 1), hits / max(relevant, 1), len(labels)


def section(heldout: bool = False) -> tuple[str, dict[str, float]]:
    """The Markdown section of the results file, and its totals (`heldout`: the files of
    bench/data/heldout_extraction.py instead, never used to tune the reader)."""
    if heldout:
        return heldout_section()
    scores = [score(c) for c in cases()]
    rows, totals = table_lines(scores)
    tables_expected = totals["tables_expected"]
    lines = [
        "## Extraction de données: tables found vs expected",
        "",
        "20 generated files (8 PDF by fpdf2: ruled tables, one over a page break, one "
        "report of 60 pages with 15 tables, and one table drawn without lines; 6 DOCX by "
        "python-docx, 3 with page breaks; 6 XLSX "
        "by openpyxl with title rows and one or two tables per sheet), read by the assistant's "
        "own path (`civia.assistants.files.read_tables` → pdfplumber / python-docx / openpyxl). "
        "No model call. Regenerate with `python bench/bench_assistants.py --part extraction`.",
        "",
        *rows,
    ]
    totals["seconds_60_pages"] = next(s.seconds for s in scores if "60" in s.case.name)
    lines += [
        "",
        f"Overall: {totals['tables_found']} tables found for {tables_expected} expected, "
        f"{totals['exact']} exact to the cell, {totals['placed']} with the right page or sheet; "
        f"cell precision {totals['precision']:.1%}, recall {totals['recall']:.1%}. The 60-page "
        f"PDF takes {totals['seconds_60_pages']:.1f} s.",
    ]
    report = next(s.case for s in scores if "60" in s.case.name)
    p, r, n = preselection(report)
    lines += [
        "",
        f"Pre-selection from what the agent types (French stems shared with a table's title "
        f"— caption, sheet, header — else with its cells; no model), on the 60-page report, "
        f"one wish per caption label ({n} labels): precision {p:.0%}, recall {r:.0%}. An easy "
        "case (each caption names its label); a wish that names no caption falls back to the "
        "cells and picks more. A model was not tried for this: the lexical match already finds "
        "the tables asked for here, and the local model would add tens of seconds per file.",
    ]
    totals |= {"preselect_precision": p, "preselect_recall": r}
    return "\n".join(lines) + "\n", totals


def table_lines(scores: list[Score]) -> tuple[list[str], dict[str, float]]:
    """One row per file, and the totals."""
    lines = [
        "| file | note | tables expected | found | exact | place right | cell precision "
        "| cell recall | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        precision = s.cells_matched / s.cells_found if s.cells_found else 0.0
        recall = s.cells_matched / s.cells_expected if s.cells_expected else 0.0
        note = s.case.note + (f" — error: {s.error}" if s.error else "")
        lines.append(
            f"| `{s.case.name}` | {note} | {len(s.case.expected)} | {len(s.found)} | {s.exact} | "
            f"{s.placed} | {precision:.1%} | {recall:.1%} | {s.seconds:.2f} |"
        )
    found = sum(s.cells_found for s in scores)
    expected = sum(s.cells_expected for s in scores)
    matched = sum(s.cells_matched for s in scores)
    totals = {
        "precision": matched / found if found else 0.0,
        "recall": matched / expected if expected else 0.0,
        "tables_expected": sum(len(s.case.expected) for s in scores),
        "tables_found": sum(len(s.found) for s in scores),
        "exact": sum(s.exact for s in scores),
        "placed": sum(s.placed for s in scores),
    }
    return lines, totals


def heldout_section() -> tuple[str, dict[str, float]]:
    from bench.data.heldout_extraction import cases as heldout_cases

    scores = [score(c) for c in heldout_cases()]
    rows, totals = table_lines(scores)
    lines = [
        "## Extraction de données: held-out files (`bench/data/heldout_extraction.py`)",
        "",
        "20 generated files written before any tuning on them (8 PDF, 5 DOCX, 4 XLSX, 2 CSV, "
        "1 ODT), with other tables than the dev files: long cells wrapping in the PDF, dates, "
        "tariffs, a listing over three pages, XLSX tables starting in C4 with numbers stored "
        "as numbers. Same reader and scoring as the dev files; no model call. Regenerate with "
        "`python bench/bench_assistants.py --part extraction --heldout`.",
        "",
        *rows,
        "",
        f"Overall: {totals['tables_found']} tables found for {totals['tables_expected']} "
        f"expected, {totals['exact']} exact to the cell, {totals['placed']} with the right "
        f"page, sheet or section (files without page information are not checked for it); "
        f"cell precision {totals['precision']:.1%}, recall {totals['recall']:.1%}.",
    ]
    return "\n".join(lines) + "\n", totals


if __name__ == "__main__":
    text, _ = section()
    print(text)
