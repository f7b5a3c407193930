"""trust: AI Act Art. 27 impact assessment files attached to use cases (versioned)

Revision ID: 0011_trust
Revises: 0010_assistants
Create Date: 2026-12-01 08:28:57.253265
"""

from alembic import op
import sqlalchemy as sa


revision = "0011_trust"
down_revision = "0010_assistants"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "use_case_fria_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("use_case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_use_case_fria_files_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["users.id"],
            name=op.f("fk_use_case_fria_files_uploaded_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["use_case_id"],
            ["use_cases.id"],
            name=op.f("fk_use_case_fria_files_use_case_id_use_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_case_fria_files")),
        sa.UniqueConstraint(
            "use_case_id", "version", name=op.f("uq_use_case_fria_files_use_case_id")
        ),
    )
    with op.batch_alter_table("use_case_fria_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_use_case_fria_files_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_use_case_fria_files_use_case_id"), ["use_case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("use_case_fria_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_use_case_fria_files_use_case_id"))
        batch_op.drop_index(batch_op.f("ix_use_case_fria_files_tenant_id"))

    op.drop_table("use_case_fria_files")
