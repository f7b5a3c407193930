"""assistants: run attachments (files, tables, batches, passages), warning, job

Revision ID: 0010_assistants
Revises: 0009_meetings
Create Date: 2026-12-01 08:32:52.171654
"""

from alembic import op
import sqlalchemy as sa


revision = '0010_assistants'
down_revision = "0009_meetings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing runs get an empty mapping and no warning (server defaults, for rows already there).
    with op.batch_alter_table('assistant_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('warning', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('job_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assistant_runs_job_id_jobs'), 'jobs', ['job_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('assistant_runs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assistant_runs_job_id_jobs'), type_='foreignkey')
        batch_op.drop_column('job_id')
        batch_op.drop_column('warning')
        batch_op.drop_column('attachments')
