"""tenants: provider credentials declared by the operator, pooling consent, monthly budgets

Revision ID: 0022_shared_services
Revises: 0021_public
Create Date: 2026-12-06 11:40:00

Each provider's former key source (a variable or file named by the admin) becomes a credential
scoped to the collectivités and base URLs that used it, so nothing stops working.
"""

from alembic import op
import sqlalchemy as sa


revision = "0022_shared_services"
down_revision = "0021_public"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provider_credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("key_env", sa.String(length=100), nullable=False),
        sa.Column("key_file", sa.String(length=500), nullable=False),
        sa.Column("base_urls", sa.JSON(), nullable=False),
        sa.Column("tenant_slugs", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_credentials")),
        sa.UniqueConstraint("name", name=op.f("uq_provider_credentials_name")),
    )
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credential_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_providers_credential_id_provider_credentials"),
            "provider_credentials",
            ["credential_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _convert_key_sources()
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.drop_column("api_key_env")
        batch_op.drop_column("api_key_file")
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pooling", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("quotas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("budget_eur_month", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("budget_kgco2eq_month", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("tokens_per_minute", sa.Integer(), nullable=True))


def _convert_key_sources() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT p.id, p.api_key_env, p.api_key_file, p.base_url, t.slug FROM providers p "
            "JOIN tenants t ON t.id = p.tenant_id "
            "WHERE p.api_key_env != '' OR p.api_key_file != ''"
        )
    ).all()
    sources: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
    for pid, env, path, url, slug in rows:
        sources.setdefault((env or "", path or ""), []).append((pid, url or "", slug))
    table = sa.table(
        "provider_credentials",
        sa.column("name", sa.String),
        sa.column("label", sa.String),
        sa.column("key_env", sa.String),
        sa.column("key_file", sa.String),
        sa.column("base_urls", sa.JSON),
        sa.column("tenant_slugs", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    for number, ((env, path), users) in enumerate(sorted(sources.items()), start=1):
        name = f"cle-{number}"
        conn.execute(
            table.insert().values(
                name=name,
                label=env or path,
                key_env=env,
                key_file="" if env else path,
                base_urls=sorted({u.rstrip("/") for _, u, _ in users if u}),
                tenant_slugs=sorted({s for _, _, s in users}),
                created_at=sa.func.now(),
            )
        )
        cid = conn.execute(
            sa.text("SELECT id FROM provider_credentials WHERE name = :n"), {"n": name}
        ).scalar()
        for pid, _, _ in users:
            conn.execute(
                sa.text("UPDATE providers SET credential_id = :c WHERE id = :p"),
                {"c": cid, "p": pid},
            )


def downgrade() -> None:
    with op.batch_alter_table("quotas", schema=None) as batch_op:
        batch_op.drop_column("tokens_per_minute")
        batch_op.drop_column("budget_kgco2eq_month")
        batch_op.drop_column("budget_eur_month")
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.drop_column("pooling")
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("api_key_env", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("api_key_file", sa.String(length=500), server_default="", nullable=False)
        )
        batch_op.drop_constraint(
            batch_op.f("fk_providers_credential_id_provider_credentials"), type_="foreignkey"
        )
        batch_op.drop_column("credential_id")
    op.drop_table("provider_credentials")
