"""Runs of the table extraction: the tables found, which ones the agent keeps, their cells as
corrected, and the document they become (XLSX: one sheet per table, a « Sources » sheet and
the « À propos » sheet with the transparency mention; CSV: the tables one after another).

Finding tables is the library's job (civia.documents.extract.tables), not the model's. When the
agent says what they look for, the tables sharing its words (French stems) are pre-selected.
"""

from __future__ import annotations

from typing import Any

from civia.assistants.document import Block, Heading, Paragraph, Table
from civia.assistants.files import table_markdown
from civia.assistants.models import AssistantRun
from civia.documents.analysis import terms

PREVIEW_ROWS = 5
MAX_CELL = 2_000


class ExtractionError(ValueError):
    """French message for the agent."""


def _titles(table: dict[str, Any]) -> set[str]:
    return set(
        terms(" ".join([table.get("caption", ""), table.get("sheet", ""), *table["header"]]))
    )


def _cells(table: dict[str, Any]) -> set[str]:
    return set(terms(" ".join(c for r in table["rows"] for c in r)))


def initial_data(attachment: dict[str, Any], wish: str) -> dict[str, Any]:
    """All tables, the ones matching the agent's wish pre-selected: by their title (caption,
    sheet, header) when some match, else by their cells; all of them when none match."""
    tables = [dict(t) for t in attachment["tables"]]
    wanted = set(terms(wish)) if wish.strip() else set()
    matching = {t["number"] for t in tables if wanted & _titles(t)} if wanted else set()
    if wanted and not matching:
        matching = {t["number"] for t in tables if wanted & _cells(t)}
    for table in tables:
        table["selected"] = table["number"] in matching if matching else True
    return {"tables": tables, "matched": sorted(matching)}


def selected(run: AssistantRun) -> list[dict[str, Any]]:
    return [t for t in (run.data or {}).get("tables", []) if t.get("selected")]


def _editable(run: AssistantRun) -> None:
    if run.status == "validated":
        raise ExtractionError("Ce résultat est déjà validé : il ne peut plus être modifié.")
    if run.status != "draft":
        raise ExtractionError("Le résultat n'est pas encore prêt.")


def _store(run: AssistantRun, tables: list[dict[str, Any]]) -> None:
    run.data = {**(run.data or {}), "tables": tables}  # a new dict: JSON columns see the change
    run.draft = markdown(run)


def choose(run: AssistantRun, numbers: set[int]) -> None:
    _editable(run)
    if not numbers:
        raise ExtractionError("Gardez au moins un tableau.")
    tables = [{**t, "selected": t["number"] in numbers} for t in (run.data or {}).get("tables", [])]
    _store(run, tables)


def correct(run: AssistantRun, number: int, cells: dict[tuple[int, int], str]) -> None:
    """Replace cells: (row, column) with row 0 the header."""
    _editable(run)
    tables = [dict(t) for t in (run.data or {}).get("tables", [])]
    table = next((t for t in tables if t["number"] == number), None)
    if table is None:
        raise ExtractionError("Ce tableau n'existe pas.")
    grid = [list(table["header"]), *(list(r) for r in table["rows"])]
    for (row, column), value in cells.items():
        if 0 <= row < len(grid) and 0 <= column < len(grid[row]):
            grid[row][column] = " ".join(value.split())[:MAX_CELL]
    table["header"], table["rows"] = grid[0], grid[1:]
    _store(run, tables)


def title(table: dict[str, Any]) -> str:
    caption = f" : {table['caption']}" if table.get("caption") else ""
    return f"Tableau {table['number']} ({table['where']}){caption}"


def markdown(run: AssistantRun) -> str:
    parts = [f"## {title(t)}\n\n{table_markdown(t['header'], t['rows'])}" for t in selected(run)]
    return "\n\n".join(parts) + "\n"


def blocks(run: AssistantRun, filename: str) -> list[Block]:
    chosen = selected(run)
    out: list[Block] = [Heading(text=f"Tableaux extraits de « {filename} »", level=1)]
    for table in chosen:
        caption = f"{table['number']} {table['where']} {table.get('caption', '')}".strip()
        out.append(Heading(text=title(table), level=2))
        out.append(Table(header=list(table["header"]), rows=[list(r) for r in table["rows"]],
                         caption=caption))  # fmt: skip
    out.append(
        Table(
            header=["Tableau", "Fichier", "Page ou feuille", "Titre"],
            rows=[[str(t["number"]), filename, t["where"], t.get("caption", "")] for t in chosen],
            caption="Sources",
        )
    )
    out.append(
        Paragraph(
            text="Tableaux repérés automatiquement dans le fichier par un programme (sans "
            "modèle d'IA), puis choisis et relus par un agent."
        )
    )
    return out
