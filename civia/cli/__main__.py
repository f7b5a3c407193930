"""`python -m civia.cli` (used by tests and scripts that must use this interpreter)."""

from civia.cli import main

main()
