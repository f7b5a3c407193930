"""Civia's own browser script, run with Node.js on the functions that need no page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "civia" / "web" / "static" / "civia.js"


def _readable(partial: str) -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    source = re.search(r"function readableDraft[\s\S]*?\n}\n", SCRIPT.read_text())
    assert source, "readableDraft() not found in civia.js"
    program = source.group(0) + f"process.stdout.write(readableDraft({json.dumps(partial)}));"
    return subprocess.run(
        [node, "-e", program], capture_output=True, text=True, check=True, timeout=30
    ).stdout


def test_a_streaming_json_draft_shows_only_its_text() -> None:
    partial = '{"titre": "Compte rendu", "points": ["Budget \\"2026\\" voté", "Trav'
    assert _readable(partial) == 'Compte rendu\n\nBudget "2026" voté\n\nTrav'


def test_a_key_being_written_is_not_shown() -> None:
    assert _readable('{"titre": "Conseil", "decis') == "Conseil"
    assert _readable('{"points": ["un", "de') == "un\n\nde"  # in a list: values
    assert _readable('{"titre": "Conseil", "decisions"') == "Conseil"


def test_plain_text_streams_as_is() -> None:
    assert _readable("Bonjour,\nvoici") == "Bonjour,\nvoici"


@pytest.mark.parametrize(
    "partial",
    [
        '{"titre": "Compte rendu", "points": ["Budget \\"2026\\" voté", "Trav',
        '{"titre": "Conseil", "decis',
        '{"points": ["un", "de',
        '{"titre": "Conseil", "decisions"',
        '{"actions": [{"qui": "M. Martin", "quoi": "Devis\\nvoirie", "echeance": "à défi',
        "Bonjour,\nvoici",
        "",
    ],
)
def test_the_server_reads_a_streaming_draft_as_the_browser_does(partial: str) -> None:
    """The page rendered by the server (and read without JavaScript) shows the same text."""
    from civia.web.markdown import readable_draft

    assert readable_draft(partial) == _readable(partial)
