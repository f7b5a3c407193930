"""periodic_runs: plugin periodic tasks run once across replicas

Revision ID: 0020_poster
Revises: 0019_plan
Create Date: 2026-12-06 11:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0020_poster"
down_revision = "0019_plan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "periodic_runs",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("last_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_periodic_runs")),
    )


def downgrade() -> None:
    op.drop_table("periodic_runs")
