"""A diagnostic as a document for the élus (DOCX or PDF), through the assistants' renderers."""

from __future__ import annotations

from civia.accounts.models import Tenant
from civia.assistants.context import letterhead, primary_colour
from civia.assistants.document import (
    Bullets,
    Heading,
    OfficialDocument,
    Paragraph,
    Provenance,
    Table,
)
from civia.assistants.renderers import render
from civia.dates import date_fr
from civia.planning import diagnostics
from civia.planning.models import Diagnostic

FORMATS = ("docx", "pdf")
MENTION = (
    "Document produit par Civia à partir des réponses saisies par la collectivité ; "
    "aucun texte n'a été rédigé par une intelligence artificielle."
)


def document(
    row: Diagnostic,
    *,
    collectivite: str,
    author: str,
    earlier: list[Diagnostic],
    tenant: Tenant | None = None,
) -> OfficialDocument:
    grid = diagnostics.grid_of(row)
    result = diagnostics.result_of(row)
    when = date_fr(row.created_at)
    blocks: list = [
        Paragraph(text=f"{collectivite} — diagnostic du {when}, grille « {grid.title} »."),
        Heading(text="Résultat", level=2),
        Paragraph(
            text=f"Score global : {result.overall:.0f}/100 — {result.level.label}.", bold=True
        ),
        Paragraph(text=f"Recommandation : {result.level.recommendation}"),
        Heading(text="Score par dimension", level=2),
    ]
    header = ["Dimension", when]
    previous = [e for e in earlier if list(e.scores) == list(row.scores)]
    header += [date_fr(e.created_at) for e in previous]
    rows = [
        [d.label, f"{row.scores[d.id]:.0f}"] + [f"{e.scores[d.id]:.0f}" for e in previous]
        for d in grid.dimensions
    ]
    blocks.append(Table(header=header, rows=rows, caption="Scores sur 100"))
    blocks += [
        Heading(text=f"Dimension la plus faible : {result.weakest.label}", level=2),
        Paragraph(text=result.weakest.advice),
        Heading(text="Réponses", level=2),
    ]
    for dimension in grid.dimensions:
        items = []
        for q in dimension.questions:
            option = q.option(int(row.answers[q.id]))
            label = option.label if option else "?"
            items.append(f"{q.text} — {label} ({row.answers[q.id]}/{q.top})")
        blocks += [Heading(text=dimension.label, level=3), Bullets(items=items)]
    if row.synthetic:
        blocks.insert(0, Paragraph(text="Données fictives de démonstration.", bold=True))
    return OfficialDocument(
        title=row.title,
        blocks=blocks,
        provenance=Provenance(
            assistant_id="diagnostic-maturite",
            assistant_name="Diagnostic de maturité",
            author=author,
            validated_by=author,
            validated_at=row.created_at,
            transparency=MENTION,
        ),
        letterhead=letterhead(tenant) if tenant is not None else None,
        primary_colour=primary_colour(tenant) if tenant is not None else "000091",
    )


def export(row: Diagnostic, fmt: str, **context: object) -> tuple[bytes, str, str]:
    return render(document(row, **context), fmt)  # type: ignore[arg-type]
