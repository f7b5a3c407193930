"""documents web: conversations grounded on a collection or document, sources of their answers

Revision ID: 0007_documents_web
Revises: 0006_jobs
Create Date: 2026-12-01 08:30:16.809495
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_documents_web'
down_revision = '0006_jobs'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('doc_answer_sources',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('found', sa.Boolean(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_doc_answer_sources_message_id_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_doc_answer_sources'))
    )
    op.create_table('doc_chats',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['doc_collections.id'], name=op.f('fk_doc_chats_collection_id_doc_collections'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_doc_chats_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['doc_documents.id'], name=op.f('fk_doc_chats_document_id_doc_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_doc_chats_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', name=op.f('pk_doc_chats'))
    )
    with op.batch_alter_table('doc_chats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_doc_chats_collection_id'), ['collection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_doc_chats_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_doc_chats_tenant_id'), ['tenant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('doc_chats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_doc_chats_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_doc_chats_document_id'))
        batch_op.drop_index(batch_op.f('ix_doc_chats_collection_id'))

    op.drop_table('doc_chats')
    op.drop_table('doc_answer_sources')
