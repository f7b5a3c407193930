"""Maturity diagnostics of one collectivité: the grids it may use, saving and comparing."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.dates import date_fr
from civia.planning import scoring
from civia.planning.charts import Series
from civia.planning.grid import Grid, GridError, builtin, load_text, parse
from civia.planning.models import Diagnostic, PlanningGrid

LEVEL_LABELS = {"faible": "Faible", "moyenne": "Moyenne", "elevee": "Élevée"}


def grids(db: Session, tenant_id: int) -> dict[str, Grid]:
    """The built-in grid, then the collectivité's imported ones (by slug)."""
    found = {builtin().slug: builtin()}
    rows = db.scalars(select(PlanningGrid).where(PlanningGrid.tenant_id == tenant_id))
    for row in rows:
        found[row.slug] = load_text(row.source)
    return found


def lineages(db: Session, tenant_id: int) -> dict[str, str]:
    """Slug → where the grid comes from, for grids adopted from the shared catalogue."""
    rows = db.execute(
        select(PlanningGrid.slug, PlanningGrid.lineage).where(
            PlanningGrid.tenant_id == tenant_id, PlanningGrid.lineage != ""
        )
    )
    return {slug: lineage for slug, lineage in rows}


def import_grid(db: Session, *, user: User, text: str | bytes) -> Grid:
    grid = load_text(text)
    if grid.slug == builtin().slug:
        raise GridError(
            f"« {grid.slug} » est l'identifiant de la grille intégrée : changez le champ slug."
        )
    row = db.scalar(
        select(PlanningGrid).where(
            PlanningGrid.tenant_id == user.tenant_id, PlanningGrid.slug == grid.slug
        )
    )
    if row is None:
        row = PlanningGrid(tenant_id=user.tenant_id, slug=grid.slug, created_by=user.id)
        db.add(row)
    row.title, row.source = grid.title, grid.as_yaml()
    row.lineage = ""  # an imported file replaces what came from the catalogue
    db.flush()
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="planning.grid_imported",
        target=f"grid:{grid.slug}",
        details={"version": grid.version},
    )
    return grid


def create(
    db: Session,
    *,
    user: User,
    grid: Grid,
    title: str,
    answers: Mapping[str, int],
    synthetic: bool = False,
) -> Diagnostic:
    title = title.strip()
    if not 3 <= len(title) <= 200:
        raise scoring.AnswerError("Le titre doit faire entre 3 et 200 caractères.")
    result = scoring.score(grid, answers)
    row = Diagnostic(
        tenant_id=user.tenant_id,
        title=title,
        grid=grid.model_dump(mode="json"),
        answers=dict(answers),
        scores=result.scores,
        overall=result.overall,
        level=result.level.id,
        synthetic=synthetic,
        created_by=user.id,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="planning.diagnostic_created",
        target=f"diagnostic:{row.id}",
        details={"overall": result.overall, "level": result.level.id},
    )
    return row


def listed(db: Session, tenant_id: int) -> list[Diagnostic]:
    stmt = select(Diagnostic).where(Diagnostic.tenant_id == tenant_id)
    return list(db.scalars(stmt.order_by(Diagnostic.created_at, Diagnostic.id)))


def get(db: Session, tenant_id: int, diagnostic_id: int) -> Diagnostic | None:
    row = db.get(Diagnostic, diagnostic_id)
    return row if row is not None and row.tenant_id == tenant_id else None


def grid_of(row: Diagnostic) -> Grid:
    return parse(row.grid)


def result_of(row: Diagnostic) -> scoring.Result:
    return scoring.score(grid_of(row), row.answers)


def series(rows: list[Diagnostic], grid: Grid) -> list[Series]:
    """Radar series of diagnostics made with the same dimensions as `grid` (oldest first)."""
    ids = [d.id for d in grid.dimensions]
    return [
        Series(f"{row.title} ({date_fr(row.created_at)})", [row.scores[i] for i in ids])
        for row in rows
        if list(row.scores) == ids
    ]
