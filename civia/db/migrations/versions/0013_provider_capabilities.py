"""provider capabilities: a provider row serves chat, embeddings or transcription; a stop
request on a streaming answer, seen by every app process

Revision ID: 0013_provider_capabilities
Revises: 0011_trust
Create Date: 2026-12-06 08:50:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = "0013_provider_capabilities"
down_revision = "0012_security_auth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("providers") as batch:
        batch.add_column(
            sa.Column("capability", sa.String(length=20), server_default="chat", nullable=False)
        )
    with op.batch_alter_table("messages") as batch:
        batch.add_column(
            sa.Column("stop_requested", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("stop_requested")
    with op.batch_alter_table("providers") as batch:
        batch.drop_column("capability")
