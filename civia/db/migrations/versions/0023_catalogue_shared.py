"""catalogue: the shared catalogue of assistants and diagnostic grids, lineage of adopted copies

Revision ID: 0023_catalogue_shared
Revises: 0022_shared_services
Create Date: 2026-12-06 15:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0023_catalogue_shared"
down_revision = "0022_shared_services"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("publisher_label", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_catalogue_entries_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_entries")),
        sa.UniqueConstraint(
            "tenant_id", "kind", "source_key", name=op.f("uq_catalogue_entries_tenant_id")
        ),
    )
    op.create_index(
        op.f("ix_catalogue_entries_tenant_id"), "catalogue_entries", ["tenant_id"], unique=False
    )
    for table in ("assistant_definitions", "planning_grids"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("lineage", sa.String(length=500), server_default="", nullable=False)
            )


def downgrade() -> None:
    for table in ("planning_grids", "assistant_definitions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("lineage")
    op.drop_index(op.f("ix_catalogue_entries_tenant_id"), table_name="catalogue_entries")
    op.drop_table("catalogue_entries")
