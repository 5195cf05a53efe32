"""Scoped reads: a read function takes only a clamped scope, and no page or ui module calls one
except through ``ui.data.read`` (which clamps to the logged-in user first)."""

import ast
import importlib
from pathlib import Path

import pytest

from services import access, metrics, reporting
from services.access import SYSTEM, ClampedScope, UnscopedRead, clamp
from services.domain import Period, Scope
from services.themes import cases

ROOT = Path(__file__).resolve().parent.parent
PERIOD = Period("2025-01", "2025-02")


def test_a_read_function_refuses_a_scope_that_was_not_clamped(engine):
    for function in (metrics.headline, cases.loop, reporting.calendar):
        with pytest.raises(UnscopedRead):
            function(engine, Scope(), PERIOD)
    assert metrics.headline(engine, clamp(SYSTEM, Scope()), PERIOD)["compounds"] == 0


def test_only_the_clamp_builds_a_clamped_scope():
    with pytest.raises(UnscopedRead):
        ClampedScope("511423100", None)
    assert isinstance(clamp(SYSTEM, Scope(town_code="511423100")), ClampedScope)


def test_read_refuses_a_function_that_is_not_a_scoped_read(engine):
    with pytest.raises(access.PermissionDenied):
        access.read(engine, SYSTEM, metrics.towns, Scope(), PERIOD)


def _resolved_names(tree: ast.Module) -> dict[str, object]:
    """Local name → the services object it was imported as (modules and functions)."""
    names: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("services"):
            module = importlib.import_module(node.module)
            for alias in node.names:
                target = getattr(module, alias.name, None)
                if target is None:
                    target = importlib.import_module(f"{node.module}.{alias.name}")
                names[alias.asname or alias.name] = target
    return names


def _callee(node: ast.expr, names: dict[str, object]) -> object | None:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _callee(node.value, names)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None


def _direct_scoped_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _resolved_names(tree)
    return [
        f"{path.parent.name}/{path.name}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and access.is_scoped_read(_callee(node.func, names))
    ]


UI_FILES = sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("ui/**/*.py"), ROOT / "dashboard.py"])


def test_no_page_calls_a_read_function_directly():
    """Pages pass read functions to ``ui.data.read``; calling one directly would skip the clamp."""
    assert len(UI_FILES) > 20
    assert [hit for path in UI_FILES for hit in _direct_scoped_calls(path)] == []


def test_the_scan_would_see_a_direct_call(tmp_path):
    page = tmp_path / "pages" / "probe.py"
    page.parent.mkdir()
    page.write_text(
        "from services.themes import cases\nfrom ui.context import engine\ncases.loop(engine(), None, None)\n",
        encoding="utf-8",
    )
    assert _direct_scoped_calls(page) == ["pages/probe.py:3"]


def test_pages_read_figures_through_the_function_itself():
    """No string-keyed figure lookups are left: every ``read(...)`` in pages names a function."""
    for path in UI_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("read", "metric"):
                first = node.args[0] if node.args else None
                assert not isinstance(first, ast.Constant), f"{path.name}:{node.lineno} reads a figure by name"
