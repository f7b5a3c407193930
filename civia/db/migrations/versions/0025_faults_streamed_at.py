"""chat: messages.streamed_at, when a streaming answer's process last saved it

Revision ID: 0025_faults_streamed_at
Revises: 0024_survey_satisfaction
Create Date: 2026-12-06 15:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0025_faults_streamed_at"
down_revision = "0024_survey_satisfaction"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("streamed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("streamed_at")
