"""Costs of the security-data hardening (issue 11), measured on this machine.

- document parsing in a child process (stall guard) vs in-process, on a 3-page PDF;
- audit chain: append and verify N entries with the HMAC key (SQLite);
- how long a hostile template runs before it is stopped.

Run: PYTHONPATH=. .venv/bin/python bench/bench_security.py
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path


def _times(func, reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        func()
        out.append(time.perf_counter() - start)
    return out


def parsing() -> None:
    from civia.documents import isolated
    from civia.documents.extract import extract
    from tests.documents.files import make_pdf

    pdf = make_pdf([["Le conseil municipal approuve le budget. " * 40]] * 3)
    isolated.run("civia.documents.extract:extract", pdf, "b.pdf", filename="b.pdf", stall_s=60)
    inproc = _times(lambda: extract(pdf, "b.pdf"), 10)
    child = _times(
        lambda: isolated.run(
            "civia.documents.extract:extract", pdf, "b.pdf", filename="b.pdf", stall_s=60
        ),
        10,
    )
    print("| parse a 3-page PDF | in-process | child process (stall guard) |")
    print("|---|---:|---:|")
    print(
        f"| median of 10 (s) | {statistics.median(inproc):.3f} | {statistics.median(child):.3f} |"
    )


def audit_chain(n: int = 2000) -> None:
    from civia.db.base import Base
    from civia.db.engine import make_engine, make_sessionmaker
    from civia.governance import audit
    from civia.governance import models as _gov  # noqa: F401

    folder = tempfile.mkdtemp()
    engine = make_engine(f"sqlite:///{Path(folder) / 'a.db'}")
    Base.metadata.create_all(engine)
    with make_sessionmaker(engine)() as db:
        start = time.perf_counter()
        for i in range(n):
            audit.record(db, tenant_id=1, actor=audit.Actor(1), action="export.downloaded",
                         target=f"resultat:{i}", details={"n": i})  # fmt: skip
        db.commit()
        append = time.perf_counter() - start
        start = time.perf_counter()
        assert audit.verify(db) == []
        check = time.perf_counter() - start
    engine.dispose()
    print(f"\n| audit chain, {n} entries (SQLite) | seconds |")
    print("|---|---:|")
    print(f"| append (one transaction) | {append:.2f} |")
    print(f"| verify (HMAC per entry + signed head) | {check:.2f} |")


def template_stop() -> None:
    from civia.assistants import templating
    from civia.assistants.spec import JINJA

    hostile = "{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}"
    start = time.perf_counter()
    with contextlib.suppress(templating.TemplateLimitError):
        templating.render(JINJA, hostile)
    print(f"\nHostile nested-loop template stopped after {time.perf_counter() - start:.2f} s "
          f"(limit {templating.MAX_SECONDS} s).")  # fmt: skip


if __name__ == "__main__":
    print(f"nproc={os.cpu_count()} load={os.getloadavg()}")
    parsing()
    audit_chain()
    template_stop()
