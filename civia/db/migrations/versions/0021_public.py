"""citizens: the public assistant (settings, short-lived exchanges, daily counts)

Revision ID: 0021_public
Revises: 0020_poster
Create Date: 2026-12-06 11:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0021_public"
down_revision = "0020_poster"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('citizen_assistants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('welcome', sa.Text(), nullable=False),
    sa.Column('collection_ids', sa.JSON(), nullable=False),
    sa.Column('retention_hours', sa.Integer(), nullable=False),
    sa.Column('colour', sa.String(length=6), nullable=False),
    sa.Column('mailbox_id', sa.Integer(), nullable=True),
    sa.Column('embed_origins', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['mailbox_id'], ['mailboxes.id'], name=op.f('fk_citizen_assistants_mailbox_id_mailboxes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_citizen_assistants_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen_assistants')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_citizen_assistants_tenant_id'))
    )
    op.create_table('citizen_exchanges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('conversation', sa.String(length=32), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('masked', sa.JSON(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('rating', sa.String(length=10), nullable=False),
    sa.Column('latency_ms', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_citizen_exchanges_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen_exchanges')),
    sa.UniqueConstraint('token', name=op.f('uq_citizen_exchanges_token'))
    )
    with op.batch_alter_table('citizen_exchanges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizen_exchanges_conversation'), ['conversation'], unique=False)
        batch_op.create_index(batch_op.f('ix_citizen_exchanges_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('citizen_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('questions', sa.Integer(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('not_found', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('useful', sa.Integer(), nullable=False),
    sa.Column('not_useful', sa.Integer(), nullable=False),
    sa.Column('to_agent', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_citizen_days_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen_days')),
    sa.UniqueConstraint('tenant_id', 'day', name=op.f('uq_citizen_days_tenant_id'))
    )
    with op.batch_alter_table('citizen_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizen_days_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('citizen_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizen_days_tenant_id'))
    op.drop_table('citizen_days')
    with op.batch_alter_table('citizen_exchanges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizen_exchanges_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_citizen_exchanges_conversation'))
    op.drop_table('citizen_exchanges')
    op.drop_table('citizen_assistants')
