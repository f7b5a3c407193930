"""steering: per-agent bitmaps of active days, for the dashboard's windowed counts

Revision ID: 0026_dashboard_active_days
Revises: 0025_faults_streamed_at
Create Date: 2026-12-06 15:00:00

The bitmaps are filled by the roll-up task from the calls: its state is reset so that the next
run rebuilds every roll-up from the first call (until then the dashboard reads the calls).
"""

from alembic import op
import sqlalchemy as sa


revision = "0026_dashboard_active_days"
down_revision = "0025_faults_streamed_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "steering_active_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("assistant_id", sa.String(length=100), nullable=False),
        sa.Column("model_key", sa.String(length=310), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("days", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_steering_active_days_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steering_active_days")),
    )
    op.create_index("ix_steering_active_days_tenant", "steering_active_days", ["tenant_id", "demo", "last_day"], unique=False)
    op.execute("DELETE FROM steering_rollup_state")


def downgrade() -> None:
    op.drop_index("ix_steering_active_days_tenant", table_name="steering_active_days")
    op.drop_table("steering_active_days")
