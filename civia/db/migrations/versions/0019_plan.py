"""plan: register cards remember where they were born; survey answer groups; daily users

Revision ID: 0019_plan
Revises: 0018_tenants
Create Date: 2026-12-06 11:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0019_plan"
down_revision = "0018_tenants"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("use_cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin_url", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("origin_label", sa.String(length=200), nullable=False, server_default="")
        )
    op.create_table(
        "planning_survey_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["planning_candidates.id"], name=op.f("fk_planning_survey_themes_candidate_id_planning_candidates"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["survey_id"], ["planning_surveys.id"], name=op.f("fk_planning_survey_themes_survey_id_planning_surveys"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_planning_survey_themes_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_survey_themes")),
    )
    with op.batch_alter_table("planning_survey_themes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_survey_themes_survey_id"), ["survey_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_planning_survey_themes_tenant_id"), ["tenant_id"], unique=False)


    op.create_table(
        "steering_daily_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("assistant_id", sa.String(length=100), nullable=False),
        sa.Column("model_key", sa.String(length=310), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_steering_daily_users_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steering_daily_users")),
    )
    op.create_index("ix_steering_daily_users_cover", "steering_daily_users", ["tenant_id", "demo", "day", "service_id", "assistant_id", "model_key", "user_id", "calls"], unique=False)
    op.create_table(
        "steering_daily_active",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_steering_daily_active_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steering_daily_active")),
    )
    op.create_index("ix_steering_daily_active_cover", "steering_daily_active", ["tenant_id", "demo", "day", "service_id", "user_id", "calls", "first_at"], unique=False)
    # Distinct users now come from steering_daily_users: rebuild the roll-ups from the start.
    op.execute("DELETE FROM steering_rollup_state")
    op.execute("DELETE FROM steering_daily")


def downgrade() -> None:
    op.drop_index("ix_steering_daily_active_cover", table_name="steering_daily_active")
    op.drop_table("steering_daily_active")
    op.drop_index("ix_steering_daily_users_cover", table_name="steering_daily_users")
    op.drop_table("steering_daily_users")
    with op.batch_alter_table("planning_survey_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_survey_themes_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_planning_survey_themes_survey_id"))
    op.drop_table("planning_survey_themes")
    with op.batch_alter_table("use_cases", schema=None) as batch_op:
        batch_op.drop_column("origin_label")
        batch_op.drop_column("origin_url")
