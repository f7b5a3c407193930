"""steering: the field's satisfaction survey (who answered or set aside a wave; the anonymous answers)

Revision ID: 0024_survey_satisfaction
Revises: 0023_catalogue_shared
Create Date: 2026-12-06 15:10:00

The two tables share no key: a turn says that a user answered (or set aside) a wave, an answer
holds the service, the wave, the week and the answer, without the user.
"""

from alembic import op
import sqlalchemy as sa


revision = "0024_survey_satisfaction"
down_revision = "0023_catalogue_shared"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "steering_survey_turns",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("launch_date", sa.Date(), nullable=False),
        sa.Column("wave", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("later_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"],
            name=op.f("fk_steering_survey_turns_tenant_id_tenants"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_steering_survey_turns_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "user_id", "launch_date", "wave", name=op.f("pk_steering_survey_turns")
        ),
    )
    op.create_index(
        op.f("ix_steering_survey_turns_tenant_id"), "steering_survey_turns", ["tenant_id"]
    )
    op.create_table(
        "steering_survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("launch_date", sa.Date(), nullable=False),
        sa.Column("wave", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("ease", sa.Integer(), nullable=False),
        sa.Column("recommend", sa.Integer(), nullable=False),
        sa.Column("improve", sa.Text(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"],
            name=op.f("fk_steering_survey_answers_service_id_services"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"],
            name=op.f("fk_steering_survey_answers_tenant_id_tenants"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steering_survey_answers")),
    )
    op.create_index(
        "ix_steering_survey_answers_wave",
        "steering_survey_answers",
        ["tenant_id", "synthetic", "launch_date", "wave", "service_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_steering_survey_answers_wave", table_name="steering_survey_answers")
    op.drop_table("steering_survey_answers")
    op.drop_index(op.f("ix_steering_survey_turns_tenant_id"), table_name="steering_survey_turns")
    op.drop_table("steering_survey_turns")
