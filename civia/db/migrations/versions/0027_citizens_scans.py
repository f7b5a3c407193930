"""mailbox: scanned attachments kept from the fetch to their OCR in the analysis job

Revision ID: 0027_citizens_scans
Revises: 0026_dashboard_active_days
Create Date: 2026-12-06 15:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0027_citizens_scans"
down_revision = "0026_dashboard_active_days"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_pending_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["mail_messages.id"],
            name=op.f("fk_mail_pending_attachments_message_id_mail_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_mail_pending_attachments_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_pending_attachments")),
    )
    with op.batch_alter_table("mail_pending_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mail_pending_attachments_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mail_pending_attachments_tenant_id"), ["tenant_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("mail_pending_attachments")
