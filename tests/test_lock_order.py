"""Every explicit row lock of the project is taken in a ``lock_objects.py`` module, where the
project's lock order (``saleor_ext/core/locks.py``) is kept: a ``select_for_update`` or a
``FOR UPDATE`` written anywhere else would escape it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("saleor_ext", "plugins", "marketplace", "storefront")
LOCKING_SQL = ("FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE", "SKIP LOCKED", "NOWAIT")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes (they may name the locks they describe)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _locks_taken(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "select_for_update":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} select_for_update")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            text = " ".join(node.value.upper().split())
            found += [f"{path.relative_to(ROOT)}:{node.lineno} {sql}" for sql in LOCKING_SQL if sql in text]
    return found


def test_row_locks_are_taken_only_by_lock_objects_modules():
    offenders = [
        lock
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path.name != "lock_objects.py" and "migrations" not in path.parts
        for lock in _locks_taken(path)
    ]
    assert offenders == []
