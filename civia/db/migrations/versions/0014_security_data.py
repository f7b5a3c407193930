"""security data: keyed audit chain (HMAC, signed heads, pseudonymous entries)

Existing entries stay as they are (version 1, plain SHA-256) and keep verifying; each chain's
head is marked keyed from its next entry and signed with the audit key, read from the
environment like the application does (CIVIA_AUDIT_KEY, or derived from CIVIA_SECRET_KEY): run
the migration with the same environment as the server.

Revision ID: 0014_security_data
Revises: 0011_trust
Create Date: 2026-12-06 08:45:00
"""

from alembic import op
import sqlalchemy as sa

revision = "0014_security_data"
down_revision = "0013_provider_capabilities"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hash_version", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("redaction_mac", sa.String(length=64), nullable=True))
    with op.batch_alter_table("audit_heads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("keyed_from", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("signature", sa.String(length=64), server_default="", nullable=False)
        )
    from civia.audit.keys import sign

    conn = op.get_bind()
    heads = sa.table(
        "audit_heads",
        sa.column("chain", sa.Integer),
        sa.column("seq", sa.Integer),
        sa.column("last_hash", sa.String),
        sa.column("base_seq", sa.Integer),
        sa.column("base_hash", sa.String),
        sa.column("keyed_from", sa.Integer),
        sa.column("signature", sa.String),
    )
    rows = conn.execute(
        sa.select(heads.c.chain, heads.c.seq, heads.c.last_hash, heads.c.base_seq, heads.c.base_hash)
    ).all()
    for chain, seq, last_hash, base_seq, base_hash in rows:
        fields = {
            "chain": chain,
            "seq": seq,
            "last_hash": last_hash,
            "base_seq": base_seq,
            "base_hash": base_hash,
            "keyed_from": seq + 1,
        }
        conn.execute(
            heads.update()
            .where(heads.c.chain == chain)
            .values(keyed_from=seq + 1, signature=sign("head", fields))
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_heads", schema=None) as batch_op:
        batch_op.drop_column("signature")
        batch_op.drop_column("keyed_from")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_column("redaction_mac")
        batch_op.drop_column("hash_version")
