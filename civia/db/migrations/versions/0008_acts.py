"""acts: délibérations, arrêtés and décisions, SCDL imports, sharing between collectivités

Revision ID: 0008_acts
Revises: 0007_documents_web
Create Date: 2026-12-01 10:01:05.289924
"""

from alembic import op
import sqlalchemy as sa


revision = '0008_acts'
down_revision = "0007_documents_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('act_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_tenant_id', sa.Integer(), nullable=False),
    sa.Column('reader_tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_act_shares_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_tenant_id'], ['tenants.id'], name=op.f('fk_act_shares_owner_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reader_tenant_id'], ['tenants.id'], name=op.f('fk_act_shares_reader_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_act_shares')),
    sa.UniqueConstraint('owner_tenant_id', 'reader_tenant_id', name='uq_act_shares_pair')
    )
    with op.batch_alter_table('act_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_act_shares_owner_tenant_id'), ['owner_tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_act_shares_reader_tenant_id'), ['reader_tenant_id'], unique=False)

    op.create_table('act_corpora',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('shared_with_all', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['doc_collections.id'], name=op.f('fk_act_corpora_collection_id_doc_collections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_act_corpora_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', name=op.f('pk_act_corpora')),
    sa.UniqueConstraint('collection_id', name=op.f('uq_act_corpora_collection_id'))
    )
    op.create_table('act_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_act_imports_job_id_jobs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_act_imports_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_act_imports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_act_imports'))
    )
    with op.batch_alter_table('act_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_act_imports_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('acts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('coll_name', sa.String(length=300), nullable=False),
    sa.Column('coll_siret', sa.String(length=14), nullable=False),
    sa.Column('identifier', sa.String(length=100), nullable=False),
    sa.Column('act_date', sa.Date(), nullable=False),
    sa.Column('matiere_code', sa.String(length=20), nullable=False),
    sa.Column('matiere_name', sa.String(length=300), nullable=False),
    sa.Column('objet', sa.Text(), nullable=False),
    sa.Column('budget_year', sa.String(length=20), nullable=False),
    sa.Column('budget_name', sa.String(length=300), nullable=False),
    sa.Column('pref_id', sa.String(length=20), nullable=False),
    sa.Column('pref_date', sa.Date(), nullable=True),
    sa.Column('vote_effectif', sa.Integer(), nullable=True),
    sa.Column('vote_reel', sa.Integer(), nullable=True),
    sa.Column('vote_pour', sa.Integer(), nullable=True),
    sa.Column('vote_contre', sa.Integer(), nullable=True),
    sa.Column('vote_abstention', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('deliberation', 'arrete', 'decision', 'autre')", name=op.f('ck_acts_kind_known')),
    sa.ForeignKeyConstraint(['document_id'], ['doc_documents.id'], name=op.f('fk_acts_document_id_doc_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_id'], ['act_imports.id'], name=op.f('fk_acts_import_id_act_imports'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_acts_imported_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_acts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acts')),
    sa.UniqueConstraint('document_id', name=op.f('uq_acts_document_id')),
    sa.UniqueConstraint('tenant_id', 'coll_siret', 'kind', 'identifier', name='uq_acts_tenant_key')
    )
    with op.batch_alter_table('acts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acts_import_id'), ['import_id'], unique=False)
        batch_op.create_index('ix_acts_tenant_date', ['tenant_id', 'act_date'], unique=False)
        batch_op.create_index('ix_acts_tenant_kind', ['tenant_id', 'kind'], unique=False)
        batch_op.create_index('ix_acts_tenant_matiere', ['tenant_id', 'matiere_code', 'matiere_name'], unique=False)
        batch_op.create_index('ix_acts_tenant_outcome', ['tenant_id', 'outcome'], unique=False)
        batch_op.create_index('ix_acts_tenant_siret', ['tenant_id', 'coll_siret', 'coll_name'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('acts', schema=None) as batch_op:
        batch_op.drop_index('ix_acts_tenant_siret')
        batch_op.drop_index('ix_acts_tenant_outcome')
        batch_op.drop_index('ix_acts_tenant_matiere')
        batch_op.drop_index('ix_acts_tenant_kind')
        batch_op.drop_index('ix_acts_tenant_date')
        batch_op.drop_index(batch_op.f('ix_acts_import_id'))

    op.drop_table('acts')
    with op.batch_alter_table('act_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_act_imports_tenant_id'))

    op.drop_table('act_imports')
    op.drop_table('act_corpora')
    with op.batch_alter_table('act_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_act_shares_reader_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_act_shares_owner_tenant_id'))

    op.drop_table('act_shares')
