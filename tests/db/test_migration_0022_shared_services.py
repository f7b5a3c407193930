"""0022_shared_services: each key source an admin had named becomes an operator credential scoped to
the collectivités and base URLs that used it, so no provider stops working."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, Table, insert, select
from sqlalchemy.engine import Connection

from civia.db.engine import make_engine
from civia.db.migrate import upgrade


def _row(conn: Connection, table_name: str, **values: Any) -> int:
    table = Table(table_name, MetaData(), autoload_with=conn)
    if "created_at" in table.c:
        values.setdefault("created_at", datetime.now(UTC))
    return int(conn.execute(insert(table).values(**values)).inserted_primary_key[0])


def test_key_sources_become_scoped_credentials(db_url: str) -> None:
    upgrade(db_url, "0018_tenants")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        demo = _row(conn, "tenants", slug="demoville", name="Démoville")
        other = _row(conn, "tenants", slug="autreville", name="Autreville")
        common = {"kind": "openai_compat", "hosting_class": "eu", "models": ["m"],
                  "enabled": True, "is_default": False}  # fmt: skip
        a = _row(conn, "providers", tenant_id=demo, name="A", base_url="https://a.example/v1/",
                 api_key_env="ALBERT_KEY", api_key_file="", **common)  # fmt: skip
        b = _row(conn, "providers", tenant_id=other, name="B", base_url="https://b.example/v1",
                 api_key_env="ALBERT_KEY", api_key_file="", **common)  # fmt: skip
        c = _row(conn, "providers", tenant_id=other, name="C", base_url="https://c.example/v1",
                 api_key_env="", api_key_file="/etc/civia/c.key", **common)  # fmt: skip
        keyless = _row(conn, "providers", tenant_id=demo, name="D", base_url="",
                       api_key_env="", api_key_file="", **common)  # fmt: skip
    upgrade(db_url)
    with engine.connect() as conn:
        providers = Table("providers", MetaData(), autoload_with=conn)
        creds = Table("provider_credentials", MetaData(), autoload_with=conn)
        links = dict(conn.execute(select(providers.c.id, providers.c.credential_id)).all())
        rows = {r.id: r for r in conn.execute(select(creds)).all()}
        assert "api_key_env" not in providers.c
    engine.dispose()
    assert links[keyless] is None
    assert links[a] == links[b] != links[c]
    shared, single = rows[links[a]], rows[links[c]]
    assert shared.key_env == "ALBERT_KEY" and shared.tenant_slugs == ["autreville", "demoville"]
    assert shared.base_urls == ["https://a.example/v1", "https://b.example/v1"]
    assert single.key_file == "/etc/civia/c.key" and single.tenant_slugs == ["autreville"]
