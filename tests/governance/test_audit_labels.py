"""Every action the code records in the audit log has a French label on the journal page."""

from __future__ import annotations

import ast
from pathlib import Path

import civia
from civia.audit import journal as audit

SOURCE = Path(civia.__file__).parent
RECORDERS = {"record", "record_separately"}


def _literals(node: ast.expr) -> list[str] | None:
    """The strings an `action=` argument can be: a literal, or a choice between literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


WRAPPER = "_audit"  # a module's own helper `_audit(…, action)` forwarding to `audit.record`


def _wrapped(tree: ast.AST, where: str, actions: dict[str, list[str]]) -> set[int]:
    """The actions passed to the module's `_audit` helper (string literals of its calls, read as
    actions); returns the lines of `audit.record(action=action)` inside that helper."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == WRAPPER:
            inside |= {n.lineno for n in ast.walk(node) if isinstance(n, ast.Call)}
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == WRAPPER:
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                for name in _literals(arg) or ():
                    if audit.ACTION_RE.match(name) and "." in name:
                        actions.setdefault(name, []).append(f"{where}:{node.lineno}")
    return inside


def recorded_actions() -> tuple[dict[str, list[str]], list[str]]:
    """(action → where it is recorded, calls whose action cannot be read from the source)."""
    actions: dict[str, list[str]] = {}
    unreadable: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helper_lines = _wrapped(tree, str(path.relative_to(SOURCE.parent)), actions)
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in RECORDERS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                continue
            where = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            found = _literals(action) if action is not None else None
            if found is None and node.lineno in helper_lines:
                continue  # the helper's callers pass literal actions, read above
            if found is None:
                unreadable.append(where)
            for name in found or ():
                actions.setdefault(name, []).append(where)
    return actions, unreadable


def test_every_recorded_action_has_a_french_label() -> None:
    actions, unreadable = recorded_actions()
    assert not unreadable, f"audit calls without a literal action: {unreadable}"
    missing = {name: where for name, where in actions.items() if name not in audit.ACTIONS}
    assert not missing, f"audit actions without a label in audit.ACTIONS: {missing}"
    assert all(audit.ACTION_RE.match(name) for name in actions)
    # The scan sees the calls (a broken scan would pass the checks above with nothing).
    assert {"login.success", "dsr.redact", "pii.masked", "pii.refused", "acts.shared"} <= set(
        actions
    )


def test_the_scan_reads_literals_and_choices_only() -> None:
    choice = ast.parse('"a.b" if x else "c.d"', mode="eval").body
    assert _literals(choice) == ["a.b", "c.d"]
    assert _literals(ast.parse("name", mode="eval").body) is None
    assert _literals(ast.parse('f"user.{x}"', mode="eval").body) is None
