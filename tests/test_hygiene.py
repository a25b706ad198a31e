"""The shape of the code base: what may import what."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports by absolute name."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_no_test_module_imports_another_test_module_or_a_conftest():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in imported_modules(path)
            if name.startswith("tests.")
            and name.rsplit(".", 1)[-1].startswith(("test_", "conftest"))
        )
        for path in (ROOT / "tests").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


@pytest.mark.parametrize(
    ("package", "allowed"),
    [
        ("primitives", {"simlab.facts", "simlab.primitives"}),
        ("facts", {"simlab.facts"}),
    ],
)
def test_the_bottom_layers_import_nothing_above_them(package, allowed):
    above = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in imported_modules(path)
            if name.startswith("simlab.") and not name.startswith(tuple(allowed))
        )
        for path in (ROOT / "simlab" / package).rglob("*.py")
    }
    assert {path: names for path, names in above.items() if names} == {}


@pytest.mark.parametrize("package", ["simlab.sim", "simlab.primitives"])
def test_a_curated_package_exports_exactly_what_its_all_lists(package):
    module = importlib.import_module(package)
    assert sorted(module.__all__) == sorted(set(module.__all__))
    assert [name for name in module.__all__ if not hasattr(module, name)] == []


def test_sim_exports_its_three_verbs():
    from simlab import sim

    assert {"simulate", "compare", "sweep"} <= set(sim.__all__)
    assert sim.sweep.__module__ == "simlab.sim.sweep"
