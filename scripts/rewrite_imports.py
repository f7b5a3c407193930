"""Rewrite `civia` imports after modules moved (issue 12: models live with their area).

Usage: python scripts/rewrite_imports.py civia tests bench  (files or folders; edits in place)
Then run `ruff check --fix` and `ruff format` to sort the imports. Safe to run twice; a branch
written before the move is brought up to date by running it on that branch's files.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

# Whole modules that moved (a package prefix moves every module under it).
MODULES = {
    "civia.accounts": "civia.accounts.manage",  # the old civia/accounts.py module
    "civia.audit.journal": "civia.audit.journal",
    "civia.audit.keys": "civia.audit.keys",
    "civia.audit.checkpoints": "civia.audit.checkpoints",
    "civia.db.sql": "civia.db.sql",
    "civia.plugins.text_stores": "civia.plugins.text_stores",
    "civia.documents.text_store": "civia.documents.text_store",
    "civia.documents.reembed": "civia.documents.reembed",
    "civia.providers.audio": "civia.providers.audio",
    "civia.providers.speech": "civia.providers.speech",
    "civia.providers.whisper_files": "civia.providers.whisper_files",
}
# Names that left a module for another.
_ACCOUNTS = "Role ROLE_LABELS Tenant Service User WebSession ApiToken"
_PROVIDERS = "HostingClass HOSTING_LABELS Provider"
NAMES: dict[str, dict[str, str]] = {
    "civia.db.models": {
        **dict.fromkeys(_ACCOUNTS.split(), "civia.accounts.models"),
        **dict.fromkeys(_PROVIDERS.split(), "civia.providers.models"),
        **dict.fromkeys(["Conversation", "MessageStatus", "Message"], "civia.chat.models"),
        "UsageEvent": "civia.usage.models",
    },
    "civia.governance.models": dict.fromkeys(
        ["GENESIS", "AuditHead", "AuditEntry"], "civia.audit.models"
    ),
}
# `civia.accounts` is now a package: only `from civia import accounts` means the old module.
_ONLY_AS_NAME = {"civia.accounts"}


def _new_module(module: str) -> str:
    if module in MODULES and module not in _ONLY_AS_NAME:
        return MODULES[module]
    if module.startswith("civia.accounts."):
        return "civia.accounts." + module[len("civia.accounts.") :]
    return module


def _resolve(module: str, name: str, asname: str | None) -> tuple[str, str, str | None]:
    full = f"{module}.{name}"
    if full in MODULES and name != "*":
        target = MODULES[full]
        parent, _, leaf = target.rpartition(".")
        return parent, leaf, asname or (name if leaf != name else None)
    if module in NAMES and name in NAMES[module]:
        return NAMES[module][name], name, asname
    return _new_module(module), name, asname


def _rewrite_node(node: ast.ImportFrom, indent: str) -> list[str] | None:
    module = node.module or ""
    resolved = [_resolve(module, a.name, a.asname) for a in node.names]
    if all(m == module for m, _, _ in resolved) and all(
        n == a.name and s == a.asname for (_, n, s), a in zip(resolved, node.names, strict=True)
    ):
        return None
    groups: dict[str, list[str]] = defaultdict(list)
    for mod, name, asname in resolved:
        groups[mod].append(f"{name} as {asname}" if asname else name)
    return [f"{indent}from {mod} import {', '.join(names)}" for mod, names in groups.items()]


def rewrite(text: str) -> str:
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not node.module.startswith("civia"):
                continue
            first = lines[node.lineno - 1]
            indent = first[: len(first) - len(first.lstrip())]
            new = _rewrite_node(node, indent)
            if new is None:
                continue
            assert node.end_lineno is not None and node.end_col_offset is not None
            tail = lines[node.end_lineno - 1][node.end_col_offset :]
            edits.append((node.lineno, node.end_lineno, new, tail))
    for start, end, new, tail in sorted(edits, reverse=True):
        # A trailing comment (a noqa for E402) applies to each import the line became.
        lines[start - 1 : end] = [line + (tail if tail.strip() else "\n") for line in new]
    out = "".join(lines)
    # Dotted paths in strings and `import a.b` statements (monkeypatch targets, docs).
    out = re.sub(r"\bcivia\.auth\b", "civia.accounts", out)
    for old, new in MODULES.items():
        if old not in _ONLY_AS_NAME and old != "civia.accounts":
            out = re.sub(rf"\b{re.escape(old)}\b", new, out)
    return out


def main(paths: list[str]) -> None:
    for arg in paths:
        root = Path(arg)
        for path in [root] if root.is_file() else sorted(root.rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            new = rewrite(text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
