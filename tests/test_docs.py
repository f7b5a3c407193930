"""The administration guide documents every setting (default and help), as the code declares it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from civia.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "deploiement.md"


def test_every_setting_is_in_the_administration_guide() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    missing = [
        name
        for name, field in Settings.model_fields.items()
        if not re.search(
            rf"^\| `CIVIA_{name.upper()}`[^|]*\|[^|]+\| .*{re.escape((field.description or '')[:30])}",
            text,
            re.MULTILINE,
        )
    ]
    assert missing == [], f"run python scripts/update_docs.py: {missing}"


def test_every_setting_has_a_help() -> None:
    assert [n for n, f in Settings.model_fields.items() if not f.description] == []


def test_the_generated_table_is_up_to_date() -> None:
    check = [sys.executable, str(ROOT / "scripts" / "update_docs.py"), "--check"]
    assert subprocess.run(check, cwd=ROOT, check=False).returncode == 0


def test_sizes_are_in_megabytes() -> None:
    sizes = [n for n in Settings.model_fields if re.search(r"(bytes|_kb|_gb|size)$", n)]
    assert sizes == [], f"sizes are set in MB (name them *_mb): {sizes}"
